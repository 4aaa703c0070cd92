"""Sending side: the change log of this node's records and the batches built from it.

Every record this node pushes has an ``OutboxRecord``: a record id (a UUID kept for
the life of the row), a version that grows each time the record's wire form changes,
and the version the parent last acknowledged. ``outbox_collect`` compares each row's
wire form with the last one seen (a SHA-256 of the canonical JSON), so changes made by
any service, import or command are caught, audited or not.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from truongso.academics.models import SchoolClass, TeachingAssignment
from truongso.assessment.models import LearnerTermResult, LearnerYearResult, SubjectResult
from truongso.exchange import conf
from truongso.exchange.models import OutboxRecord, OutgoingBatch
from truongso.exchange.rules.wire import FORMAT, TYPE_ORDER, outbound_event, result_key, send_order
from truongso.learners.models import EnrolmentEvent, Guardian, Learner
from truongso.staff.models import StaffMember
from truongso.units.models import Institution

PERSON_FIELDS = (
    "full_name", "date_of_birth", "sex", "personal_id", "ethnicity_code", "ethnicity_list",
    "nationality", "phone", "address",
)  # fmt: skip
LEARNER_EXTRA = ("disability", "policy_categories", "place_of_birth", "grade", "status",
                 "enrolled_on")  # fmt: skip
STAFF_EXTRA = ("position", "qualification", "major", "employment_status", "hired_on", "email")
INSTITUTION_FIELDS = ("code", "name", "kind", "grade_from", "grade_to", "ownership", "address",
                      "phone", "email", "website", "is_active")  # fmt: skip

Refs = dict[tuple[str, int], str]


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _fields(row, names) -> dict[str, Any]:
    return {name: _plain(getattr(row, name)) for name in names}


def _ref(refs: Refs, record_type: str, local_id: int | None) -> str | None:
    return refs.get((record_type, local_id)) if local_id else None


def _institution_data(row: Institution, refs: Refs) -> dict[str, Any]:
    data = _fields(row, INSTITUTION_FIELDS)
    data["commune_code"] = row.commune.code
    data["latitude"] = str(row.latitude) if row.latitude is not None else None
    data["longitude"] = str(row.longitude) if row.longitude is not None else None
    return data


def _staff_data(row: StaffMember, refs: Refs) -> dict[str, Any]:
    data = _fields(row, PERSON_FIELDS + STAFF_EXTRA)
    data["education_id"] = row.education_id or ""
    return data


def _class_data(row: SchoolClass, refs: Refs) -> dict[str, Any]:
    return {
        "school_year": row.school_year.name,
        "grade": row.grade,
        "name": row.name,
        "room": row.room,
        "homeroom_teacher": _ref(refs, "staff", row.homeroom_teacher_id),
    }


def _learner_data(row: Learner, refs: Refs) -> dict[str, Any]:
    data = _fields(row, PERSON_FIELDS + LEARNER_EXTRA)
    data["education_id"] = row.education_id or ""
    data["school_class"] = _ref(refs, "class", row.current_class_id)
    return data


def _event_data(row: EnrolmentEvent, refs: Refs) -> dict[str, Any]:
    return {
        "learner": _ref(refs, "learner", row.learner_id),
        "kind": row.kind,
        "occurred_on": row.occurred_on.isoformat(),
        "school_year": row.school_year.name if row.school_year_id else None,
        "from_class": _ref(refs, "class", row.from_class_id),
        "to_class": _ref(refs, "class", row.to_class_id),
        "grade": row.grade,
        "other_institution_code": row.other_institution.code if row.other_institution_id else "",
        "reason": row.reason,
    }


def _guardian_data(row: Guardian, refs: Refs) -> dict[str, Any]:
    """Only what the sector database needs of a guardian: name, relationship, phone."""
    return {
        "learner": _ref(refs, "learner", row.learner_id),
        "relationship": row.relationship,
        "full_name": row.full_name,
        "phone": row.phone,
    }


def _assignment_data(row: TeachingAssignment, refs: Refs) -> dict[str, Any]:
    return {
        "school_class": _ref(refs, "class", row.school_class_id),
        "subject": row.subject.code,
        "staff_member": _ref(refs, "staff", row.staff_member_id),
    }


def node_institution_ids() -> list[int]:
    """The institutions this node pushes: EXCHANGE_INSTITUTIONS, or all of them."""
    codes = conf.institution_codes()
    rows = Institution.objects.all()
    if codes:
        rows = rows.filter(code__in=codes)
    return list(rows.order_by("pk").values_list("pk", flat=True))


# A source yields, for each current record of a type: (local id, local key,
# institution id, wire form).
Row = tuple[int, str, int, dict[str, Any]]


def _rows(queryset, serialise: Callable, institution_of: Callable) -> Callable:
    def source(refs: Refs) -> Iterator[Row]:
        for row in queryset.iterator(chunk_size=2000):
            yield row.pk, "", institution_of(row), serialise(row, refs)

    return source


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


TERM_RESULT_FIELDS = ("rule_set", "learning", "learning_base", "conduct", "days_absent", "missing")
YEAR_RESULT_FIELDS = ("promotion", "promotion_reason", "retest_subjects", "award",
                      "summer_outcome", "summer_subjects", "summer_learning", "summer_conduct",
                      "summer_missing")  # fmt: skip


def _result_rows(ids: list[int]) -> Callable:
    """A learner's stored results of a term or of the year, with the subjects' results
    of the same period: one record per (learner, school year, period)."""

    def source(refs: Refs) -> Iterator[Row]:
        subjects: dict[tuple[int, int, int], list[dict[str, Any]]] = defaultdict(list)
        for learner_id, year_id, period, code, average, rating, missing in (
            SubjectResult.objects.filter(institution_id__in=ids)
            .order_by("learner_id", "school_year_id", "period", "subject__code")
            .values_list("learner_id", "school_year_id", "period", "subject__code", "average",
                         "rating", "missing")
            .iterator(chunk_size=5000)
        ):  # fmt: skip
            subjects[(learner_id, year_id, period)].append(
                {"subject": code, "average": _decimal(average), "rating": rating,
                 "missing": missing}
            )  # fmt: skip
        terms = LearnerTermResult.objects.filter(institution_id__in=ids).select_related(
            "term", "school_year"
        )
        years = LearnerYearResult.objects.filter(institution_id__in=ids).select_related(
            "school_year"
        )
        for rows, fields in ((terms, ()), (years, YEAR_RESULT_FIELDS)):
            for row in rows.order_by("pk").iterator(chunk_size=2000):
                period = row.term.number if fields == () else 0
                data = {
                    "learner": _ref(refs, "learner", row.learner_id),
                    "school_year": row.school_year.name,
                    "period": period,
                    "school_class": _ref(refs, "class", row.school_class_id),
                    **_fields(row, TERM_RESULT_FIELDS + fields),
                    "subjects": subjects.get((row.learner_id, row.school_year_id, period), []),
                }
                key = result_key(row.school_year_id, period)
                yield row.learner_id, key, row.institution_id, data

    return source


def _sources(ids: list[int]) -> dict[str, Callable[[Refs], Iterator[Row]]]:
    """For each record type: a function of the references giving its current records."""
    return {
        "institution": _rows(
            Institution.objects.filter(pk__in=ids).select_related("commune"),
            _institution_data,
            lambda row: row.pk,
        ),
        "staff": _rows(
            StaffMember.objects.filter(institution_id__in=ids),
            _staff_data,
            lambda row: row.institution_id,
        ),
        "class": _rows(
            SchoolClass.objects.filter(institution_id__in=ids).select_related("school_year"),
            _class_data,
            lambda row: row.institution_id,
        ),
        "learner": _rows(
            Learner.objects.filter(institution_id__in=ids),
            _learner_data,
            lambda row: row.institution_id,
        ),
        "enrolment_event": _rows(
            EnrolmentEvent.objects.filter(institution_id__in=ids).select_related(
                "school_year", "other_institution"
            ),
            _event_data,
            lambda row: row.institution_id,
        ),
        "guardian": _rows(
            Guardian.objects.filter(institution_id__in=ids),
            _guardian_data,
            lambda row: row.institution_id,
        ),
        "teaching_assignment": _rows(
            TeachingAssignment.objects.filter(institution_id__in=ids).select_related("subject"),
            _assignment_data,
            lambda row: row.institution_id,
        ),
        "result": _result_rows(ids),
    }


MODELS = {
    "institution": Institution,
    "staff": StaffMember,
    "class": SchoolClass,
    "learner": Learner,
    "enrolment_event": EnrolmentEvent,
    "guardian": Guardian,
    "teaching_assignment": TeachingAssignment,
}


def _result_exists(record: OutboxRecord) -> bool:
    year_id, period = (int(part) for part in record.local_key.split(":"))
    if period == 0:
        rows = LearnerYearResult.objects.filter(school_year_id=year_id)
    else:
        rows = LearnerTermResult.objects.filter(term__school_year_id=year_id, term__number=period)
    return rows.filter(learner_id=record.local_id).exists()


def _still_there(record_type: str, records: list[OutboxRecord]) -> set[int]:
    """Of records no longer among this node's, those whose row still exists (it moved
    to a school this node does not push: a transfer, not a deletion)."""
    if record_type == "result":
        return {r.pk for r in records if _result_exists(r)}
    present = set(
        MODELS[record_type]
        .objects.filter(pk__in=[r.local_id for r in records])
        .values_list("pk", flat=True)
    )
    return {r.pk for r in records if r.local_id in present}


def payload_hash(data: dict[str, Any], institution_code: str) -> str:
    text = json.dumps([institution_code, data], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _institution_codes() -> dict[int, str]:
    return dict(Institution.objects.values_list("pk", "code"))


Key = tuple[str, int, str]
Wire = dict[Key, tuple[str, dict]]


def record_key(record: OutboxRecord) -> Key:
    return (record.record_type, record.local_id, record.local_key)


@transaction.atomic
def outbox_collect() -> Wire:
    """Bring the change log up to date; returns the wire form of every current record,
    keyed by (type, local id, local key), with its institution code."""
    now = timezone.now()
    ids = node_institution_ids()
    codes = _institution_codes()
    known = {record_key(r): r for r in OutboxRecord.objects.select_for_update()}
    refs: Refs = {(t, pk): str(r.record_id) for (t, pk, key), r in known.items() if not key}
    sources = _sources(ids)
    wire: Wire = {}
    new: list[OutboxRecord] = []
    changed: list[OutboxRecord] = []
    for record_type in TYPE_ORDER:
        seen: set[tuple[int, str]] = set()
        for local_id, local_key, institution_id, data in sources[record_type](refs):
            seen.add((local_id, local_key))
            key = (record_type, local_id, local_key)
            record = known.get(key)
            if record is None:
                record = OutboxRecord(
                    record_type=record_type, local_id=local_id, local_key=local_key,
                    record_id=uuid.uuid4(), version=1, changed_at=now,
                )  # fmt: skip
                known[key] = record
                if not local_key:
                    refs[(record_type, local_id)] = str(record.record_id)
                new.append(record)
            code = codes.get(institution_id, "")
            wire[key] = (code, data)
            digest = payload_hash(data, code)
            record.institution_id = institution_id
            if record.pk is None:
                record.payload_hash = digest
            elif record.payload_hash != digest or record.cancelled:
                record.payload_hash = digest
                record.cancelled = False
                record.version += 1
                record.changed_at = now
                changed.append(record)
        gone = [
            r
            for (t, pk, lk), r in known.items()
            if t == record_type and (pk, lk) not in seen and r.pk and not r.cancelled
        ]
        still_there = _still_there(record_type, gone) if gone else set()
        for record in gone:
            if record.pk in still_there:
                continue  # moved out of this node's schools (a transfer): not a deletion
            record.cancelled = True
            record.version += 1
            record.changed_at = now
            changed.append(record)
    OutboxRecord.objects.bulk_create(new, batch_size=2000)
    OutboxRecord.objects.bulk_update(
        changed, ["version", "changed_at", "payload_hash", "cancelled", "institution_id"],
        batch_size=2000,
    )  # fmt: skip
    return wire


def pending_records():
    return OutboxRecord.objects.filter(version__gt=F("sent_version"))


def _record_entry(record: OutboxRecord, wire: Wire) -> dict[str, Any]:
    code, data = wire.get(record_key(record), ("", {}))
    if record.cancelled:
        data = {}
        code = (
            Institution.objects.filter(pk=record.institution_id)
            .values_list("code", flat=True)
            .first()
            or ""
        )
    return {
        "record_id": str(record.record_id),
        "type": record.record_type,
        "event": outbound_event(cancelled=record.cancelled, sent_version=record.sent_version),
        "version": record.version,
        "changed_at": record.changed_at.isoformat(),
        "institution_code": code,
        "data": data,
    }


def _send_order(record: OutboxRecord) -> tuple[int, int, int]:
    deferred = record.deferred_version == record.version
    return send_order(record.record_type, deferred=deferred, serial=record.pk)


def unacknowledged_batch() -> OutgoingBatch | None:
    return OutgoingBatch.objects.filter(acknowledged_at__isnull=True).order_by("cursor").first()


def batch_preview(*, limit: int | None = None) -> list[dict[str, Any]]:
    """The records the next batches would carry (for --dry-run), nothing stored."""
    with transaction.atomic():
        wire = outbox_collect()
        records = sorted(pending_records(), key=_send_order)
        entries = [_record_entry(r, wire) for r in records[: limit or None]]
        transaction.set_rollback(True)
    return entries


@transaction.atomic
def batch_build(*, include_empty: bool = False) -> OutgoingBatch | None:
    """The next batch: the unacknowledged one if there is one (resent unchanged),
    otherwise a new one from the pending records (None when nothing is pending)."""
    waiting = unacknowledged_batch()
    if waiting is not None:
        return waiting
    wire = outbox_collect()
    size = conf.batch_size()
    records = sorted(pending_records(), key=_send_order)[:size]
    if not records and not include_empty:
        return None
    last = OutgoingBatch.objects.order_by("-cursor").values_list("cursor", flat=True).first()
    cursor = (last or 0) + 1
    batch = OutgoingBatch(cursor=cursor, record_count=len(records), payload={})
    batch.payload = {
        "format": FORMAT,
        "batch_id": str(batch.batch_id),
        "node_id": conf.node_id(),
        "cursor": cursor,
        "sent_at": timezone.now().isoformat(),
        "records": [_record_entry(r, wire) for r in records],
    }
    batch.save()
    return batch
