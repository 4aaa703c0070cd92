"""The gap report of a school against a minimum teaching-equipment list.

For each line of the list the school must hold ``quantity`` per class of the line's
grade (``per == "class"``) or ``quantity`` once (``per == "school"``, when the school has
at least one class of that grade). Only items in good condition count as available;
items needing repair or broken are counted apart, so the report says what is missing
(to buy) and what is broken (to repair).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

PER_CLASS = "class"
PER_SCHOOL = "school"

ENOUGH = "enough"
BROKEN = "broken"  # enough items exist, but some are not usable: repair them
MISSING = "missing"  # too few items even counting those to repair: buy more


@dataclass(frozen=True)
class ListLine:
    code: str
    name: str
    grade: int
    subject_code: str
    unit: str
    quantity: int
    per: str


@dataclass(frozen=True)
class Held:
    """What the school holds of one item code."""

    good: int = 0
    unusable: int = 0  # needs repair or broken


@dataclass(frozen=True)
class GapLine:
    line: ListLine
    classes: int
    required: int
    good: int
    unusable: int

    @property
    def shortfall(self) -> int:
        """Items in good condition still needed."""
        return max(self.required - self.good, 0)

    @property
    def to_repair(self) -> int:
        """Of the shortfall, how many a repair of what is held would cover."""
        return min(self.unusable, self.shortfall)

    @property
    def missing(self) -> int:
        """Of the shortfall, how many must be bought."""
        return self.shortfall - self.to_repair

    @property
    def status(self) -> str:
        if self.shortfall == 0:
            return ENOUGH
        return MISSING if self.missing else BROKEN


@dataclass(frozen=True)
class GapSummary:
    lines: int = 0
    enough: int = 0
    broken: int = 0
    missing: int = 0
    items_required: int = 0
    items_short: int = 0  # shortfall, summed over lines
    items_missing: int = 0
    items_to_repair: int = 0


def required_quantity(line: ListLine, classes_of_grade: int) -> int:
    if classes_of_grade <= 0:
        return 0
    if line.per == PER_CLASS:
        return line.quantity * classes_of_grade
    return line.quantity


def equipment_gaps(
    lines: Iterable[ListLine],
    classes_by_grade: Mapping[int, int],
    held: Mapping[str, Held],
) -> list[GapLine]:
    """One GapLine per list line that applies to the school (a grade it teaches)."""
    result = []
    for line in lines:
        classes = classes_by_grade.get(line.grade, 0)
        required = required_quantity(line, classes)
        if required == 0:
            continue
        have = held.get(line.code, Held())
        result.append(
            GapLine(line=line, classes=classes, required=required, good=have.good,
                    unusable=have.unusable)
        )  # fmt: skip
    return result


def summarise(gaps: Iterable[GapLine]) -> GapSummary:
    counts = {"enough": 0, "broken": 0, "missing": 0}
    lines = required = short = missing = repair = 0
    for gap in gaps:
        lines += 1
        counts[gap.status] += 1
        required += gap.required
        short += gap.shortfall
        missing += gap.missing
        repair += gap.to_repair
    return GapSummary(
        lines=lines, enough=counts[ENOUGH], broken=counts[BROKEN],
        missing=counts[MISSING], items_required=required, items_short=short,
        items_missing=missing, items_to_repair=repair,
    )  # fmt: skip


def add_summaries(summaries: Iterable[GapSummary]) -> GapSummary:
    total = GapSummary()
    for s in summaries:
        total = GapSummary(*(a + b for a, b in zip(_values(total), _values(s), strict=True)))
    return total


def _values(summary: GapSummary) -> tuple[int, ...]:
    return (
        summary.lines, summary.enough, summary.broken, summary.missing,
        summary.items_required, summary.items_short, summary.items_missing,
        summary.items_to_repair,
    )  # fmt: skip
