"""Norms (định mức) for rooms and sanitation, checked against a school's records.

A norm is a kind and a value. What each kind asks for, given the school's facts:

- ``classrooms_per_class``: value × classes classrooms (rounded up), usable ones (not
  unsafe) counted;
- ``learners_per_girls_place`` / ``learners_per_boys_place``: one toilet place for every
  ``value`` girls / boys (rounded up);
- ``learners_per_handwashing``: one hand-washing point for every ``value`` learners;
- ``accessible_places``, ``libraries``, ``computer_rooms``, ``subject_rooms``: ``value``
  of them per school;
- ``land_m2_per_learner``: value × learners square metres of land.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

ENOUGH = "enough"
SHORT = "short"


@dataclass(frozen=True)
class SchoolFacts:
    classes: int = 0
    learners: int = 0
    girls: int = 0
    boys: int = 0
    classrooms: int = 0  # usable classrooms (not unsafe)
    libraries: int = 0
    computer_rooms: int = 0
    subject_rooms: int = 0  # subject rooms, laboratories, language rooms
    places_girls: int = 0
    places_boys: int = 0
    places_accessible: int = 0
    handwashing_points: int = 0
    land_m2: Decimal = Decimal(0)


@dataclass(frozen=True)
class NormSpec:
    code: str
    kind: str
    value: Decimal
    kinds: tuple[str, ...] = ()  # institution kinds; empty = all

    def applies_to(self, institution_kind: str) -> bool:
        return not self.kinds or institution_kind in self.kinds


@dataclass(frozen=True)
class NormCheck:
    norm: NormSpec
    required: int | Decimal
    available: int | Decimal

    @property
    def shortfall(self) -> int | Decimal:
        return max(self.required - self.available, 0)

    @property
    def status(self) -> str:
        return ENOUGH if self.available >= self.required else SHORT


def _per(count: int, value: Decimal) -> int:
    """One for every ``value`` of ``count``, rounded up (0 when the value is 0)."""
    if value <= 0 or count <= 0:
        return 0
    return int((Decimal(count) / value).to_integral_value(rounding=ROUND_CEILING))


def _times(count: int, value: Decimal) -> int:
    return int((Decimal(count) * value).to_integral_value(rounding=ROUND_CEILING))


def _each(value: Decimal) -> int:
    return math.ceil(value)


RULES = {
    "classrooms_per_class": lambda f, v: (_times(f.classes, v), f.classrooms),
    "learners_per_girls_place": lambda f, v: (_per(f.girls, v), f.places_girls),
    "learners_per_boys_place": lambda f, v: (_per(f.boys, v), f.places_boys),
    "learners_per_handwashing": lambda f, v: (_per(f.learners, v), f.handwashing_points),
    "accessible_places": lambda f, v: (_each(v), f.places_accessible),
    "libraries": lambda f, v: (_each(v), f.libraries),
    "computer_rooms": lambda f, v: (_each(v), f.computer_rooms),
    "subject_rooms": lambda f, v: (_each(v), f.subject_rooms),
    "land_m2_per_learner": lambda f, v: (
        (Decimal(f.learners) * v).quantize(Decimal("0.1")),
        f.land_m2,
    ),
}


def norm_checks(
    norms: Iterable[NormSpec], facts: SchoolFacts, institution_kind: str
) -> list[NormCheck]:
    """The norms that apply to a school of ``institution_kind``, each with what it
    requires and what the school has."""
    result = []
    for norm in norms:
        rule = RULES.get(norm.kind)
        if rule is None or not norm.applies_to(institution_kind):
            continue
        required, available = rule(facts, norm.value)
        result.append(NormCheck(norm=norm, required=required, available=available))
    return result


def is_clean_water(source: str, treated: bool) -> bool:
    """Piped water is clean; a well or rainwater counts when it is filtered or treated;
    surface water and no source do not count."""
    if source == "piped":
        return True
    return treated and source in ("drilled_well", "dug_well", "rainwater")
