"""Which class a learner was in on a given day, from their class changes.

A class change (chuyển lớp) dated ``on`` puts the learner in the new class from that day
on: the days before belong to the old class. Pure functions of plain data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ClassChange:
    on: dt.date
    from_class_id: int | None
    to_class_id: int | None


def class_on(
    day: dt.date, current_class_id: int | None, changes: Iterable[ClassChange]
) -> int | None:
    """The class of a learner on ``day``: the class they moved to by the last change on or
    before ``day``; before their first change, the class they left by it; with no change
    at all, their current class."""
    ordered = sorted(changes, key=lambda c: c.on)
    if not ordered:
        return current_class_id
    before = [c for c in ordered if c.on <= day]
    if before:
        return before[-1].to_class_id
    return ordered[0].from_class_id


def days_in_class(
    days: Iterable[dt.date],
    class_id: int,
    current_class_id: int | None,
    changes: Iterable[ClassChange],
) -> list[dt.date]:
    """The days among ``days`` on which the learner was in ``class_id``."""
    changes = list(changes)
    return [d for d in days if class_on(d, current_class_id, changes) == class_id]
