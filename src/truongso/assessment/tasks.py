"""Background tasks of the gradebook (thin: they call the services)."""

from __future__ import annotations

import contextlib

from django_tasks import task

from truongso.academics.models import SchoolClass, Term
from truongso.assessment.selectors.gradebook import GradebookUnavailable
from truongso.assessment.services.results import results_recompute


@task()
def results_recompute_task(class_id: int, term_id: int) -> None:
    """Recompute one class's results for a term and the year (after a school's term
    closure). Results are derived data: no actor is needed."""
    school_class = SchoolClass.objects.select_related("institution", "school_year").get(pk=class_id)
    with contextlib.suppress(GradebookUnavailable):  # no sổ điểm: nothing to compute
        results_recompute(school_class=school_class, term=Term.objects.get(pk=term_id))
