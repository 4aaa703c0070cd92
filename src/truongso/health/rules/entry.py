"""Checking one row of a checkup sheet (pure Python): numbers typed by a nurse become a
measurement with its z-scores, or a message per column saying what is wrong.

Messages are built by the caller's translation function ``t`` (gettext), so this module
stays free of Django."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from truongso.health.rules import classification as c
from truongso.health.rules import growth as g

HEIGHT_RANGE = (Decimal(40), Decimal(220))  # cm: outside, a typing error
WEIGHT_RANGE = (Decimal(2), Decimal(200))  # kg
WARN_Z = Decimal(3)  # |z| above this is flagged for a second look, but saved
VISION = re.compile(r"^(\d{1,2})/10$")


@dataclass
class Measured:
    height_cm: Decimal
    weight_kg: Decimal
    bmi: Decimal
    age: g.Age | None
    haz: Decimal | None
    baz: Decimal | None
    stature: str
    nutrition: str
    warnings: list[str] = field(default_factory=list)


def parse_decimal(value) -> Decimal | None:
    """ "32,5", "32.5" and " 32 " are numbers; "" is None; anything else raises."""
    if value is None:
        return None
    text = str(value).strip().replace(",", ".")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(text)
    if not number.is_finite():
        raise ValueError(text)
    return number


def check_vision(value: str, t: Callable[[str], str]) -> tuple[str, str | None]:
    """Visual acuity as "x/10" (1/10 … 20/10); blank is allowed."""
    text = (value or "").strip().replace(" ", "")
    if not text:
        return "", None
    match = VISION.match(text)
    if not match or not (1 <= int(match.group(1)) <= 20):
        return text, t("Thị lực ghi dạng x/10, ví dụ 10/10 hoặc 8/10.")
    return text, None


def measure(
    *,
    height,
    weight,
    sex: str,
    born: dt.date | None,
    on: dt.date,
    t: Callable[[str], str],
) -> tuple[Measured | None, dict[str, str]]:
    """Check a height and a weight typed for a learner born ``born`` and measured ``on``.
    Returns the measurement and no errors, or None and {column: message}."""
    errors: dict[str, str] = {}
    values: dict[str, Decimal | None] = {}
    for column, raw, (low, high), unit, label in (
        ("height", height, HEIGHT_RANGE, "cm", t("Chiều cao")),
        ("weight", weight, WEIGHT_RANGE, "kg", t("Cân nặng")),
    ):
        try:
            number = parse_decimal(raw)
        except ValueError:
            errors[column] = t("%(label)s “%(value)s” không phải là số.") % {
                "label": label,
                "value": str(raw).strip(),
            }
            continue
        if number is None:
            errors[column] = t("Thiếu %(label)s.") % {"label": label.lower()}
        elif not (low <= number <= high):
            errors[column] = t(
                "%(label)s %(value)s %(unit)s nằm ngoài khoảng %(low)s–%(high)s %(unit)s."
            ) % {"label": label, "value": number, "unit": unit, "low": low, "high": high}
        else:
            values[column] = number.quantize(Decimal("0.1"))
    if errors:
        return None, errors
    height_cm, weight_kg = values["height"], values["weight"]
    bmi_value = g.bmi(weight_kg, height_cm)
    age = g.age_on(born, on)
    haz = baz = None
    warnings: list[str] = []
    if age is not None and sex in ("M", "F"):
        haz = g.height_for_age_z(height_cm, sex, age)
        baz = g.bmi_for_age_z(bmi_value, sex, age)
        if abs(haz) > g.IMPLAUSIBLE_HAZ:
            errors["height"] = t(
                "Chiều cao %(value)s cm không hợp lý với tuổi (Z = %(z)s); hãy đo lại."
            ) % {"value": height_cm, "z": haz}
        if abs(baz) > g.IMPLAUSIBLE_BAZ:
            errors["weight"] = t(
                "Cân nặng %(value)s kg không hợp lý với chiều cao và tuổi (Z BMI = %(z)s); "
                "hãy cân lại."
            ) % {"value": weight_kg, "z": baz}
        if errors:
            return None, errors
        if abs(haz) > WARN_Z:
            warnings.append(t("Z chiều cao theo tuổi = %(z)s, hãy kiểm tra lại.") % {"z": haz})
        if abs(baz) > WARN_Z:
            warnings.append(t("Z BMI theo tuổi = %(z)s, hãy kiểm tra lại.") % {"z": baz})
    elif born is None:
        warnings.append(t("Chưa có ngày sinh nên chưa tính được chỉ số Z."))
    else:
        warnings.append(t("Tuổi nằm ngoài chuẩn WHO (0–19 tuổi): không tính chỉ số Z."))
    result = c.classify(haz, baz, under_five=bool(age and age.under_five))
    return (
        Measured(
            height_cm=height_cm,
            weight_kg=weight_kg,
            bmi=g.round2(bmi_value),
            age=age,
            haz=haz,
            baz=baz,
            stature=result.stature,
            nutrition=result.nutrition,
            warnings=warnings,
        ),
        {},
    )


def typing_bounds(sex: str, age: g.Age | None) -> dict[str, str]:
    """Bounds the entry page checks as the nurse types, for one learner: the height and
    the BMI at ±3 SD (a warning) and at the WHO's implausible limits (±6 SD for height,
    ±5 SD for BMI, beyond 3 SD measured in SD23 steps, as the server does). Empty when
    the age is outside the references."""
    if age is None or sex not in ("M", "F"):
        return {}
    h = g.lms_for(g.HFA, sex, age)
    b = g.lms_for(g.BFA, sex, age)
    b3, b2, bm3, bm2 = b.sd(3), b.sd(2), b.sd(-3), b.sd(-2)
    values = {
        "h-warn-lo": h.sd(-3),
        "h-warn-hi": h.sd(3),
        "h-bad-lo": h.m * (1 - 6 * h.s),
        "h-bad-hi": h.m * (1 + 6 * h.s),
        "b-warn-lo": bm3,
        "b-warn-hi": b3,
        "b-bad-lo": bm3 - 2 * (bm2 - bm3),
        "b-bad-hi": b3 + 2 * (b3 - b2),
    }
    return {key: str(value.quantize(Decimal("0.01"))) for key, value in values.items()}
