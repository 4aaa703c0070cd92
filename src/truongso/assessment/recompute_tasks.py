"""The background job of ``manage.py assessment recompute-all --background`` (thin: it
calls the service and logs its progress, which the worker's log shows)."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django_tasks import task

from truongso.academics.models import SchoolYear
from truongso.assessment.services.recompute_all import results_recompute_all

logger = logging.getLogger(__name__)


def log_progress(done: int, total: int, summary) -> None:
    logger.info(
        "recompute-all %s: %s/%s classes, %s learners computed, %s unchanged",
        summary.school_year, done, total, summary.learners, summary.skipped,
    )  # fmt: skip


@task()
def results_recompute_all_task(
    user_id: int,
    school_year_id: int,
    institution_ids: list[int] | None = None,
    force: bool = False,
    reason: str = "",
) -> dict:
    """Recompute every result of a school year for the institutions, as ``user_id``."""
    summary = results_recompute_all(
        actor=get_user_model().objects.get(pk=user_id),
        school_year=SchoolYear.objects.get(pk=school_year_id),
        institution_ids=institution_ids,
        force=force,
        reason=reason,
        progress=log_progress,
    )
    return summary.as_audit() | {"seconds": round(summary.seconds, 1)}
