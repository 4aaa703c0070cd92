"""The diploma register (sổ gốc cấp văn bằng): issuance, reissue and amendment, revocation
and suspension. Only the institution's principal writes; everything is audited and logged.

Issuing signs, for each holder, an Open Badges 3.0 AchievementCredential (eddsa-jcs-2022)
and the compact QR (COSE), allocates the diploma number (with ISO 7064 check digits) and
the register entry number from counters that only grow, gives the credential a random
index in the institution's status lists for the year, and appends one log entry.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from truongso.accounts.access import can_issue_credentials, require, scope_for
from truongso.audit.models import AuditEntry
from truongso.audit.services import audit_record, model_snapshot
from truongso.core.rules.text import fold, normalise_name
from truongso.credentials import conf
from truongso.credentials.models import (
    Credential,
    CredentialKind,
    CredentialStatus,
    CredentialType,
    IssuanceBatch,
    Relation,
)
from truongso.credentials.rules.diploma_batch import DiplomaBatch
from truongso.credentials.rules.diploma_number import make_diploma_number
from truongso.credentials.rules.documents import Holder, Issuer
from truongso.credentials.rules.qr_payload import CredentialKind as QrKind
from truongso.credentials.rules.status_list import REVOCATION, SUSPENSION, StatusEntry
from truongso.credentials.services.common import (
    RowWriter,
    counter_take,
    now_seconds,
    open_signer,
    rows_insert_values,
)
from truongso.credentials.services.keys import root_key_ensure, signing_key
from truongso.credentials.services.log import LogEvent, log_append
from truongso.credentials.services.status import IndexAllocator, status_bit_set, status_list_url
from truongso.learners.models import Learner
from truongso.units.models import Institution

AUDIT_FIELDS = (
    "institution", "credential_type", "learner", "credential_id", "holder_name",
    "date_of_birth", "sex", "place_of_birth", "graduation_year", "classification",
    "field_of_study", "field_of_study_en", "diploma_number", "register_number", "issue_date",
    "signer_name", "signer_title", "signed_at", "key", "document_hash", "status",
    "status_reason", "original", "relation",
)  # fmt: skip
# Fields an amendment (a change of civil status) may change; a reissue may change any.
AMENDMENT_FIELDS = ("holder_name", "date_of_birth", "sex", "place_of_birth")
REISSUE_FIELDS = (*AMENDMENT_FIELDS, "classification", "field_of_study", "field_of_study_en")
SEX_VALUES = ("", "M", "F")
SEX_WORDS = {"M": "Nam", "F": "Nữ"}  # as the paper prints them


@dataclass(frozen=True)
class Candidate:
    """One person to issue a credential to, as the paper will show them."""

    holder_name: str
    date_of_birth: dt.date | None
    sex: str = ""
    place_of_birth: str = ""
    classification: str = ""
    field_of_study: str = ""
    field_of_study_en: str = ""
    learner_id: int | None = None


@dataclass(frozen=True)
class Issuance:
    """What every credential of one issuance shares."""

    credential_type: CredentialType
    issue_date: dt.date
    graduation_year: int
    signer_name: str
    signer_title: str


def clean_candidate(candidate: Candidate) -> Candidate:
    return replace(
        candidate,
        holder_name=normalise_name(candidate.holder_name),
        sex=(candidate.sex or "").strip().upper(),
        place_of_birth=" ".join((candidate.place_of_birth or "").split()),
        classification=" ".join((candidate.classification or "").split()),
        field_of_study=" ".join((candidate.field_of_study or "").split()),
        field_of_study_en=" ".join((candidate.field_of_study_en or "").split()),
    )


def candidate_problems(candidate: Candidate, issuance: Issuance) -> list[tuple[str, str]]:
    """What is wrong with one candidate: (field, message) pairs; empty when it can be issued."""
    kind = issuance.credential_type
    problems: list[tuple[str, str]] = []
    if not candidate.holder_name:
        problems.append(("holder_name", _("Thiếu họ và tên.")))
    elif len(candidate.holder_name) > 150:
        problems.append(("holder_name", _("Họ và tên dài quá 150 ký tự.")))
    dob = candidate.date_of_birth
    if dob is None:
        problems.append(("date_of_birth", _("Thiếu ngày sinh.")))
    elif dob >= issuance.issue_date or dob.year < 1900:
        problems.append(("date_of_birth", _("Ngày sinh phải trước ngày cấp văn bằng.")))
    if candidate.sex not in SEX_VALUES:
        problems.append(("sex", _("Giới tính là “Nam” hoặc “Nữ”.")))
    if len(candidate.place_of_birth) > 200:
        problems.append(("place_of_birth", _("Nơi sinh dài quá 200 ký tự.")))
    if kind.has_classification and not candidate.classification:
        problems.append(("classification", _("Loại văn bằng này cần ghi xếp loại.")))
    if not kind.has_classification and candidate.classification:
        problems.append(("classification", _("Loại văn bằng này không ghi xếp loại.")))
    if len(candidate.classification) > 60:
        problems.append(("classification", _("Xếp loại dài quá 60 ký tự.")))
    if kind.has_major and not candidate.field_of_study:
        problems.append(("field_of_study", _("Loại văn bằng này cần ghi ngành, nghề đào tạo.")))
    if len(candidate.field_of_study) > 200 or len(candidate.field_of_study_en) > 200:
        problems.append(("field_of_study", _("Ngành, nghề dài quá 200 ký tự.")))
    return problems


def issuance_problems(institution: Institution, issuance: Issuance) -> dict[str, str]:
    """What is wrong with the shared details: field → message."""
    kind = issuance.credential_type
    problems: dict[str, str] = {}
    if not kind.is_active:
        problems["credential_type"] = _("Loại văn bằng này không còn được dùng.")
    elif kind.institution_kinds and institution.kind not in kind.institution_kinds:
        problems["credential_type"] = _("%(school)s không cấp loại văn bằng này.") % {
            "school": institution.name
        }
    today = timezone.localdate()
    if issuance.issue_date > today:
        problems["issue_date"] = _("Ngày cấp không được sau hôm nay.")
    elif kind.valid_until and issuance.issue_date > kind.valid_until:
        problems["issue_date"] = _("Loại văn bằng này chỉ được cấp đến ngày %(day)s.") % {
            "day": kind.valid_until.strftime("%d/%m/%Y")
        }
    year = issuance.graduation_year
    if not (1950 <= year <= issuance.issue_date.year):
        problems["graduation_year"] = _("Năm tốt nghiệp không được sau năm cấp.")
    if not issuance.signer_name.strip():
        problems["signer_name"] = _("Thiếu họ tên người ký.")
    if not issuance.signer_title.strip():
        problems["signer_title"] = _("Thiếu chức vụ người ký.")
    return problems


def _series(institution: Institution, kind: CredentialType, year: int) -> str:
    province = "".join(ch for ch in (institution.province.code or "") if ch.isdigit())[-2:]
    return f"{province.zfill(2)}{kind.series_code}{year % 100:02d}"


def _issued_at(day: dt.date) -> dt.datetime:
    """The date of issue as a time: midnight UTC, which is that day in Vietnam as well."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _issuer(institution: Institution, issuance: Issuance) -> Issuer:
    return Issuer(
        id=conf.institution_did(institution.code),
        name=institution.name,
        url=conf.public_url(),
        official=f"{issuance.signer_title.strip()} {issuance.signer_name.strip()}",
        region=institution.province.name if institution.province_id else None,
    )


def _snapshot(credential: Credential) -> dict:
    return model_snapshot(credential, AUDIT_FIELDS)


def _check_learners(institution: Institution, candidates: Sequence[Candidate]) -> None:
    ids = {c.learner_id for c in candidates if c.learner_id}
    if not ids:
        return
    found = set(
        Learner.objects.filter(pk__in=ids, institution=institution).values_list("pk", flat=True)
    )
    if ids - found:
        raise ValidationError(_("Có học sinh không thuộc trường này."))


def _batch(
    *, institution: Institution, issuance: Issuance, signer, signed_at: dt.datetime
) -> DiplomaBatch:
    """What every credential of this issuance shares (see ``rules.diploma_batch``)."""
    kind = issuance.credential_type
    description = kind.description or kind.name
    return DiplomaBatch(
        issuer=_issuer(institution, issuance),
        achievement_id=conf.achievement_url(kind.code),
        title=kind.title,
        description=f"{description}. Năm tốt nghiệp: {issuance.graduation_year}.",
        criteria=kind.criteria or kind.name,
        issued_at=_issued_at(issuance.issue_date),
        achievement_type=kind.achievement_type,
        signer=signer,
        signed_at=signed_at,
        qr_kind=QrKind.DIPLOMA if kind.kind == CredentialKind.DIPLOMA else QrKind.CERTIFICATE,
        issue_date=issuance.issue_date,
    )


# The register row: the values every row of one issuance shares are given once; these
# are each row's own, in this order.
_ROW_COLUMNS = (
    "learner_id", "credential_id", "holder_name", "search_name", "date_of_birth", "sex",
    "place_of_birth", "classification", "field_of_study", "field_of_study_en",
    "diploma_number", "register_number", "document", "document_hash", "qr_text",
    "revocation_list_id", "suspension_list_id", "status_index",
)  # fmt: skip


def _audit_order() -> list[str]:
    """The attribute names of an issued credential's audit snapshot, as ``model_snapshot``
    writes them (concrete fields in order, foreign keys as ids)."""
    return [
        f.attname
        for f in Credential._meta.concrete_fields
        if f.editable and f.name != "search_name" and f.name in AUDIT_FIELDS
    ]


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


@transaction.atomic
def credential_issue(
    *,
    actor,
    institution: Institution,
    issuance: Issuance,
    candidates: Sequence[Candidate],
    batch: IssuanceBatch | None = None,
    original: Credential | None = None,
    relation: str = Relation.NONE,
    reason: str = "",
) -> list[Credential]:
    """Issue one credential per candidate, all or none. Returns them in candidate order."""
    require(can_issue_credentials(scope_for(actor), institution))
    if not candidates:
        raise ValidationError(_("Không có ai trong danh sách cấp văn bằng."))
    problems = issuance_problems(institution, issuance)
    if problems:
        raise ValidationError(problems)
    candidates = [clean_candidate(c) for c in candidates]
    for position, candidate in enumerate(candidates, start=1):
        found = candidate_problems(candidate, issuance)
        if found:
            raise ValidationError(
                _("Người thứ %(n)s (%(name)s): %(problems)s")
                % {
                    "n": position,
                    "name": candidate.holder_name or "—",
                    "problems": " ".join(message for _field, message in found),
                }
            )
    _check_learners(institution, candidates)
    key = signing_key(institution)
    signer = open_signer(key)
    kind = issuance.credential_type
    year = issuance.issue_date.year
    count = len(candidates)
    series = _series(institution, kind, year)
    first_serial = counter_take(f"number:{series}", count)
    first_entry = counter_take(f"entry:{institution.pk}:{kind.code}:{year}", count)
    # Numbers and status places first (they may read and write status lists), so that
    # the register rows can then be streamed into the database as they are signed.
    allocator = IndexAllocator(institution, year, signer)
    places = [allocator.next() for _candidate in candidates]
    signed_at = now_seconds()
    shared = _batch(institution=institution, issuance=issuance, signer=signer, signed_at=signed_at)
    urls: dict[int, str] = {}
    for revocation, suspension, _index in places:
        for status_list in (revocation, suspension):
            if status_list.pk not in urls:
                urls[status_list.pk] = status_list_url(status_list)
    constants = {
        "institution_id": institution.pk,
        "credential_type_id": kind.pk,
        "batch_id": batch.pk if batch is not None else None,
        "graduation_year": issuance.graduation_year,
        "issue_date": issuance.issue_date,
        "signer_name": issuance.signer_name.strip(),
        "signer_title": issuance.signer_title.strip(),
        "signed_at": signed_at,
        "key_id": key.pk,
        "original_id": original.pk if original is not None else None,
        "relation": relation,
        "created_by_id": actor.pk if getattr(actor, "pk", None) else None,
    }
    with RowWriter(Credential, constants, _ROW_COLUMNS, count) as writer:
        for offset, (candidate, place) in enumerate(zip(candidates, places, strict=True)):
            revocation, suspension, index = place
            diploma_number = make_diploma_number(series, first_serial + offset)
            register_number = f"{first_entry + offset:05d}/{kind.series_code}{year}"
            field_of_study = candidate.field_of_study
            if kind.bilingual and candidate.field_of_study_en:
                field_of_study = f"{field_of_study} / {candidate.field_of_study_en}"
            signed = shared.sign(
                credential_id=f"urn:uuid:{uuid.uuid4()}",
                holder=Holder(
                    name=candidate.holder_name,
                    date_of_birth=candidate.date_of_birth,
                    sex=SEX_WORDS.get(candidate.sex),
                    place_of_birth=candidate.place_of_birth or None,
                ),
                diploma_number=diploma_number,
                register_number=register_number,
                field_of_study=field_of_study or None,
                classification=candidate.classification or None,
                status=(
                    StatusEntry(urls[revocation.pk], index, REVOCATION),
                    StatusEntry(urls[suspension.pk], index, SUSPENSION),
                ),
            )
            writer.add((
                candidate.learner_id, signed.credential_id, candidate.holder_name,
                fold(candidate.holder_name), candidate.date_of_birth, candidate.sex,
                candidate.place_of_birth, candidate.classification, candidate.field_of_study,
                candidate.field_of_study_en, diploma_number, register_number, signed.document,
                signed.digest.hex(), signed.qr_text, revocation.pk, suspension.pk, index,
            ))  # fmt: skip
    rows = writer.rows
    created = writer.instances()
    for credential in created:
        credential._state.fields_cache.update(
            institution=institution, credential_type=kind, key=key, batch=batch
        )
    _audit_issued(actor, institution, constants, rows, created, reason)
    root = root_key_ensure()
    did = conf.institution_did(institution.code)
    log_append(
        [
            LogEvent(
                "credential.issue",
                {
                    "credential": c.credential_id,
                    "issuer": did,
                    "key": key.key_id,
                    "type": kind.code,
                    "hash": c.document_hash,
                },
                institution.pk,
                c.pk,
            )
            for c in created
        ],
        root_key=root,
        root_signer=open_signer(root),
    )
    return created


def _audit_issued(actor, institution, constants, rows, created, reason) -> None:
    """One audit entry per issued credential; its snapshot is what ``_snapshot`` gives."""
    order = _audit_order()
    position = {name: i for i, name in enumerate(_ROW_COLUMNS)}
    shared = {name: _plain(value) for name, value in constants.items()}
    defaults = {
        f.attname: f.get_default() for f in Credential._meta.concrete_fields if f.attname in order
    }
    picks = [(name, position.get(name), shared.get(name, defaults.get(name))) for name in order]
    audit_rows = []
    for credential, row in zip(created, rows, strict=True):
        after = {name: (fixed if at is None else _plain(row[at])) for name, at, fixed in picks}
        audit_rows.append((str(credential.pk), after))
    rows_insert_values(
        AuditEntry,
        {
            "actor_id": actor.pk if getattr(actor, "pk", None) else None,
            "action": "credential.issue",
            "object_type": "credentials.credential",
            "institution_id": institution.pk,
            "before": None,
            "reason": reason[:500],
        },
        ("object_id", "after"),
        audit_rows,
        instances=False,
    )


# --- Status changes -----------------------------------------------------------------------

_TRANSITIONS = {
    "revoke": ((CredentialStatus.ACTIVE, CredentialStatus.SUSPENDED), CredentialStatus.REVOKED),
    "suspend": ((CredentialStatus.ACTIVE,), CredentialStatus.SUSPENDED),
    "reinstate": ((CredentialStatus.SUSPENDED,), CredentialStatus.ACTIVE),
}
_REFUSALS = {
    CredentialStatus.REVOKED: gettext_lazy("Văn bằng đã bị thu hồi; thu hồi là vĩnh viễn."),
    CredentialStatus.SUSPENDED: gettext_lazy("Văn bằng đang bị tạm đình chỉ."),
    CredentialStatus.ACTIVE: gettext_lazy("Văn bằng đang có hiệu lực, không bị tạm đình chỉ."),
}


def _status_change(*, actor, credential: Credential, action: str, reason: str) -> Credential:
    require(can_issue_credentials(scope_for(actor), credential.institution_id))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Hãy ghi lý do (được lưu trong sổ gốc).")})
    locked = (
        Credential.objects.select_for_update()
        .select_related("institution", "revocation_list", "suspension_list")
        .get(pk=credential.pk)
    )
    allowed_from, target = _TRANSITIONS[action]
    if locked.status not in allowed_from:
        raise ValidationError(str(_REFUSALS[locked.status]))
    key = signing_key(locked.institution)
    signer = open_signer(key)
    before = _snapshot(locked)
    if action == "revoke":
        status_bit_set(locked.revocation_list, locked.status_index, True, signer=signer)
    else:
        status_bit_set(
            locked.suspension_list, locked.status_index, action == "suspend", signer=signer
        )
    locked.status = target
    locked.status_reason = reason.strip()[:500]
    locked.status_changed_at = timezone.now()
    locked.save(update_fields=["status", "status_reason", "status_changed_at"])
    audit_record(
        actor=actor, action=f"credential.{action}", instance=locked, before=before,
        after=_snapshot(locked), reason=reason,
    )  # fmt: skip
    root = root_key_ensure()
    log_append(
        [
            LogEvent(
                f"credential.{action}",
                {
                    "credential": locked.credential_id,
                    "issuer": conf.institution_did(locked.institution.code),
                },
                locked.institution_id,
                locked.pk,
            )
        ],
        root_key=root,
        root_signer=open_signer(root),
    )
    return locked


@transaction.atomic
def credential_revoke(*, actor, credential: Credential, reason: str) -> Credential:
    """Revoke (thu hồi, hủy bỏ) a credential for good: its bit is set in the revocation list."""
    return _status_change(actor=actor, credential=credential, action="revoke", reason=reason)


@transaction.atomic
def credential_suspend(*, actor, credential: Credential, reason: str) -> Credential:
    """Suspend a credential while a case is examined (reversible)."""
    return _status_change(actor=actor, credential=credential, action="suspend", reason=reason)


@transaction.atomic
def credential_reinstate(*, actor, credential: Credential, reason: str) -> Credential:
    """Lift a suspension."""
    return _status_change(actor=actor, credential=credential, action="reinstate", reason=reason)


@transaction.atomic
def credential_replace(
    *,
    actor,
    original: Credential,
    relation: str,
    changes: dict,
    reason: str,
    issue_date: dt.date,
    signer_name: str,
    signer_title: str,
) -> Credential:
    """Reissue (the issuer's error) or amend (a change of civil status) a credential.

    A new register entry with a new number points to the original, which is revoked with
    the reason and the new number (Circular 21/2019: a diploma is issued once).
    """
    require(can_issue_credentials(scope_for(actor), original.institution_id))
    if relation not in (Relation.REISSUE, Relation.AMENDMENT):
        raise ValidationError({"relation": _("Chọn cấp lại hoặc chỉnh sửa nội dung.")})
    allowed = AMENDMENT_FIELDS if relation == Relation.AMENDMENT else REISSUE_FIELDS
    refused = set(changes) - set(allowed)
    if refused:
        raise ValidationError(
            {name: _("Không được sửa thông tin này theo hình thức đã chọn.") for name in refused}
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Hãy ghi lý do (được lưu trong sổ gốc).")})
    if original.status == CredentialStatus.REVOKED:
        raise ValidationError(_("Văn bằng gốc đã bị thu hồi."))
    candidate = Candidate(
        holder_name=original.holder_name,
        date_of_birth=original.date_of_birth,
        sex=original.sex,
        place_of_birth=original.place_of_birth,
        classification=original.classification,
        field_of_study=original.field_of_study,
        field_of_study_en=original.field_of_study_en,
        learner_id=original.learner_id,
    )
    candidate = replace(candidate, **changes)
    issuance = Issuance(
        credential_type=original.credential_type,
        issue_date=issue_date,
        graduation_year=original.graduation_year,
        signer_name=signer_name,
        signer_title=signer_title,
    )
    [new] = credential_issue(
        actor=actor, institution=original.institution, issuance=issuance,
        candidates=[candidate], original=original, relation=relation, reason=reason,
    )  # fmt: skip
    credential_revoke(
        actor=actor,
        credential=original,
        reason=_("Thay bằng văn bằng số hiệu %(number)s: %(reason)s")
        % {"number": new.diploma_number, "reason": reason.strip()},
    )
    return new
