"""Writes of report cards: generate and refresh them from the stored results, the
workflow (the homeroom teacher checks and marks ready, the principal approves), the
remarks, the completion of lower secondary, the log of copies issued, and the
background runs over a class or a school.

Every change of content writes a new ``ReportCardVersion`` (never an edit of one);
each write is atomic and audited. An approved card is locked: a bulk run leaves it
alone, and a change to it (by the school's managers, with a reason) makes a new draft
version while the approved version stays, viewable.
"""

from __future__ import annotations

import io
import json
import logging
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from truongso.academics.models import SchoolClass, SchoolYear
from truongso.accounts.access import require
from truongso.assessment.selectors.gradebook import GradebookUnavailable
from truongso.audit.models import AuditEntry
from truongso.audit.services import audit_record, model_snapshot
from truongso.core.rules.text import fold
from truongso.reportcards import selectors, signing
from truongso.reportcards.models import (
    JobStatus,
    ReportCard,
    ReportCardCopy,
    ReportCardJob,
    ReportCardStatus,
    ReportCardVersion,
)
from truongso.reportcards.rules.content import (
    LOWER_SECONDARY_LAST_GRADE,
    content_sha256,
    without_workflow,
)
from truongso.units.models import Institution

logger = logging.getLogger(__name__)
REMARK_MAX = 1000
S = ReportCardStatus


@dataclass
class GenerateSummary:
    """What a generation did: cards created, refreshed (new version), unchanged, left
    alone because approved (locked), and how many are still incomplete."""

    created: int = 0
    refreshed: int = 0
    unchanged: int = 0
    locked: int = 0
    incomplete: int = 0

    def add(self, other: GenerateSummary) -> None:
        for name in ("created", "refreshed", "unchanged", "locked", "incomplete"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


# --- helpers ----------------------------------------------------------------------


def _name(user) -> str:
    return (getattr(user, "full_name", "") or getattr(user, "username", "")) if user else ""


def _stamp(user, at) -> dict[str, str]:
    return {"by": _name(user), "at": timezone.localtime(at).isoformat(timespec="seconds")}


def _compose(base: dict[str, Any], card: ReportCard) -> dict[str, Any]:
    """The card's full content: the results (``base``) with the remarks, the completion
    of lower secondary and, as far as the workflow has gone, who checked and approved."""
    content = dict(base)
    content["remarks"] = {"homeroom": card.homeroom_remark, "principal": card.principal_remark}
    if card.lower_secondary_completed is None:
        content["lower_secondary_completion"] = None
    else:
        content["lower_secondary_completion"] = {
            "completed": card.lower_secondary_completed,
            **_stamp(card.completion_recorded_by, card.completion_recorded_at),
        }
    checked = card.status in (S.READY, S.APPROVED) and card.checked_at is not None
    content["checked"] = _stamp(card.checked_by, card.checked_at) if checked else None
    approved = card.status == S.APPROVED and card.approved_at is not None
    content["approved"] = _stamp(card.approved_by, card.approved_at) if approved else None
    return content


def _base(card: ReportCard) -> dict[str, Any]:
    """The results part of the card's current content."""
    content = card.current_version.content if card.current_version_id else {}
    return {
        k: v
        for k, v in content.items()
        if k not in ("remarks", "lower_secondary_completion", "checked", "approved")
    }


def _write_version(
    card: ReportCard, content: dict[str, Any], actor, reason: str
) -> ReportCardVersion:
    number = (card.current_version.number if card.current_version_id else 0) + 1
    version = ReportCardVersion.objects.create(
        institution_id=card.institution_id, report_card=card, number=number, status=card.status,
        content=content, sha256=content_sha256(content), reason=reason[:500],
        created_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    card.current_version = version
    return version


CARD_SNAPSHOT = ("status", "homeroom_remark", "principal_remark", "lower_secondary_completed",
                 "current_version", "approved_version")  # fmt: skip


def _save(card: ReportCard, actor, action: str, before, reason: str = "") -> None:
    card.save()
    audit_record(actor=actor, action=action, instance=card, before=before,
                 after=model_snapshot(card, CARD_SNAPSHOT), reason=reason)  # fmt: skip


def _reason(text: str) -> str:
    return " ".join((text or "").split())[:500]


def _unlock(card: ReportCard, actor, reason: str, *, back_to_draft: bool = True) -> str:
    """Before a change: an approved card changes only by the school's managers, with a
    reason (the approved version stays); a checked card goes back to draft when
    ``back_to_draft``. Returns the reason as stored."""
    reason = _reason(reason)
    if card.status == S.APPROVED:
        if not selectors.manages(actor, card.institution_id):
            raise PermissionDenied(
                _("Học bạ đã được duyệt; chỉ Ban giám hiệu sửa được, kèm lý do.")
            )
        if not reason:
            raise ValidationError(
                {
                    "reason": _(
                        "Học bạ đã được duyệt: hãy ghi lý do sửa đổi (sẽ tạo phiên bản mới)."
                    )
                },
                code="reason_required",
            )
        back_to_draft = True
    if back_to_draft and card.status != S.DRAFT:
        card.status = S.DRAFT
        card.checked_by = card.checked_at = None
        card.approved_by = card.approved_at = None
    return reason


# --- generation -------------------------------------------------------------------


def _may_generate(actor, school_class: SchoolClass) -> None:
    require(
        selectors.manages(actor, school_class.institution_id)
        or selectors.is_homeroom_of(actor, school_class.pk, school_class.institution_id)
    )


def _class_content(school_class: SchoolClass, learner_ids=None) -> dict[int, dict]:
    try:
        return selectors.class_content(school_class, learner_ids)
    except GradebookUnavailable as error:
        raise ValidationError(
            _("Lớp %(name)s chưa tạo được học bạ: %(why)s")
            % {"name": school_class.name, "why": error.messages[0]},
            code="no_gradebook",
        )


@transaction.atomic
def report_cards_generate(
    *,
    actor,
    school_class: SchoolClass,
    learner_ids: list[int] | None = None,
    reason: str = "",
    progress: Callable[[int], None] | None = None,
) -> GenerateSummary:
    """Create or refresh the report cards of a class's learners (all, or
    ``learner_ids``) from the stored results: the school's managers or the class's
    homeroom teacher. A card whose content did not change gets no new version; a
    checked card whose results changed goes back to draft; an approved card is left
    alone (counted as locked) unless ``reason`` is given by a manager."""
    _may_generate(actor, school_class)
    contents = _class_content(school_class, learner_ids)
    cards = {
        c.learner_id: c
        for c in ReportCard.objects.select_for_update(of=("self",))
        .filter(learner_id__in=list(contents), school_year_id=school_class.school_year_id)
        .select_related("current_version")
    }
    summary = GenerateSummary()
    reason = _reason(reason)
    for done, (learner_id, base) in enumerate(contents.items(), start=1):
        if base["incomplete"]:
            summary.incomplete += 1
        card = cards.get(learner_id)
        if card is None:
            card = ReportCard(institution_id=school_class.institution_id, learner_id=learner_id,
                              school_year_id=school_class.school_year_id,
                              school_class=school_class)  # fmt: skip
            card.save()
            _write_version(card, _compose(base, card), actor, _("Tạo học bạ"))
            _save(card, actor, "report_card.create", None)
            summary.created += 1
        elif (
            card.current_version_id
            and without_workflow(card.current_version.content)
            == without_workflow(_compose(base, card))
            and card.school_class_id == school_class.pk
        ):
            summary.unchanged += 1
        elif card.locked and not (reason and selectors.manages(actor, card.institution_id)):
            summary.locked += 1
        else:
            before = model_snapshot(card, CARD_SNAPSHOT)
            why = _unlock(card, actor, reason)
            card.school_class = school_class
            _write_version(card, _compose(base, card), actor, why or _("Cập nhật từ sổ điểm"))
            _save(card, actor, "report_card.refresh", before, why)
            summary.refreshed += 1
        if progress is not None:
            progress(done)
    return summary


def report_card_refresh(*, actor, report_card: ReportCard, reason: str = "") -> GenerateSummary:
    """Refresh one card from the stored results (once approved: the school's managers,
    with a reason; the approved version stays)."""
    card = ReportCard.objects.select_related(
        "school_class", "school_class__institution", "school_class__school_year"
    ).get(pk=report_card.pk)
    _may_generate(actor, card.school_class)
    if card.locked:
        _unlock(card, actor, reason)  # raises unless allowed (the copy is not saved)
    return report_cards_generate(actor=actor, school_class=card.school_class,
                                 learner_ids=[card.learner_id], reason=reason)  # fmt: skip


# --- workflow ---------------------------------------------------------------------


def _locked_card(report_card: ReportCard) -> ReportCard:
    return (
        ReportCard.objects.select_for_update(of=("self",))
        .select_related("current_version", "school_class", "institution")
        .get(pk=report_card.pk)
    )


@transaction.atomic
def report_card_mark_ready(*, actor, report_card: ReportCard) -> ReportCard:
    """The homeroom teacher (or the school's staff) has checked the card against the
    gradebook: draft → ready. Refused while results are incomplete."""
    card = _locked_card(report_card)
    require(
        selectors.manages(actor, card.institution_id)
        or selectors.is_homeroom_of(actor, card.school_class_id, card.institution_id)
    )
    if card.status != S.DRAFT:
        raise ValidationError(
            _("Học bạ của %(name)s không ở trạng thái bản nháp (đang: %(status)s).")
            % {"name": card.learner.full_name, "status": card.get_status_display()},
            code="not_draft",
        )
    incomplete = (
        card.current_version.content.get("incomplete", []) if card.current_version_id else [""]
    )
    if incomplete:
        raise ValidationError(
            _("Học bạ của %(name)s chưa đủ kết quả: %(what)s.")
            % {"name": card.learner.full_name, "what": "; ".join(incomplete[:3])},
            code="incomplete",
        )
    before = model_snapshot(card, CARD_SNAPSHOT)
    card.status = S.READY
    card.checked_by, card.checked_at = actor, timezone.now()
    _write_version(card, _compose(_base(card), card), actor, _("Đã kiểm tra"))
    _save(card, actor, "report_card.ready", before)
    return card


@transaction.atomic
def report_card_approve(*, actor, report_card: ReportCard) -> ReportCard:
    """The principal approves a checked card: ready → approved. The approved version is
    kept for good and handed to the signing step (``signing.report_card_sign``)."""
    card = _locked_card(report_card)
    require(selectors.is_principal_of(actor, card.institution_id))
    if card.status != S.READY:
        raise ValidationError(
            _("Học bạ của %(name)s chưa được giáo viên chủ nhiệm kiểm tra.")
            % {"name": card.learner.full_name},
            code="not_ready",
        )
    before = model_snapshot(card, CARD_SNAPSHOT)
    card.status = S.APPROVED
    card.approved_by, card.approved_at = actor, timezone.now()
    version = _write_version(card, _compose(_base(card), card), actor, _("Đã duyệt"))
    card.approved_version = version
    _save(card, actor, "report_card.approve", before)
    signing.report_card_sign(actor=actor, version=version)
    return card


@dataclass
class BulkOutcome:
    done: int = 0
    errors: list[str] | None = None


def report_cards_bulk(*, actor, cards: list[ReportCard], action: str) -> BulkOutcome:
    """Mark ready (``action`` "ready") or approve ("approve") several cards: each one
    in its own transaction; a card that cannot be is reported by name, the others go
    on."""
    service = {"ready": report_card_mark_ready, "approve": report_card_approve}[action]
    outcome = BulkOutcome(errors=[])
    for card in cards:
        try:
            service(actor=actor, report_card=card)
        except ValidationError as error:
            outcome.errors.extend(error.messages)
        except PermissionDenied:
            outcome.errors.append(
                _("Bạn không có quyền với học bạ của %(name)s.") % {"name": card.learner.full_name}
            )
        else:
            outcome.done += 1
    return outcome


# --- remarks and completion -------------------------------------------------------


@transaction.atomic
def report_card_set_remark(
    *, actor, report_card: ReportCard, kind: str, text: str, reason: str = ""
) -> ReportCard:
    """Set the homeroom teacher's remark (``kind`` "homeroom": the homeroom teacher or
    the school's managers) or the principal's (``kind`` "principal": the principal).
    A changed homeroom remark sends a checked card back to draft."""
    card = _locked_card(report_card)
    if kind == "homeroom":
        require(
            selectors.manages(actor, card.institution_id)
            or selectors.is_homeroom_of(actor, card.school_class_id, card.institution_id)
        )
        field = "homeroom_remark"
    elif kind == "principal":
        require(selectors.is_principal_of(actor, card.institution_id))
        field = "principal_remark"
    else:
        raise ValidationError({"kind": _("Loại nhận xét không hợp lệ.")})
    text = " ".join((text or "").split())
    if len(text) > REMARK_MAX:
        raise ValidationError({"text": _("Nhận xét dài quá %(n)s ký tự.") % {"n": REMARK_MAX}})
    if getattr(card, field) == text:
        return card
    before = model_snapshot(card, CARD_SNAPSHOT)
    why = _unlock(card, actor, reason, back_to_draft=kind == "homeroom")
    setattr(card, field, text)
    _write_version(card, _compose(_base(card), card), actor, why or _("Nhận xét"))
    _save(card, actor, f"report_card.remark_{kind}", before, why)
    return card


@transaction.atomic
def report_card_set_completion(
    *, actor, report_card: ReportCard, completed: bool | None, reason: str = ""
) -> ReportCard:
    """The principal records whether the learner completed lower secondary (grade 9;
    since 2026 on the report card instead of a diploma). None clears it."""
    card = _locked_card(report_card)
    require(selectors.is_principal_of(actor, card.institution_id))
    if card.school_class.grade != LOWER_SECONDARY_LAST_GRADE:
        raise ValidationError(
            {"completed": _("Chỉ ghi hoàn thành chương trình THCS trên học bạ lớp 9.")}
        )
    if card.lower_secondary_completed == completed:
        return card
    before = model_snapshot(card, CARD_SNAPSHOT)
    why = _unlock(card, actor, reason, back_to_draft=False)
    card.lower_secondary_completed = completed
    card.completion_recorded_by = actor if completed is not None else None
    card.completion_recorded_at = timezone.now() if completed is not None else None
    _write_version(card, _compose(_base(card), card), actor,
                   why or _("Hoàn thành chương trình THCS"))  # fmt: skip
    _save(card, actor, "report_card.completion", before, why)
    return card


# --- copies -----------------------------------------------------------------------


def report_card_copy_issue(
    *, actor, report_card: ReportCard, version: ReportCardVersion | None = None,
    recipient: str = "", purpose: str = "",
) -> ReportCardCopy:  # fmt: skip
    """Log a copy of the card issued (a PDF downloaded or handed out): who, when, which
    version, for whom, why. Anyone who may read the card may take a copy for
    themselves; a copy for someone else (``recipient``) is issued by the school.

    A card the caller read through a scoped selector with the same actor (the PDF page
    and the API do) is not read again; any other is read through
    ``selectors.report_card_for_copy`` (ReportCard.DoesNotExist when the actor may not
    read it). The row of the log of copies and its audit entry (``report_card.copy``)
    are written together: on PostgreSQL by one statement, elsewhere in a transaction."""
    card = report_card
    if not selectors.read_under_scope(actor, card):
        card = selectors.report_card_for_copy(actor=actor, pk=report_card.pk)
    version = version or card.current_version
    if version is None or version.report_card_id != card.pk:
        raise ValidationError({"version": _("Học bạ chưa có phiên bản này.")})
    recipient = " ".join((recipient or "").split())[:200]
    purpose = " ".join((purpose or "").split())[:300]
    if recipient and not selectors.manages(actor, card.institution_id):
        raise PermissionDenied
    copy = ReportCardCopy(
        institution_id=card.institution_id, report_card=card, version=version, issued_by=actor,
        recipient=recipient or _name(actor), purpose=purpose, issued_at=timezone.now(),
    )  # fmt: skip
    if connection.vendor == "postgresql":
        _copy_log_insert(actor, copy)
    else:
        with transaction.atomic():
            copy.save()
            audit_record(actor=actor, action="report_card.copy", instance=copy, before=None,
                         after=model_snapshot(copy))  # fmt: skip
    return copy


def _copy_log_insert(actor, copy: ReportCardCopy) -> None:
    """The copy's row and its audit entry (as ``audit_record`` writes it, ``after``
    being the row's snapshot with its id) in one statement, atomic by itself: a copy
    is logged for each PDF served, and a transaction around two inserts took four round
    trips to the database where this takes one."""
    after = model_snapshot(copy)
    columns = [f for f in ReportCardCopy._meta.concrete_fields if not f.primary_key]
    names = ", ".join(f.column for f in columns)
    values = [f.get_db_prep_save(getattr(copy, f.attname), connection) for f in columns]
    audit = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH c AS (INSERT INTO {ReportCardCopy._meta.db_table} ({names}) "  # noqa: S608 - names from code
            f"VALUES ({', '.join(['%s'] * len(columns))}) RETURNING id) "
            f"INSERT INTO {audit} (at, actor_id, action, object_type, object_id, institution_id, "
            "before, after, reason) "
            "SELECT %s, %s, %s, %s, c.id::text, %s, NULL, "
            "jsonb_set(%s::jsonb, '{id}', to_jsonb(c.id)), '' FROM c RETURNING object_id",
            [*values, copy.issued_at, getattr(actor, "pk", None), "report_card.copy",
             ReportCardCopy._meta.label_lower, copy.institution_id, json.dumps(after)],
        )  # fmt: skip
        copy.pk = int(cursor.fetchone()[0])
    copy._state.adding, copy._state.db = False, connection.alias


@transaction.atomic
def report_card_copies_issue(
    *, actor, versions: list[ReportCardVersion], purpose: str = "", job: ReportCardJob | None = None
) -> list[ReportCardCopy]:
    """Log at once the copies of a class run (the PDFs of a background run): one row
    per card in the log of copies issued, as ``report_card_copy_issue`` writes it, and
    one audit entry for the run (``report_card.copies``: how many, which cards, the
    job). The actor must be able to read every card (ReportCard.DoesNotExist
    otherwise: nothing is logged)."""
    if not versions:
        return []
    card_ids = {v.report_card_id for v in versions}
    if selectors.readable_card_ids(actor=actor, ids=card_ids) != card_ids:
        raise ReportCard.DoesNotExist
    purpose = " ".join((purpose or "").split())[:300]
    recipient = _name(actor)
    copies = ReportCardCopy.objects.bulk_create(
        [
            ReportCardCopy(
                institution_id=v.institution_id,
                report_card_id=v.report_card_id,
                version=v,
                issued_by=actor,
                recipient=recipient,
                purpose=purpose,
            )
            for v in versions
        ]  # fmt: skip
    )
    audit_record(actor=actor, action="report_card.copies", instance=job or copies[0],
                 before=None,
                 after={"copies": len(copies), "report_cards": sorted(card_ids),
                        "versions": sorted(v.pk for v in versions), "purpose": purpose},
                 )  # fmt: skip
    return copies


# --- background runs --------------------------------------------------------------


def report_card_job_start(
    *, actor, institution: Institution, school_year: SchoolYear,
    school_class: SchoolClass | None = None,
) -> ReportCardJob:  # fmt: skip
    """Generate and render the cards of a class (its managers or homeroom teacher) or
    of the whole school (its managers) in the background."""
    if school_class is not None:
        _may_generate(actor, school_class)
        if school_class.institution_id != institution.pk:
            raise ValidationError({"school_class": _("Lớp không thuộc trường này.")})
    else:
        require(selectors.manages(actor, institution.pk))
    job = ReportCardJob.objects.create(
        institution=institution, school_year=school_year, school_class=school_class,
        created_by=actor,
    )  # fmt: skip
    audit_record(actor=actor, action="report_card.job", instance=job, before=None,
                 after={"school_year": school_year.name,
                        "school_class": school_class.pk if school_class else None})  # fmt: skip
    from truongso.reportcards.tasks import report_card_job_task

    report_card_job_task.enqueue(job.pk)
    job.refresh_from_db()
    return job


def _job_classes(job: ReportCardJob) -> list[SchoolClass]:
    if job.school_class_id:
        return [job.school_class]
    return list(
        SchoolClass.objects.filter(institution=job.institution, school_year=job.school_year)
        .select_related("institution", "school_year", "homeroom_teacher")
        .order_by("grade", "name")
    )


def report_card_job_run(*, job: ReportCardJob) -> ReportCardJob:
    """Run a job: for each class, generate the drafts (approved cards stay as they
    are), then render every card's current version; the PDFs go into one .zip. The
    progress (learners done of all) is written to the job as it goes."""
    from truongso.reportcards.pdf import report_card_pdf

    actor = job.created_by
    ReportCardJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, done=0)
    try:
        classes = _job_classes(job)
        plans = []
        for school_class in classes:
            try:
                ids = list(selectors.class_content(school_class))
            except GradebookUnavailable:
                continue
            plans.append((school_class, len(ids)))
        total = sum(n for _c, n in plans)
        ReportCardJob.objects.filter(pk=job.pk).update(total=total)
        summary = GenerateSummary()
        buffer = io.BytesIO()
        done = 0
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for school_class, _n in plans:
                summary.add(report_cards_generate(actor=actor, school_class=school_class))
                cards = ReportCard.objects.filter(
                    school_class=school_class, school_year=job.school_year
                ).select_related("current_version", "learner")
                folder = fold(school_class.name).replace(" ", "-")
                rendered = []
                for card in cards:
                    name = fold(card.learner.full_name).replace(" ", "-")
                    archive.writestr(f"{folder}/{name}-{card.learner_id}.pdf",
                                     report_card_pdf(card.current_version))  # fmt: skip
                    rendered.append(card.current_version)
                    done += 1
                    if done % 5 == 0 or done == total:
                        ReportCardJob.objects.filter(pk=job.pk).update(done=done)
                report_card_copies_issue(actor=actor, versions=rendered, job=job,
                                         purpose=_("In học bạ cả lớp"))  # fmt: skip
        job.refresh_from_db()
        job.file.save(f"hoc-ba-{job.pk}.zip", ContentFile(buffer.getvalue()), save=False)
        job.status = JobStatus.DONE
        job.done = done
        job.created, job.refreshed, job.locked = summary.created, summary.refreshed, summary.locked
    except Exception as error:  # noqa: BLE001 - the job must not stay "running" forever
        logger.error("report card job %s failed (%s)", job.pk, type(error).__name__)
        job.refresh_from_db()
        job.status = JobStatus.FAILED
        job.failure = (
            "; ".join(error.messages)
            if isinstance(error, ValidationError)
            else _("Lỗi hệ thống khi tạo học bạ. Hãy thử lại sau.")
        )[:500]
    job.finished_at = timezone.now()
    job.save()
    return job
