"""Figures of vocational programmes offered to the statistics (see core/indicators.py).

- learners enrolled: distinct learners of a cohort who are still studying on the
  cut-off date and have at least one module enrolment;
- graduates eligible: learners of a cohort whose results, computed with their
  programme's rule set from the scores recorded, meet the graduation conditions
  (the records hold no cut-off history of scores: the figure is as of the records);
- programmes: programmes open for training.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from truongso.core.indicators import IndicatorSource
from truongso.learners.models import LearnerStatus
from truongso.vocational.models import (
    WARNING_LEVELS,
    Cohort,
    DisciplineRecord,
    ModuleEnrolment,
    Programme,
)

KINDS = ("vocational_intermediate", "college")


def learners_enrolled(institution_ids: Iterable[int], cutoff: dt.date) -> dict[int, int]:
    rows = (
        ModuleEnrolment.objects.filter(
            institution_id__in=list(institution_ids),
            learner__status=LearnerStatus.STUDYING,
            created_at__date__lte=cutoff,
        )
        .values("institution_id")
        .annotate(n=Count("learner_id", distinct=True))
    )
    return {row["institution_id"]: row["n"] for row in rows}


def programmes_open(institution_ids: Iterable[int], cutoff: dt.date) -> dict[int, int]:
    rows = (
        Programme.objects.filter(
            institution_id__in=list(institution_ids), is_active=True, created_at__date__lte=cutoff
        )
        .values("institution_id")
        .annotate(n=Count("pk"))
    )
    return {row["institution_id"]: row["n"] for row in rows}


def graduates_eligible(institution_ids: Iterable[int], cutoff: dt.date) -> dict[int, int]:
    from truongso.vocational.selectors import transcript_compute
    from truongso.vocational.services import vocational_rules

    counts: dict[int, int] = {}
    cohorts = Cohort.objects.filter(institution_id__in=list(institution_ids)).select_related(
        "programme", "programme__rule_set"
    )
    for cohort in cohorts:
        rules = vocational_rules(cohort.programme.rule_set)
        by_learner = defaultdict(list)
        learners = {}
        for e in ModuleEnrolment.objects.filter(cohort=cohort).select_related("module", "learner"):
            by_learner[e.learner_id].append(e)
            learners[e.learner_id] = e.learner
        warned = set(
            DisciplineRecord.objects.filter(cohort=cohort, level__in=WARNING_LEVELS).values_list(
                "learner_id", flat=True
            )
        )
        eligible = sum(
            1
            for learner_id, rows in by_learner.items()
            if transcript_compute(
                programme=cohort.programme, rules=rules, cohort=cohort,
                learner=learners[learner_id], enrolments=rows,
                discipline_warning=learner_id in warned,
            ).eligible
        )  # fmt: skip
        if eligible:
            counts[cohort.institution_id] = counts.get(cohort.institution_id, 0) + eligible
    return counts


INDICATORS = [
    IndicatorSource(
        code="vocational.learners_enrolled",
        label=_("Người học đang theo học chương trình giáo dục nghề nghiệp"),
        unit="count",
        compute=learners_enrolled,
        kinds=KINDS,
    ),
    IndicatorSource(
        code="vocational.graduates_eligible",
        label=_("Người học đủ điều kiện tốt nghiệp (giáo dục nghề nghiệp)"),
        unit="count",
        compute=graduates_eligible,
        kinds=KINDS,
    ),
    IndicatorSource(
        code="vocational.programmes",
        label=_("Chương trình đào tạo nghề nghiệp đang tổ chức"),
        unit="count",
        compute=programmes_open,
        kinds=KINDS,
    ),
]
