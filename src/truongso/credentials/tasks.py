"""Background work: issuing a large batch (thin: it calls the service)."""

from __future__ import annotations

from django_tasks import task

from truongso.accounts.models import User
from truongso.credentials import selectors, services


@task()
def issuance_batch_issue_task(batch_id: int, actor_id: int) -> None:
    actor = User.objects.get(pk=actor_id)
    batch = selectors.batch_get(actor=actor, pk=batch_id, write=True)
    services.issuance_batch_issue(actor=actor, batch=batch)
