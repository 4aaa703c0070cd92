"""Checking a credential (its JSON or its QR text) against a key registry and status lists.

Pure Python, no Django: the web page and API use it with this node's keys, the offline
command with cached files. The answer is one of:

=================  =========================================================================
``valid``          signed by the issuer's key valid at signing time, unchanged, not revoked
``revoked``        genuine, but revoked (thu hồi, hủy bỏ) by its issuer
``suspended``      genuine, but suspended by its issuer (may be reinstated)
``altered``        the content does not match the signature: changed after signing
``unknown_issuer`` not signed by a key we know for that issuer at that time (a forgery,
                   another node's document, or a key revoked before the signature)
``unknown``        unreadable input, or (by number) nothing matches
=================  =========================================================================

What is shown with an answer is what the paper shows, and only for a genuine document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from truongso.credentials.registry import Registry
from truongso.credentials.rules import verification as v
from truongso.credentials.rules.data_integrity import (
    issuer_id,
    parse_datetime,
    parse_json,
    verify_credential,
)
from truongso.credentials.rules.qr_payload import CredentialKind as QrKind
from truongso.credentials.rules.qr_payload import QrClaims, verify_qr
from truongso.credentials.rules.status_list import (
    REVOCATION,
    SUSPENSION,
    StatusListError,
    check_status,
)


class Answer(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    SUSPENDED = "suspended"
    ALTERED = "altered"
    UNKNOWN_ISSUER = "unknown_issuer"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Shown:
    """What a genuine credential says, limited to what the paper shows."""

    title: str = ""
    issuer_name: str = ""
    holder_name: str = ""
    date_of_birth: dt.date | None = None
    issue_date: dt.date | None = None
    diploma_number: str = ""
    register_number: str = ""
    classification: str = ""
    field_of_study: str = ""
    kind: str = "diploma"  # "report_card" for a signed report card (học bạ)

    def as_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "issuer_name": self.issuer_name,
            "holder_name": self.holder_name,
            "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else None,
            "issue_date": self.issue_date.isoformat() if self.issue_date else None,
            "diploma_number": self.diploma_number,
            "register_number": self.register_number,
            "classification": self.classification,
            "field_of_study": self.field_of_study,
            "kind": self.kind,
        }


@dataclass(frozen=True)
class Finding:
    """The answer and why; ``status_checked`` is False when no status list was available."""

    answer: Answer
    reason: str = ""
    credential_id: str | None = None
    issuer_id: str | None = None
    key_id: str | None = None
    shown: Shown | None = None
    status_checked: bool = False
    status_as_of: dt.datetime | None = None

    @property
    def genuine(self) -> bool:
        return self.answer in (Answer.VALID, Answer.REVOKED, Answer.SUSPENDED)


# url → (status list credential, when it was fetched), or None when it is not available.
StatusSource = Callable[[str], "tuple[Any, dt.datetime] | None"]


def _from_signature(result: v.Verification) -> Finding | None:
    """The answer for a signature that did not verify (None when it did)."""
    if result.ok:
        return None
    if result.outcome is v.Outcome.ALTERED:
        return Finding(Answer.ALTERED, result.reason, key_id=result.key_id)
    if result.outcome is v.Outcome.UNKNOWN_KEY:
        return Finding(Answer.UNKNOWN_ISSUER, result.reason, key_id=result.key_id)
    return Finding(Answer.UNKNOWN, f"unreadable:{result.reason}")


def _date(text: Any) -> dt.date | None:
    moment = parse_datetime(text)
    if moment is not None:
        return moment.astimezone(dt.UTC).date()
    if isinstance(text, str):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    return None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def shown_from_document(document: Mapping[str, Any], issuer_name: str) -> Shown:
    subject = document.get("credentialSubject")
    subject = subject if isinstance(subject, Mapping) else {}
    identity: dict[str, str] = {}
    for item in subject.get("identifier") or []:
        if isinstance(item, Mapping) and item.get("hashed") is False:
            identity[_text(item.get("identityType"))] = _text(item.get("identityHash"))
    achievement = subject.get("achievement")
    achievement = achievement if isinstance(achievement, Mapping) else {}
    results = [r for r in subject.get("result") or [] if isinstance(r, Mapping)]
    types = document.get("type")
    kind = "report_card" if isinstance(types, list) and "ClrCredential" in types else "diploma"
    return Shown(
        title=_text(document.get("name")),
        issuer_name=issuer_name,
        holder_name=identity.get("name", ""),
        date_of_birth=_date(identity.get("ext:dateOfBirth")),
        issue_date=_date(document.get("awardedDate") or document.get("validFrom")),
        diploma_number=_text(subject.get("diplomaNumber")),
        register_number=_text(subject.get("registerNumber")),
        classification=_text(results[0].get("value")) if results else "",
        field_of_study=_text(achievement.get("fieldOfStudy")),
        kind=kind,
    )


def shown_from_claims(claims: QrClaims, issuer_name: str) -> Shown:
    return Shown(
        title=claims.title,
        issuer_name=issuer_name,
        holder_name=claims.holder_name,
        date_of_birth=claims.date_of_birth,
        issue_date=claims.issue_date,
        diploma_number=claims.diploma_number or "",
        register_number=claims.register_number or "",
        classification=claims.classification or "",
        kind="report_card" if claims.kind == QrKind.REPORT_CARD else "diploma",
    )


def _entries(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    status = document.get("credentialStatus")
    if isinstance(status, Mapping):
        return [status]
    if isinstance(status, list):
        return [entry for entry in status if isinstance(entry, Mapping)]
    return []


def check_statuses(
    document: Mapping[str, Any], registry: Registry, status_source: StatusSource
) -> tuple[Answer, bool, dt.datetime | None]:
    """(VALID / REVOKED / SUSPENDED, every list checked, the oldest list's time)."""
    issuer = issuer_id(document)
    answer = Answer.VALID
    checked = True
    as_of: dt.datetime | None = None
    for entry in _entries(document):
        purpose = entry.get("statusPurpose")
        if purpose not in (REVOCATION, SUSPENSION):
            continue
        url = entry.get("statusListCredential")
        fetched = status_source(url) if isinstance(url, str) else None
        if fetched is None:
            checked = False
            continue
        list_document, fetched_at = fetched
        result = verify_credential(list_document, registry.keys)
        if not result.ok or issuer_id(list_document) != issuer:
            checked = False
            continue
        try:
            bit = check_status(entry, list_document).set
        except StatusListError:
            checked = False
            continue
        as_of = fetched_at if as_of is None or fetched_at < as_of else as_of
        if bit and purpose == REVOCATION:
            answer = Answer.REVOKED
        elif bit and answer is Answer.VALID:
            answer = Answer.SUSPENDED
    return answer, checked, as_of


def check_document(
    document: Any, registry: Registry, status_source: StatusSource | None = None
) -> Finding:
    """Check a credential (a parsed JSON object or its text). Never raises."""
    if isinstance(document, str | bytes):
        try:
            document = parse_json(document)
        except (ValueError, RecursionError):
            return Finding(Answer.UNKNOWN, "unreadable:not_json")
    result = verify_credential(document, registry.keys)
    failed = _from_signature(result)
    if failed is not None:
        return failed
    issuer = issuer_id(document) or ""
    info = registry.issuers.get(issuer)
    shown = shown_from_document(document, info.name if info else "")
    answer, checked, as_of = Answer.VALID, False, None
    if status_source is not None:
        answer, checked, as_of = check_statuses(document, registry, status_source)
    return Finding(
        answer,
        "",
        credential_id=_text(document.get("id")) or None,
        issuer_id=issuer,
        key_id=result.key_id,
        shown=shown,
        status_checked=checked,
        status_as_of=as_of,
    )


def check_qr_text(text: Any, registry: Registry) -> Finding:
    """Check QR text (``VN1:…``): signature, key and claims. The QR names no status list:
    the caller adds the status from the register (online) or reports it unchecked."""
    if isinstance(text, str):
        # base45 has a space in its alphabet: keep spaces at the end, drop line breaks.
        text = text.lstrip().rstrip("\r\n\t")
    result = verify_qr(text, registry.keys)
    failed = _from_signature(result)
    if failed is not None:
        return failed
    claims: QrClaims = result.payload
    info = registry.issuers.get(claims.issuer)
    return Finding(
        Answer.VALID,
        "",
        credential_id=claims.credential_id,
        issuer_id=claims.issuer,
        key_id=result.key_id,
        shown=shown_from_claims(claims, info.name if info else ""),
    )
