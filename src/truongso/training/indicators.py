"""Figures of staff development offered to the statistics (see core/indicators.py), all
computed from the training records and appraisals, never typed twice. The school year
is the one the cut-off date falls in."""

from __future__ import annotations

import datetime as dt

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from truongso.core.indicators import IndicatorSource
from truongso.training.models import OfficialRating, ProfessionalStandard
from truongso.training.selectors import figures, school_year_at


def _figures(institution_ids, cutoff: dt.date):
    return figures(institution_ids, school_year_at(cutoff), cutoff)


def _attribute(name: str):
    def compute(institution_ids, cutoff: dt.date) -> dict[int, int]:
        return {pk: getattr(f, name) for pk, f in _figures(institution_ids, cutoff).items()}

    return compute


def _level(scale: str, code: str):
    def compute(institution_ids, cutoff: dt.date) -> dict[int, int]:
        return {pk: getattr(f, scale)[code] for pk, f in _figures(institution_ids, cutoff).items()}

    return compute


INDICATORS = [
    IndicatorSource(
        "training.teachers", _("Giáo viên đang công tác"), "count", _attribute("teachers")
    ),
    IndicatorSource(
        "training.teachers_digital_skills",
        _("Giáo viên được bồi dưỡng kỹ năng số, ứng dụng CNTT"),
        "count",
        _attribute("teachers_digital_skills"),
    ),
    IndicatorSource(
        "training.teachers_digital_materials",
        _("Giáo viên được bồi dưỡng xây dựng học liệu số"),
        "count",
        _attribute("teachers_digital_materials"),
    ),
    IndicatorSource(
        "training.hours", _("Số tiết bồi dưỡng cán bộ trong năm học"), "hours", _attribute("hours")
    ),
    *[
        IndicatorSource(
            f"training.standard.{code}",
            format_lazy("{}: {}", _("Giáo viên đạt chuẩn nghề nghiệp mức"), label),
            "count",
            _level("standard", code),
        )
        for code, label in ProfessionalStandard.choices
    ],
    *[
        IndicatorSource(
            f"training.rating.{code}",
            format_lazy("{}: {}", _("Viên chức xếp loại"), label),
            "count",
            _level("rating", code),
        )
        for code, label in OfficialRating.choices
    ],
]
