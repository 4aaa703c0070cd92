"""Background tasks for large imports (thin: they call the services)."""

from __future__ import annotations

from django_tasks import task

from truongso.accounts.models import User
from truongso.imports import selectors, services


@task()
def import_job_check_task(job_id: int, actor_id: int) -> None:
    actor = User.objects.get(pk=actor_id)
    services.import_job_check(actor=actor, job=selectors.import_job_get(actor=actor, pk=job_id))


@task()
def import_job_write_task(job_id: int, actor_id: int) -> None:
    actor = User.objects.get(pk=actor_id)
    services.import_job_write(actor=actor, job=selectors.import_job_get(actor=actor, pk=job_id))
