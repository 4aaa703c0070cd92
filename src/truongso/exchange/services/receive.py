"""Receiving side: apply a child node's batch to this node's tables.

One transaction per batch. Each record is applied in its own savepoint, through the
services of the app that owns it (classes, staff, institutions) with the node's system
account as the actor, or for learners through ``learner_mirror_save`` below (the parent
keeps the identifier and mirrors the school's record; enrolment events arrive as
records of their own). Per record the last applied version is kept, so an older
version is skipped and recorded as skipped, and a batch sent twice is answered from
the stored answer without touching anything.
"""

from __future__ import annotations

import datetime as dt
import decimal
import os
from collections import Counter
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from truongso.academics.models import SchoolClass, SchoolYear, Subject, TeachingAssignment
from truongso.academics.services import (
    class_create,
    class_update,
    school_year_ensure,
    teaching_assignment_set,
)
from truongso.audit.services import audit_record, model_snapshot
from truongso.exchange import conf
from truongso.exchange.models import (
    ChildNode,
    Conflict,
    ConflictReason,
    ConflictStatus,
    InboundRecord,
    InboundState,
    ReceivedBatch,
    ReceivedResult,
    SchoolReceipt,
)
from truongso.exchange.rules.wire import APPLY, version_decision
from truongso.exchange.services.results import received_result_save, received_result_withdraw
from truongso.learners.models import (
    EnrolmentEvent,
    EnrolmentEventKind,
    Guardian,
    Learner,
    LearnerStatus,
)
from truongso.learners.services import (
    LEARNER_FIELDS,
    education_id_issue,
    guardian_save,
    prepare_learner,
)
from truongso.staff.models import StaffMember
from truongso.staff.services import STAFF_FIELDS, staff_create, staff_update
from truongso.units.models import AdministrativeUnit, Institution
from truongso.units.services import institution_update

LEARNER_MIRRORED = LEARNER_FIELDS + ("grade", "status", "enrolled_on")
DATE_FIELDS = ("date_of_birth", "enrolled_on", "hired_on", "occurred_on")


class Deferred(Exception):
    """The record refers to one this node has not received yet: not acknowledged, so
    the child sends it again with its next batch."""


class Refused(Exception):
    def __init__(self, reason: str, message: str, existing: Learner | None = None):
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.existing = existing


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(_("Ngày không hợp lệ: %(value)s") % {"value": value})


def _clean(data: dict[str, Any], names) -> dict[str, Any]:
    fields = {}
    for name in names:
        if name not in data:
            continue
        value = data[name]
        if name in DATE_FIELDS:
            value = _date(value)
        elif value is None and name not in ("grade",):
            value = ""
        fields[name] = value
    return fields


def _local(node: ChildNode, record_id: str | None, record_type: str, *, defer: bool = True):
    """The local id a child's reference points to; Deferred if never received."""
    if not record_id:
        return None
    target = InboundRecord.objects.filter(node=node, record_id=record_id).first()
    if target is None:
        if defer:
            raise Deferred(_("%(type)s %(id)s chưa được gửi lên.") % {"type": record_type,
                                                                     "id": record_id})  # fmt: skip
        return None
    if target.record_type != record_type or target.state != InboundState.APPLIED:
        return None
    return target.local_id


# Learners -------------------------------------------------------------------------


def _same_person(learner: Learner, data: dict[str, Any]) -> bool:
    from truongso.core.rules.text import fold

    pid = (data.get("personal_id") or "").replace(" ", "")
    if pid and learner.personal_id:
        return pid == learner.personal_id
    return (
        fold(data.get("full_name") or "") == learner.search_name
        and _date(data.get("date_of_birth")) == learner.date_of_birth
    )


def _mapped(learner: Learner) -> bool:
    return InboundRecord.objects.filter(
        record_type="learner", local_id=learner.pk, state=InboundState.APPLIED
    ).exists()


def _learner_match(data: dict[str, Any], institution: Institution) -> Learner | None:
    """An existing learner here that the incoming new record is, or a Refused."""
    identifier = (data.get("education_id") or "").strip()
    if identifier:
        holder = Learner.objects.filter(education_id=identifier).first()
        if holder is not None and _same_person(holder, data):
            if _mapped(holder) or holder.institution_id != institution.pk:
                raise Refused(
                    ConflictReason.IDENTIFIER,
                    _("Mã định danh %(id)s đã thuộc học sinh %(name)s của %(school)s.")
                    % {"id": identifier, "name": holder.full_name,
                       "school": holder.institution.name},
                    existing=holder,
                )  # fmt: skip
            return holder
        # Not here, or another person: a provisional identifier of the school; the
        # sector database gives its own.
    pid = (data.get("personal_id") or "").replace(" ", "")
    if pid:
        for other in Learner.objects.filter(personal_id=pid).select_related("institution"):
            if not _mapped(other) and other.institution_id == institution.pk:
                return other
            raise Refused(
                ConflictReason.PERSONAL_ID,
                _("Số định danh cá nhân %(pid)s đã có ở học sinh %(name)s của %(school)s.")
                % {"pid": pid, "name": other.full_name, "school": other.institution.name},
                existing=other,
            )
    return None


def learner_mirror_save(
    *,
    actor,
    learner: Learner | None,
    institution: Institution,
    data: dict[str, Any],
    school_class: SchoolClass | None,
    reason: str = "",
) -> Learner:
    """Create or change the mirrored learner (the parent's copy of a school's record).

    The parent gives the education identifier to a new learner and never takes one
    from the child. Audited as ``exchange.learner.create`` / ``exchange.learner.update``."""
    fields = _clean(data, LEARNER_MIRRORED)
    if fields.get("status", LearnerStatus.STUDYING) not in LearnerStatus.values:
        raise ValidationError({"status": _("Trạng thái học sinh không hợp lệ.")})
    created = learner is None
    before = None if created else model_snapshot(learner)
    if created:
        learner = Learner(institution=institution)
    for name, value in fields.items():
        setattr(learner, name, value)
    learner.institution = institution
    learner.current_class = school_class
    if school_class is not None:
        learner.grade = school_class.grade
    prepare_learner(learner)
    if not learner.education_id:
        learner.education_id = education_id_issue(institution=institution)[0]
    learner.full_clean()
    if not created and model_snapshot(learner) == before:
        return learner
    if not created:
        learner.version += 1
    learner.save()
    audit_record(actor=actor, action="exchange.learner.create" if created else
                 "exchange.learner.update", instance=learner, before=before,
                 after=model_snapshot(learner), reason=reason)  # fmt: skip
    return learner


def _apply_learner(node, institution, rec, inbound, allowed, *, force=False):
    data = rec["data"]
    class_id = _local(node, data.get("school_class"), "class")
    school_class = SchoolClass.objects.filter(pk=class_id).first() if class_id else None
    learner = None
    if inbound.local_id and inbound.state == InboundState.APPLIED:
        learner = Learner.objects.select_for_update().filter(pk=inbound.local_id).first()
        if learner is not None and learner.institution_id not in allowed:
            return learner.pk, learner.education_id  # linked to another school's learner
    if learner is None and not force:
        learner = _learner_match(data, institution)
    learner = learner_mirror_save(actor=node.user, learner=learner, institution=institution,
                                  data=data, school_class=school_class)  # fmt: skip
    return learner.pk, learner.education_id


# Other records --------------------------------------------------------------------


def _apply_institution(node, institution, rec, inbound, allowed, **kw):
    data = rec["data"]
    commune = (
        AdministrativeUnit.objects.current()
        .filter(level="commune", code=data.get("commune_code") or "")
        .first()
    )
    if commune is None:
        raise Refused(
            ConflictReason.UNKNOWN_UNIT,
            _("Xã/phường mã %(code)s không có trong danh mục đơn vị hành chính hiện hành.")
            % {"code": data.get("commune_code") or "—"},
        )
    fields = _clean(data, ("name", "kind", "grade_from", "grade_to", "ownership", "address",
                           "phone", "email", "website", "is_active"))  # fmt: skip
    for name in ("latitude", "longitude"):
        if data.get(name) not in (None, ""):
            fields[name] = decimal.Decimal(str(data[name]))
    fields["commune"] = commune
    institution_update(actor=node.user, institution=institution, fields=fields)
    return institution.pk, ""


def _apply_staff(node, institution, rec, inbound, allowed, **kw):
    fields = _clean(rec["data"], STAFF_FIELDS)
    member = None
    if inbound.local_id:
        member = StaffMember.objects.filter(pk=inbound.local_id).first()
    if member is None and fields.get("personal_id"):
        taken = InboundRecord.objects.filter(record_type="staff", state=InboundState.APPLIED)
        member = (
            StaffMember.objects.filter(institution=institution, personal_id=fields["personal_id"])
            .exclude(pk__in=taken.values("local_id"))
            .first()
        )
    if member is None:
        member = staff_create(actor=node.user, institution=institution, fields=fields)
    elif member.institution_id in allowed:
        member = staff_update(actor=node.user, member=member, fields=fields)
    return member.pk, member.education_id or ""


def _school_year(name: str | None) -> SchoolYear | None:
    if not name:
        return None
    year = SchoolYear.objects.filter(name=name).first()
    if year is None:
        try:
            year = school_year_ensure(int(str(name)[:4]))
        except ValueError:
            raise ValidationError(_("Năm học không hợp lệ: %(name)s") % {"name": name})
    return year


def _apply_class(node, institution, rec, inbound, allowed, **kw):
    data = rec["data"]
    teacher_id = _local(node, data.get("homeroom_teacher"), "staff", defer=False)
    fields = {
        "school_year": _school_year(data.get("school_year")),
        "grade": data.get("grade"),
        "name": data.get("name") or "",
        "room": data.get("room") or "",
        "homeroom_teacher": StaffMember.objects.filter(pk=teacher_id).first()
        if teacher_id
        else None,
    }
    school_class = None
    if inbound.local_id:
        school_class = SchoolClass.objects.filter(pk=inbound.local_id).first()
    if school_class is None:
        taken = InboundRecord.objects.filter(record_type="class", state=InboundState.APPLIED)
        school_class = (
            SchoolClass.objects.filter(institution=institution, school_year=fields["school_year"],
                                       name=fields["name"])
            .exclude(pk__in=taken.values("local_id"))
            .first()
        )  # fmt: skip
    if school_class is None:
        school_class = class_create(actor=node.user, institution=institution, fields=fields)
    else:
        school_class = class_update(actor=node.user, school_class=school_class, fields=fields)
    return school_class.pk, ""


def _apply_event(node, institution, rec, inbound, allowed, **kw):
    data = rec["data"]
    if inbound.local_id and EnrolmentEvent.objects.filter(pk=inbound.local_id).exists():
        return inbound.local_id, ""  # events are never edited
    target = InboundRecord.objects.filter(node=node, record_id=data.get("learner") or None).first()
    if target is None or target.state == InboundState.CONFLICT:
        raise Deferred(_("Học sinh của biến động chưa được cập nhật."))
    if target.state != InboundState.APPLIED or target.record_type != "learner":
        raise Refused(ConflictReason.INVALID, _("Học sinh của biến động đã bị từ chối hoặc huỷ."))
    if data.get("kind") not in EnrolmentEventKind.values:
        raise ValidationError({"kind": _("Loại biến động không hợp lệ.")})
    other_code = data.get("other_institution_code") or ""
    event = EnrolmentEvent(
        institution=institution,
        learner_id=target.local_id,
        kind=data["kind"],
        occurred_on=_date(data.get("occurred_on")),
        school_year=_school_year(data.get("school_year")),
        from_class_id=_local(node, data.get("from_class"), "class", defer=False),
        to_class_id=_local(node, data.get("to_class"), "class", defer=False),
        grade=data.get("grade"),
        other_institution=Institution.objects.filter(code=other_code).first()
        if other_code
        else None,
        reason=(data.get("reason") or "")[:500],
        actor=node.user,
    )
    event.full_clean()
    event.save()
    audit_record(actor=node.user, action="exchange.enrolment_event.create", instance=event,
                 before=None, after=model_snapshot(event))  # fmt: skip
    return event.pk, ""


def _received(node: ChildNode, record_id: str | None, record_type: str) -> int:
    """The local id of a record this one needs (its learner, class, teacher): held back
    (Deferred) while it has not arrived or waits in the conflict queue; refused when it
    was rejected or cancelled."""
    if not record_id:
        raise ValidationError(_("Thiếu tham chiếu tới bản ghi liên quan."))
    target = InboundRecord.objects.filter(node=node, record_id=record_id).first()
    if target is None or target.state == InboundState.CONFLICT:
        raise Deferred(_("Bản ghi liên quan %(id)s chưa được cập nhật.") % {"id": record_id})
    if target.state != InboundState.APPLIED or target.record_type != record_type:
        raise Refused(
            ConflictReason.INVALID,
            _("Bản ghi liên quan %(id)s đã bị từ chối hoặc huỷ.") % {"id": record_id},
        )
    return target.local_id


def _row(model, pk: int | None):
    row = model.objects.filter(pk=pk).first() if pk else None
    if row is None:
        raise Refused(ConflictReason.INVALID, _("Bản ghi liên quan không còn ở đây."))
    return row


def _apply_guardian(node, institution, rec, inbound, allowed, **kw):
    data = rec["data"]
    learner = _row(Learner, _received(node, data.get("learner"), "learner"))
    if learner.institution_id not in allowed:
        # The school's learner was merged with another school's learner: that school's
        # record is kept as it is (as for the learner's own data).
        return None, ""
    fields = {name: data.get(name) or "" for name in ("relationship", "full_name", "phone")}
    guardian = None
    if inbound.local_id:
        guardian = Guardian.objects.filter(pk=inbound.local_id).first()
    if guardian is None:
        from truongso.core.rules.text import fold

        taken = InboundRecord.objects.filter(record_type="guardian", state=InboundState.APPLIED)
        name = fold(fields["full_name"])
        guardian = next(
            (g for g in Guardian.objects.filter(learner=learner,
                                                relationship=fields["relationship"])
             .exclude(pk__in=taken.values("local_id")) if fold(g.full_name) == name),
            None,
        )  # fmt: skip
    guardian = guardian_save(actor=node.user, learner=learner, fields=fields, guardian=guardian)
    return guardian.pk, ""


def _apply_assignment(node, institution, rec, inbound, allowed, **kw):
    data = rec["data"]
    school_class = _row(SchoolClass, _received(node, data.get("school_class"), "class"))
    member = _row(StaffMember, _received(node, data.get("staff_member"), "staff"))
    subject = Subject.objects.filter(code=data.get("subject") or "").first()
    if subject is None:
        raise ValidationError(
            {"subject": _("Không có môn học mã %(code)s.") % {"code": data.get("subject") or "—"}}
        )
    assignment = teaching_assignment_set(
        actor=node.user, school_class=school_class, subject=subject, staff_member=member
    )
    return assignment.pk, ""


def _apply_result(node, institution, rec, inbound, allowed, **kw):
    data = rec["data"]
    learner = _row(Learner, _received(node, data.get("learner"), "learner"))
    class_id = _local(node, data.get("school_class"), "class", defer=False)
    period = data.get("period")
    result = None
    if inbound.local_id:
        result = ReceivedResult.objects.select_for_update().filter(pk=inbound.local_id).first()
    result = received_result_save(
        actor=node.user, node=node, institution=institution, learner=learner,
        school_year=_school_year(data.get("school_year")) or _missing_year(),
        period=period if isinstance(period, int) and not isinstance(period, bool) else -1,
        school_class=SchoolClass.objects.filter(pk=class_id).first() if class_id else None,
        data=data, version=rec["version"], changed_at=rec.get("changed_at"), result=result,
    )  # fmt: skip
    return result.pk, ""


def _missing_year():
    raise ValidationError({"school_year": _("Thiếu năm học.")})


HANDLERS = {
    "institution": _apply_institution,
    "staff": _apply_staff,
    "class": _apply_class,
    "learner": _apply_learner,
    "enrolment_event": _apply_event,
    "guardian": _apply_guardian,
    "teaching_assignment": _apply_assignment,
    "result": _apply_result,
}


# Cancels --------------------------------------------------------------------------
# A cancel deletes nothing that carries an identifier. A teaching assignment the school
# removed is removed here too; results the school withdrew are marked withdrawn.


def _linked_elsewhere(inbound: InboundRecord) -> bool:
    return (
        InboundRecord.objects.filter(record_type=inbound.record_type, local_id=inbound.local_id,
                                     state=InboundState.APPLIED)
        .exclude(pk=inbound.pk)
        .exists()
    )  # fmt: skip


def _cancel_assignment(node, inbound, rec):
    assignment = (
        TeachingAssignment.objects.select_related("school_class", "subject")
        .filter(pk=inbound.local_id)
        .first()
    )
    if assignment is not None and not _linked_elsewhere(inbound):
        teaching_assignment_set(actor=node.user, school_class=assignment.school_class,
                                subject=assignment.subject, staff_member=None)  # fmt: skip


def _cancel_result(node, inbound, rec):
    result = ReceivedResult.objects.select_for_update().filter(pk=inbound.local_id).first()
    if result is not None and not result.cancelled and not _linked_elsewhere(inbound):
        received_result_withdraw(actor=node.user, result=result, version=rec["version"])


CANCEL_HANDLERS = {
    "teaching_assignment": _cancel_assignment,
    "result": _cancel_result,
}


# Batches --------------------------------------------------------------------------


def _queue(inbound: InboundRecord, rec: dict, institution, reason, message, existing=None):
    conflict = inbound.conflicts.filter(status=ConflictStatus.OPEN).first()
    if conflict is None:
        conflict = Conflict(node=inbound.node, record=inbound)
    conflict.institution_id = institution.pk if institution else None
    conflict.institution_code = (rec.get("institution_code") or "")[:20]
    conflict.reason = reason
    conflict.message = message[:500]
    conflict.payload = rec
    conflict.version = rec["version"]
    conflict.existing_learner = existing
    conflict.save()
    return conflict


def apply_record(node, inbound, rec, institution, allowed, *, force=False):
    """Apply one record in a savepoint; returns (state, identifier) or raises Refused /
    Deferred / ValidationError with nothing of the record written."""
    with transaction.atomic():
        if institution is None or institution.pk not in allowed:
            raise Refused(
                ConflictReason.UNKNOWN_INSTITUTION,
                _("Trường mã %(code)s không có ở đây hoặc nút %(node)s không được gửi dữ liệu "
                  "của trường này.") % {"code": rec.get("institution_code") or "—",
                                        "node": node.node_id},
            )  # fmt: skip
        if rec["event"] == "cancel":
            cancel = CANCEL_HANDLERS.get(rec["type"])
            if cancel and inbound.local_id and inbound.state == InboundState.APPLIED:
                cancel(node, inbound, rec)
            return InboundState.CANCELLED, ""
        try:
            local_id, identifier = HANDLERS[rec["type"]](
                node, institution, rec, inbound, allowed, force=force
            )
        except PermissionDenied:
            raise Refused(ConflictReason.UNKNOWN_INSTITUTION,
                          _("Nút không có quyền ghi dữ liệu của trường này."))  # fmt: skip
        inbound.local_id = local_id
        return InboundState.APPLIED, identifier


def _receive_record(node, rec, allowed, answer) -> bool:
    """Returns True when the record changed something here (counted for the test exit)."""
    key = {"record_id": rec["record_id"], "version": rec["version"]}
    inbound = (
        InboundRecord.objects.select_for_update()
        .filter(node=node, record_id=rec["record_id"])
        .first()
    )
    decision = version_decision(rec["version"], inbound.version if inbound else None)
    if decision != APPLY:
        answer["skipped"].append({**key, "reason": decision})
        return False
    institution = Institution.objects.filter(code=rec.get("institution_code") or "").first()
    if inbound is None:
        inbound = InboundRecord(node=node, record_id=rec["record_id"], record_type=rec["type"])
    elif inbound.record_type != rec["type"]:
        raise ValidationError(_("Bản ghi %(id)s đổi loại.") % {"id": rec["record_id"]})
    inbound.version = rec["version"]
    inbound.event = rec["event"]
    inbound.changed_at = rec.get("changed_at")
    inbound.institution_id = institution.pk if institution else None
    if inbound.pk and inbound.state == InboundState.CONFLICT:
        conflict = inbound.conflicts.filter(status=ConflictStatus.OPEN).first()
        inbound.save()
        if conflict is not None:
            conflict.payload = rec
            conflict.version = rec["version"]
            conflict.save(update_fields=["payload", "version"])
            answer["conflicts"].append({**key, "reason": conflict.reason,
                                        "message": conflict.message})  # fmt: skip
            return True
    try:
        state, identifier = apply_record(node, inbound, rec, institution, allowed)
    except Deferred as deferred:
        answer["deferred"].append({**key, "reason": str(deferred)})
        return False
    except (Refused, ValidationError) as error:
        if isinstance(error, Refused):
            reason, message, existing = error.reason, error.message, error.existing
        else:
            reason, message, existing = ConflictReason.INVALID, _invalid_message(error), None
        inbound.state = InboundState.CONFLICT
        inbound.save()
        _queue(inbound, rec, institution, reason, message, existing)
        answer["conflicts"].append({**key, "reason": reason, "message": message[:500]})
        return True
    inbound.state = state
    inbound.save()
    answer["applied"].append(key)
    if identifier and rec["type"] == "learner":
        answer["identifiers"][rec["record_id"]] = identifier
    return True


def _invalid_message(error: ValidationError) -> str:
    """The messages of a refused record, each with the field it concerns."""
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {message}" if name != "__all__" else message
            for name, messages in error.message_dict.items()
            for message in messages
        )
    return "; ".join(error.messages)


def _resolutions(node: ChildNode) -> list[dict[str, Any]]:
    resolved = (
        Conflict.objects.filter(node=node, delivered_at__isnull=True)
        .exclude(status=ConflictStatus.OPEN)
        .select_related("record")
    )
    items = []
    for conflict in resolved:
        identifier = ""
        if conflict.record.record_type == "learner" and conflict.record.local_id:
            identifier = (
                Learner.objects.filter(pk=conflict.record.local_id)
                .values_list("education_id", flat=True)
                .first()
                or ""
            )
        items.append({"record_id": str(conflict.record.record_id), "status": conflict.status,
                      "identifier": identifier, "note": conflict.resolution_note})  # fmt: skip
    resolved.update(delivered_at=timezone.now())
    return items


def _receipts_note(node: ChildNode, batch: ReceivedBatch, records: list[dict]) -> None:
    """Per institution: this batch is the last one received with records of it."""
    counts = Counter(rec.get("institution_code") or "" for rec in records)
    ids = dict(Institution.objects.filter(code__in=list(counts)).values_list("code", "pk"))
    for code, count in counts.items():
        if code not in ids:
            continue  # an institution not known here: its records wait in the queue
        SchoolReceipt.objects.update_or_create(
            node=node, institution_id=ids[code],
            defaults={"batch": batch, "cursor": batch.cursor, "received_at": batch.received_at,
                      "records": count},
        )  # fmt: skip


@transaction.atomic
def batch_receive(*, node: ChildNode, payload: dict[str, Any]) -> dict[str, Any]:
    """Apply one batch from ``node`` (already checked against the wire schema)."""
    node = ChildNode.objects.select_for_update().get(pk=node.pk)
    if payload.get("node_id") and payload["node_id"] != node.node_id:
        raise ValidationError({"node_id": _("Mã nút không khớp với mã truy cập.")})
    batch_id = str(payload["batch_id"])
    done = ReceivedBatch.objects.filter(node=node, batch_id=batch_id).first()
    if done is not None:
        return {**done.answer, "replayed": True}
    answer: dict[str, Any] = {"batch_id": batch_id, "cursor": payload.get("cursor", 0),
                              "replayed": False, "applied": [], "skipped": [], "deferred": [],
                              "conflicts": [], "identifiers": {}}  # fmt: skip
    allowed = set(node.institutions.values_list("pk", flat=True))
    exit_after = conf.exit_after_records()
    written = 0
    for rec in payload.get("records", []):
        if _receive_record(node, rec, allowed, answer):
            written += 1
            if exit_after is not None and written >= exit_after:
                os._exit(17)  # test only: die in the middle of a batch, before commit
    answer["resolutions"] = _resolutions(node)
    received = ReceivedBatch.objects.create(
        node=node, batch_id=batch_id, cursor=answer["cursor"], answer=answer,
        applied=len(answer["applied"]), skipped=len(answer["skipped"]),
        deferred=len(answer["deferred"]), conflicts=len(answer["conflicts"]),
    )  # fmt: skip
    _receipts_note(node, received, payload.get("records", []))
    node.last_seen_at = timezone.now()
    node.save(update_fields=["last_seen_at"])
    return answer
