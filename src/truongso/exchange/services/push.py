"""Sending side: push batches to the parent and record its answers.

A batch is stored before it is sent and resent unchanged until the parent answers;
the acknowledged versions move only after the answer is stored. So a failure at any
point (before sending, while the parent applies, after it committed but before the
answer arrived) is resumed by pushing again: the parent either applies the batch or,
having applied it already, returns the same answer.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from truongso.audit.services import audit_record, model_snapshot
from truongso.exchange import conf
from truongso.exchange.models import OutboxRecord, OutgoingBatch, SchoolPushState
from truongso.exchange.rules.wire import acknowledged_version
from truongso.exchange.services.outbox import _learner_data, batch_build, payload_hash
from truongso.learners.models import Learner

logger = logging.getLogger(__name__)

Transport = Callable[[dict[str, Any]], dict[str, Any]]


class PushFailed(Exception):
    """The parent could not be reached or refused the batch; nothing was lost."""


def http_transport(payload: dict[str, Any]) -> dict[str, Any]:
    """POST the batch to the parent's exchange API with this node's token."""
    url = conf.parent_url()
    token = conf.parent_token()
    if not url.startswith(("http://", "https://")) or not token:
        raise PushFailed(
            _("Chưa cấu hình nút cấp trên (EXCHANGE_PARENT_URL, EXCHANGE_PARENT_TOKEN).")
        )
    request = urllib.request.Request(  # noqa: S310 (http or https only, checked above)
        f"{url}/api/v1/exchange/batches",
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token}",
            "Accept-Language": "vi",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=conf.timeout()) as response:  # noqa: S310
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        try:
            detail = json.loads(error.read().decode("utf-8")).get("detail", "")
        except (ValueError, AttributeError):
            detail = ""
        raise PushFailed(
            _("Nút cấp trên trả lời lỗi %(status)s. %(detail)s")
            % {"status": error.code, "detail": detail}
        ) from error
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise PushFailed(
            _("Không kết nối được nút cấp trên: %(error)s") % {"error": error}
        ) from error


@dataclass
class PushReport:
    batches: int = 0
    sent: int = 0
    applied: int = 0
    skipped: int = 0
    deferred: int = 0
    conflicts: int = 0
    identifiers: int = 0
    error: str = ""
    cursors: list[int] = field(default_factory=list)


def _set_learner_identifier(record: OutboxRecord, identifier: str) -> None:
    """The education identifier the parent assigned becomes the learner's identifier
    here. A local, never-confirmed identifier that happens to be the same string is
    taken off the other learner (it gets its own from the parent in turn)."""
    learner = Learner.objects.select_for_update().filter(pk=record.local_id).first()
    if learner is None or learner.education_id == identifier:
        return
    unchanged = payload_hash(_learner_data(learner, _refs()), _code(learner)) == record.payload_hash
    for other in (
        Learner.objects.select_for_update().filter(education_id=identifier).exclude(pk=learner.pk)
    ):
        before = model_snapshot(other)
        other.education_id = None
        other.save(update_fields=["education_id"])
        audit_record(actor=None, action="exchange.learner_identifier_release", instance=other,
                     before=before, after=model_snapshot(other),
                     reason=_("Mã định danh cấp tạm trùng với mã do CSDL ngành cấp."))  # fmt: skip
    before = model_snapshot(learner)
    learner.education_id = identifier
    learner.save(update_fields=["education_id"])
    audit_record(actor=None, action="exchange.learner_identifier_set", instance=learner,
                 before=before, after=model_snapshot(learner),
                 reason=_("Mã định danh do CSDL ngành cấp."))  # fmt: skip
    if unchanged:
        # The identifier came from the parent: no need to send it back.
        record.payload_hash = payload_hash(_learner_data(learner, _refs()), _code(learner))


def _refs():
    return {
        (r.record_type, r.local_id): str(r.record_id)
        for r in OutboxRecord.objects.filter(local_key="")
    }


def _code(learner: Learner) -> str:
    return learner.institution.code


@transaction.atomic
def batch_acknowledge(*, batch: OutgoingBatch, answer: dict[str, Any]) -> None:
    """Store the parent's answer and move the acknowledged versions forward."""
    batch = OutgoingBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.acknowledged_at is not None:
        return
    if str(answer.get("batch_id")) != str(batch.batch_id):
        raise PushFailed(_("Câu trả lời của nút cấp trên không khớp với lô đã gửi."))
    sent = {r["record_id"]: r["version"] for r in batch.payload.get("records", [])}
    done = {}
    for key in ("applied", "skipped", "conflicts"):
        for item in answer.get(key, []):
            if item.get("record_id") in sent:
                done[item["record_id"]] = sent[item["record_id"]]
    conflicts = {c["record_id"]: c.get("message", "") for c in answer.get("conflicts", [])}
    deferred = {d["record_id"]: sent[d["record_id"]] for d in answer.get("deferred", [])
                if d.get("record_id") in sent}  # fmt: skip
    identifiers = answer.get("identifiers", {}) or {}
    resolutions = {r["record_id"]: r for r in answer.get("resolutions", []) or []}
    touched = set(done) | set(identifiers) | set(resolutions) | set(deferred)
    records = {str(r.record_id): r for r in OutboxRecord.objects.select_for_update().filter(
        record_id__in=list(touched))}  # fmt: skip
    for record_id, record in records.items():
        if record_id in deferred:
            record.deferred_version = deferred[record_id]
        if record_id in done:
            record.sent_version = acknowledged_version(record.sent_version, done[record_id])
            record.conflict_message = conflicts.get(record_id, "")[:500]
        resolution = resolutions.get(record_id)
        identifier = identifiers.get(record_id) or (resolution or {}).get("identifier") or ""
        if resolution is not None:
            if resolution.get("status") == "rejected":
                record.conflict_message = (
                    _("Bị từ chối: %(note)s") % {"note": resolution.get("note", "")}
                )[:500]
            else:
                record.conflict_message = ""
        if identifier and record.record_type == "learner":
            record.remote_identifier = identifier
            _set_learner_identifier(record, identifier)
    OutboxRecord.objects.bulk_update(
        list(records.values()),
        ["sent_version", "conflict_message", "remote_identifier", "payload_hash",
         "deferred_version"],
    )  # fmt: skip
    batch.acknowledged_at = timezone.now()
    _school_state_note(batch, [r for key, r in records.items() if key in done])
    batch.answer = answer
    batch.last_error = ""
    batch.save(update_fields=["acknowledged_at", "answer", "last_error"])


def _school_state_note(batch: OutgoingBatch, records: list[OutboxRecord]) -> None:
    """Per institution: this batch is the last acknowledged one that carried its records."""
    counts = Counter(record.institution_id for record in records)
    for institution_id, count in counts.items():
        state, _created = SchoolPushState.objects.select_for_update().get_or_create(
            institution_id=institution_id
        )
        state.records_acknowledged += count
        if batch.cursor >= state.last_cursor:
            state.last_cursor = batch.cursor
            state.last_acknowledged_at = batch.acknowledged_at
        state.save()


def _note_failure(batch: OutgoingBatch, message: str) -> None:
    OutgoingBatch.objects.filter(pk=batch.pk).update(last_error=message[:500])


def exchange_push(*, transport: Transport | None = None, max_batches: int = 1000) -> PushReport:
    """Push every pending record to the parent, batch after batch. Stops at the first
    failure (the batch is kept and resent next time) and when a batch brings nothing
    forward (every record in it is waiting for something the parent has not got)."""
    transport = transport or http_transport
    report = PushReport()
    open_conflicts = OutboxRecord.objects.exclude(conflict_message="").exists()
    for number in range(max_batches):
        batch = batch_build(include_empty=number == 0 and open_conflicts)
        if batch is None:
            break
        OutgoingBatch.objects.filter(pk=batch.pk).update(
            attempts=batch.attempts + 1, last_attempt_at=timezone.now()
        )
        try:
            answer = transport(batch.payload)
            batch_acknowledge(batch=batch, answer=answer)
        except (PushFailed, ValidationError, KeyError, TypeError) as error:
            message = (
                str(error)
                if isinstance(error, PushFailed)
                else _("Câu trả lời của nút cấp trên không đúng định dạng.")
            )
            _note_failure(batch, message)
            report.error = message
            logger.warning("exchange push: batch %s not acknowledged", batch.cursor)
            return report
        report.batches += 1
        report.cursors.append(batch.cursor)
        report.sent += batch.record_count
        report.applied += len(answer.get("applied", []))
        report.skipped += len(answer.get("skipped", []))
        report.deferred += len(answer.get("deferred", []))
        report.conflicts += len(answer.get("conflicts", []))
        report.identifiers += len(answer.get("identifiers", {}) or {})
        progressed = batch.record_count - len(answer.get("deferred", []))
        if batch.record_count == 0 or progressed <= 0:
            break
    return report
