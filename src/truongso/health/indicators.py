"""Figures of school health offered to the statistics (see core/indicators.py): counted
from the checkups, each learner once by their latest checkup in the twelve months up to
the cut-off date, at the school where the checkup was made."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from truongso.core.indicators import IndicatorSource


def _counter(attribute: str):
    def compute(institution_ids: Iterable[int], cutoff: dt.date) -> dict[int, int]:
        from truongso.health.selectors import counts_by_institution

        start = cutoff - dt.timedelta(days=364)
        counts = counts_by_institution(institution_ids, start, cutoff)
        return {pk: getattr(summary, attribute) for pk, summary in counts.items()}

    return compute


INDICATORS = [
    IndicatorSource(
        code="health.checked",
        label=_("Số học sinh được khám sức khỏe"),
        unit="count",
        compute=_counter("checked"),
    ),
    IndicatorSource(
        code="health.stunted",
        label=_("Số học sinh thấp còi (chiều cao theo tuổi < −2 SD)"),
        unit="count",
        compute=_counter("stunted"),
    ),
    IndicatorSource(
        code="health.thin",
        label=_("Số học sinh gầy còm (BMI theo tuổi < −2 SD)"),
        unit="count",
        compute=_counter("thin"),
    ),
    IndicatorSource(
        code="health.overweight",
        label=_("Số học sinh thừa cân"),
        unit="count",
        compute=_counter("overweight"),
    ),
    IndicatorSource(
        code="health.obese",
        label=_("Số học sinh béo phì"),
        unit="count",
        compute=_counter("obese"),
    ),
]
