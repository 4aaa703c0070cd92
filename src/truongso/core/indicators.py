"""How a module offers figures to the statistical reports and the dashboard.

A module that holds figures (facilities, health, training, attendance …) lists them in
``truongso/<app>/indicators.py`` as ``INDICATORS: list[IndicatorSource]``. The statistics
app collects every module's list (see ``INDICATOR_MODULES``) into its catalogue, so a
figure is computed from the records where they are kept and never typed twice.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

# Modules that may offer figures, in no particular order; a missing one is skipped.
INDICATOR_MODULES = (
    "truongso.learners.indicators",
    "truongso.staff.indicators",
    "truongso.assessment.indicators",
    "truongso.attendance.indicators",
    "truongso.vocational.indicators",
    "truongso.health.indicators",
    "truongso.facilities.indicators",
    "truongso.training.indicators",
    "truongso.reportcards.indicators",
)


@dataclass(frozen=True)
class IndicatorSource:
    """One figure per institution, computed from the records as of a cut-off date.

    ``compute(institution_ids, cutoff)`` returns ``{institution_id: value}``; an
    institution with nothing to count may be left out (it counts as 0 when summed).
    ``aggregate`` says how values roll up the unit tree: "sum" (counts), or "none" for
    figures that are not additive (ratios are computed from their sums instead).
    """

    code: str  # stable, e.g. "facilities.classrooms"
    label: str  # Vietnamese, translatable (gettext_lazy)
    unit: str  # "count", "m2", "percent", "ratio" …
    compute: Callable[[Iterable[int], dt.date], dict[int, int | Decimal]]
    aggregate: str = "sum"
    # Education levels it applies to (Institution kinds); empty = all.
    kinds: tuple[str, ...] = ()


def indicator_sources() -> list[IndicatorSource]:
    """Every module's figures, in a stable order of codes."""
    found: dict[str, IndicatorSource] = {}
    for name in INDICATOR_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name == name:
                continue
            raise
        for source in getattr(module, "INDICATORS", []):
            found[source.code] = source
    return [found[code] for code in sorted(found)]
