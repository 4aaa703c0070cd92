"""Shares and ratios of the staff summary, as the statistical reports print them. Pure
functions of plain numbers (no Django)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def share(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent, one decimal, rounded half up; None when ``whole``
    is 0 (nothing to share)."""
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def ratio(numerator: int, denominator: int, places: int = 2) -> Decimal | None:
    """``numerator`` per ``denominator`` (learners per staff member, teachers per
    class), rounded half up to ``places`` decimals; None when the denominator is 0."""
    if not denominator:
        return None
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(numerator) / Decimal(denominator)).quantize(quantum, ROUND_HALF_UP)
