"""Background work of report cards (thin: it calls the service)."""

from __future__ import annotations

from django_tasks import task

from truongso.reportcards import services
from truongso.reportcards.models import ReportCardJob


@task()
def report_card_job_task(job_id: int) -> None:
    """Generate and render a class or a school (the job names who started it)."""
    job = ReportCardJob.objects.select_related(
        "institution", "school_year", "school_class", "created_by"
    ).get(pk=job_id)
    services.report_card_job_run(job=job)
