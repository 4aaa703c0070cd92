"""Signed report cards (học bạ số): the CLR 2.0 credential issued when the principal
approves a version of a report card.

A report card is valid only after its data is checked (the homeroom teacher, recorded in
the credential's evidence), the teacher signs and the institution signs (the proof, made
with the institution's key as for diplomas). Issuing gives the credential an index in the
institution's status lists for the year, a signed QR, and one entry in the register log.
An approval after an amendment issues a new credential that names the previous one, which
is revoked as a reissued diploma's original is (Circular 21/2019): only the latest approved
version is valid.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from truongso.accounts.access import can_issue_credentials, require, scope_for
from truongso.audit.services import audit_record, model_snapshot
from truongso.credentials import conf
from truongso.credentials.models import CredentialStatus, ReportCardCredential
from truongso.credentials.rules.data_integrity import create_proof
from truongso.credentials.rules.documents import (
    Check,
    Holder,
    Issuer,
    ReportCard,
    SubjectResult,
    report_card_credential,
)
from truongso.credentials.rules.qr_payload import CredentialKind as QrKind
from truongso.credentials.rules.qr_payload import QrClaims, credential_hash, encode_qr
from truongso.credentials.rules.status_list import REVOCATION, SUSPENSION, StatusEntry
from truongso.credentials.services.common import now_seconds, open_signer
from truongso.credentials.services.keys import root_key_ensure, signing_key
from truongso.credentials.services.log import LogEvent, log_append
from truongso.credentials.services.status import IndexAllocator, status_bit_set, status_list_url
from truongso.reportcards.rules.content import AWARDS, LEVELS, PERIODS, PROMOTION, SEXES

AUDIT_FIELDS = (
    "institution", "report_card", "version", "credential_id", "school_year", "content_sha256",
    "signed_at", "key", "document_hash", "status", "status_reason", "previous",
)  # fmt: skip
TITLE_MAX = 300


def _snapshot(row: ReportCardCredential) -> dict:
    return model_snapshot(row, AUDIT_FIELDS)


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _term(value: Any, scored: bool) -> Decimal | str | None:
    if value in (None, ""):
        return None
    return _decimal(value) if scored else LEVELS.get(value, value)


def _subject(item: dict) -> SubjectResult:
    scored = item.get("scored", True)
    year = item.get("year")
    return SubjectResult(
        code=str(item.get("code", "")),
        name=str(item.get("name", "")),
        score=_decimal(year) if scored else None,
        assessment=None if scored or not year else LEVELS.get(year, year),
        term_1=_term(item.get("term_1"), scored),
        term_2=_term(item.get("term_2"), scored),
        comment_term_1=item.get("comment_term_1") or None,
        comment_term_2=item.get("comment_term_2") or None,
    )


def _level(values: dict, period: str) -> str | None:
    return LEVELS.get(values.get(period) or "") or None


def _outcome(content: dict) -> str | None:
    promotion = content.get("promotion") or {}
    text = PROMOTION.get(promotion.get("decision") or "", "")
    if text and promotion.get("retest_subjects"):
        text += " (" + ", ".join(promotion["retest_subjects"]) + ")"
    return text or None


def _completion(content: dict) -> str | None:
    completion = content.get("lower_secondary_completion")
    if completion is None:
        return None
    if completion.get("completed"):
        return "Hoàn thành chương trình trung học cơ sở"
    return "Chưa hoàn thành chương trình trung học cơ sở"


def _date_of_birth(content: dict) -> dt.date | None:
    try:
        return dt.date.fromisoformat((content.get("learner") or {}).get("date_of_birth") or "")
    except ValueError:
        return None


def card_document(
    *,
    content: dict,
    content_sha256: str,
    credential_id: str,
    issuer: Issuer,
    signed_at: dt.datetime,
    status: tuple[StatusEntry, ...],
    previous_id: str | None,
) -> dict:
    """The unsigned ClrCredential of a version's content: the paper's identity (no
    personal identification number, no education identifier), results, remarks."""
    learner = content.get("learner") or {}
    conduct = content.get("conduct") or {}
    learning = content.get("learning") or {}
    days = content.get("days_absent") or {}
    remarks = content.get("remarks") or {}
    checked = content.get("checked") or {}
    born = _date_of_birth(content)
    card = ReportCard(
        credential_id=credential_id,
        issuer=issuer,
        holder=Holder(
            name=learner.get("full_name", ""),
            date_of_birth=born or dt.date(1900, 1, 1),
            sex=SEXES.get(learner.get("sex") or "") or None,
            place_of_birth=learner.get("place_of_birth") or None,
            ethnicity=learner.get("ethnicity") or None,
        ),
        programme_id=conf.programme_url((content.get("school") or {}).get("code", "")),
        school_year=content.get("school_year", ""),
        class_name=(content.get("class") or {}).get("name", ""),
        subjects=tuple(_subject(item) for item in content.get("subjects", [])),
        issued_at=signed_at,
        learning_result=_level(learning, "year"),
        conduct_result=_level(conduct, "year"),
        outcome=_outcome(content),
        status=status,
        learning_terms=(_level(learning, "term_1"), _level(learning, "term_2")),
        conduct_terms=(_level(conduct, "term_1"), _level(conduct, "term_2")),
        days_absent=tuple(days.get(p) if isinstance(days.get(p), int) else None for p in PERIODS),
        award=AWARDS.get(content.get("award") or "") or None,
        homeroom_remark=remarks.get("homeroom") or None,
        principal_remark=remarks.get("principal") or None,
        completion=_completion(content),
        content_sha256=content_sha256,
        checked=Check(by=checked.get("by", ""), at=checked.get("at", "")) if checked else None,
        previous_id=previous_id,
    )
    return report_card_credential(card)


def _issuer(institution) -> Issuer:
    return Issuer(
        id=conf.institution_did(institution.code),
        name=institution.name,
        url=conf.public_url(),
        region=institution.province.name if institution.province_id else None,
    )


def _revoke_previous(
    *, actor, previous: ReportCardCredential, new: ReportCardCredential, issuer_id: str, signer
) -> LogEvent | None:
    """The previous credential of the card stops being valid: revoked with the reason."""
    if previous.status == CredentialStatus.REVOKED:
        return None
    before = _snapshot(previous)
    status_bit_set(previous.revocation_list, previous.status_index, True, signer=signer)
    previous.status = CredentialStatus.REVOKED
    previous.status_reason = _("Thay bằng học bạ số %(id)s (phiên bản %(n)s đã duyệt).") % {
        "id": new.credential_id,
        "n": new.version.number,
    }
    previous.status_changed_at = timezone.now()
    previous.save(update_fields=["status", "status_reason", "status_changed_at"])
    audit_record(
        actor=actor, action="report_card_credential.revoke", instance=previous, before=before,
        after=_snapshot(previous), reason=previous.status_reason,
    )  # fmt: skip
    return LogEvent(
        "credential.revoke",
        {"credential": previous.credential_id, "issuer": issuer_id},
        previous.institution_id,
    )


@transaction.atomic
def report_card_credential_issue(*, actor, version) -> ReportCardCredential:
    """Sign an approved report card version: the principal of its school, inside the
    approval's transaction. Refused unless the version records the homeroom teacher's
    check and the approval; a version is signed once."""
    card = version.report_card
    institution = card.institution
    require(can_issue_credentials(scope_for(actor), institution))
    content = version.content or {}
    if not content.get("checked") or not content.get("approved"):
        raise ValidationError(
            _("Chỉ ký số học bạ đã được giáo viên chủ nhiệm kiểm tra và hiệu trưởng duyệt.")
        )
    if ReportCardCredential.objects.filter(version=version).exists():
        raise ValidationError(_("Phiên bản học bạ này đã được ký số."))
    key = signing_key(institution)
    signer = open_signer(key)
    signed_at = now_seconds()
    previous = (
        ReportCardCredential.objects.select_for_update(of=("self",))
        .filter(report_card=card, replacement__isnull=True)
        .select_related("revocation_list", "suspension_list")
        .order_by("-signed_at", "-pk")
        .first()
    )
    revocation, suspension, index = IndexAllocator(
        institution, timezone.localdate(signed_at).year, signer
    ).next()
    entries = (
        StatusEntry(status_list_url(revocation), index, REVOCATION),
        StatusEntry(status_list_url(suspension), index, SUSPENSION),
    )
    issuer = _issuer(institution)
    document = card_document(
        content=content, content_sha256=version.sha256,
        credential_id=f"urn:uuid:{uuid.uuid4()}", issuer=issuer, signed_at=signed_at,
        status=entries, previous_id=previous.credential_id if previous else None,
    )  # fmt: skip
    signed = create_proof(document, signer, created=signed_at)
    learner = content.get("learner") or {}
    digest = credential_hash(signed)
    claims = QrClaims(
        issuer=issuer.id,
        credential_id=signed["id"],
        kind=QrKind.REPORT_CARD,
        holder_name=learner.get("full_name", "")[:TITLE_MAX],
        issue_date=timezone.localdate(signed_at),
        title=signed["name"][:TITLE_MAX],
        signed_at=signed_at,
        date_of_birth=_date_of_birth(content),
        credential_hash=digest,
    )
    row = ReportCardCredential.objects.create(
        institution=institution, report_card=card, version=version,
        credential_id=signed["id"], holder_name=learner.get("full_name", "")[:150],
        date_of_birth=_date_of_birth(content), school_year=content.get("school_year", "")[:20],
        content_sha256=version.sha256, signed_at=signed_at, key=key,
        document=json.dumps(signed, ensure_ascii=False, indent=2), document_hash=digest.hex(),
        qr_text=encode_qr(claims, signer), revocation_list=revocation,
        suspension_list=suspension, status_index=index, previous=previous,
        created_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    audit_record(
        actor=actor, action="report_card_credential.issue", instance=row, before=None,
        after=_snapshot(row),
    )  # fmt: skip
    events = [
        LogEvent(
            "credential.issue",
            {
                "credential": row.credential_id,
                "issuer": issuer.id,
                "key": key.key_id,
                "type": "report_card",
                "hash": row.document_hash,
            },
            institution.pk,
        )  # fmt: skip
    ]
    if previous is not None:
        revoked = _revoke_previous(
            actor=actor, previous=previous, new=row, issuer_id=issuer.id, signer=signer
        )
        if revoked is not None:
            events.append(revoked)
    root = root_key_ensure()
    log_append(events, root_key=root, root_signer=open_signer(root))
    return row
