"""Demo data of the modules built on the foundation.

Each module may have a ``demo`` module with two functions:

- ``build(ctx: DemoContext) -> dict[str, int]`` adds its demonstration records to the
  schools the foundation demo made, and returns counts to print, keyed by a translated
  label ("Điểm số": 12345);
- ``reset(institution_ids: list[int]) -> None`` removes them again (called before the
  foundation's own reset, in reverse order).

The order below is the order of dependence: scores before report cards, everything
before the statistics that count it.
"""

from __future__ import annotations

import importlib
import random
from dataclasses import dataclass, field
from typing import Any

EXTENSIONS = (
    "truongso.assessment.demo",
    "truongso.attendance.demo",
    "truongso.reportcards.demo",
    "truongso.vocational.demo",
    "truongso.health.demo",
    "truongso.facilities.demo",
    "truongso.training.demo",
    "truongso.exchange.demo",
    "truongso.stats.demo",
)


@dataclass
class DemoContext:
    """What the foundation demo made, for the modules to build on."""

    seed: int
    today: Any  # datetime.date
    year: Any  # academics.SchoolYear, the current one
    previous_year: Any  # academics.SchoolYear
    province: Any  # units.AdministrativeUnit
    # (institution, kind) for every demo school; the first is the flagship school of
    # the demo accounts.
    schools: list[tuple[Any, str]]
    # institution pk -> its classes of the current year
    classes: dict[int, list[Any]]
    # institution pk -> {"principal": StaffMember, "t3": StaffMember, ...}
    staff: dict[int, dict[str, Any]]
    # username -> User, for the demo accounts made so far
    users: dict[str, Any]
    # Modules add their own demo accounts here: (username, role label, where).
    logins: list[tuple[str, str, str]] = field(default_factory=list)

    def rng(self, module: str) -> random.Random:
        """A random generator of its own for each module, so that adding one module
        does not change the data of another."""
        return random.Random(f"{self.seed}:{module}")

    @property
    def flagship(self):
        return self.schools[0][0]


def _modules():
    for name in EXTENSIONS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name == name:
                continue
            raise
        yield name, module


def extensions_build(ctx: DemoContext) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _name, module in _modules():
        if hasattr(module, "build"):
            counts.update(module.build(ctx) or {})
    return counts


def extensions_reset(institution_ids: list[int]) -> None:
    for _name, module in reversed(list(_modules())):
        if hasattr(module, "reset"):
            module.reset(institution_ids)
