"""Background task: push pending records to the parent (thin: calls the service).

django-tasks has no scheduler: run it periodically with cron or a systemd timer
(``manage.py exchange push``), or keep ``manage.py exchange push --every 300`` running."""

from __future__ import annotations

from django_tasks import task

from truongso.exchange.services.push import exchange_push


@task()
def exchange_push_task() -> dict:
    report = exchange_push()
    return {"batches": report.batches, "sent": report.sent, "error": report.error}
