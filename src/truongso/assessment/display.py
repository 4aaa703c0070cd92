"""How gradebook values are shown: scores as typed back into a cell, averages with
one decimal, ratings by their Vietnamese label. Decimal separator of the language in
use (a comma in Vietnamese); cells accept both a comma and a point."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from truongso.assessment import messages as texts
from truongso.assessment.rules import gradebook as rules_gradebook
from truongso.assessment.rules.labels import Pass

SHORT_PASS = {Pass.PASSED.value: "Đ", Pass.NOT_PASSED.value: "CĐ"}


def _separator() -> str:
    return str(formats.get_format("DECIMAL_SEPARATOR"))


def score_text(value: Decimal | None) -> str:
    """A score as shown in its cell: "8", "7,5" (no trailing zero decimal)."""
    if value is None:
        return ""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", _separator())


def average_text(value: Decimal | None) -> str:
    """An average, always with one decimal: "7,9", "8,0"."""
    if value is None:
        return ""
    return f"{value.quantize(Decimal('0.1')):f}".replace(".", _separator())


def rating_text(code: Any, *, short: bool = False) -> str:
    """Đạt / Chưa đạt (Đ / CĐ when ``short``), Tốt, Khá … from a stored code."""
    if not code:
        return ""
    code = getattr(code, "value", code)
    if short and code in SHORT_PASS:
        return SHORT_PASS[code]
    return texts.label(code)


def cell_text(field: str, value: Any) -> str:
    """The text of a gradebook cell for its stored value."""
    if value is None:
        return ""
    if field in (rules_gradebook.RATING, *rules_gradebook.RATING_FIELDS):
        return rating_text(value, short=True)
    if field == rules_gradebook.COMMENT:
        return str(value)
    return score_text(value)


def column_label(field: str) -> str:
    """The short heading of a gradebook column: TX1, GK, CK, Đ/CĐ, Nhận xét."""
    index = rules_gradebook.regular_index(field)
    if index is not None:
        return str(_("TX%(n)s") % {"n": index + 1})
    return str(
        {
            rules_gradebook.MID_TERM: _("GK"),
            rules_gradebook.END_OF_TERM: _("CK"),
            rules_gradebook.RATING: _("Đánh giá"),
            rules_gradebook.MID_TERM_RATING: _("GK"),
            rules_gradebook.END_OF_TERM_RATING: _("CK"),
            rules_gradebook.COMMENT: _("Nhận xét"),
        }.get(field, field)
    )


def column_title(field: str) -> str:
    """The full name of a gradebook column (for screen readers and tooltips)."""
    index = rules_gradebook.regular_index(field)
    if index is not None:
        return str(_("Điểm đánh giá thường xuyên %(n)s") % {"n": index + 1})
    return str(
        {
            rules_gradebook.MID_TERM: _("Điểm đánh giá giữa kỳ"),
            rules_gradebook.END_OF_TERM: _("Điểm đánh giá cuối kỳ"),
            rules_gradebook.RATING: _("Kết quả Đạt/Chưa đạt"),
            rules_gradebook.MID_TERM_RATING: _("Đánh giá giữa kỳ: Đạt/Chưa đạt"),
            rules_gradebook.END_OF_TERM_RATING: _("Đánh giá cuối kỳ: Đạt/Chưa đạt"),
            rules_gradebook.COMMENT: _("Nhận xét của giáo viên"),
        }.get(field, field)
    )


def result_text(result: Any) -> str:
    """A stored subject result: the average, Đ/CĐ, or "" when incomplete."""
    if result is None:
        return ""
    if result.average is not None:
        return average_text(result.average)
    return rating_text(result.rating, short=True)
