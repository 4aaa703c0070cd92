"""Verification against this node's register: what the public page and API answer.

The signature is checked exactly as an offline verifier does (``verifier``), with this
node's keys; then the register gives the status (it is the source the status lists are
published from) and confirms that the credential was issued here. Lookups by number ask
for the date of birth too, and a wrong date of birth is answered exactly as an unknown
number: the same single query, the same answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from truongso.credentials.models import (
    Credential,
    CredentialStatus,
    IssuerKey,
    ReportCardCredential,
)
from truongso.credentials.registry import IssuerInfo, Registry
from truongso.credentials.rules.data_integrity import parse_json
from truongso.credentials.rules.diploma_number import is_valid_diploma_number, normalize
from truongso.credentials.rules.keyring import KeyRing, TrustedKey
from truongso.credentials.rules.qr_payload import credential_hash
from truongso.credentials.verifier import (
    Answer,
    Finding,
    Shown,
    check_document,
    check_qr_text,
)

_ANSWER_OF_STATUS = {
    CredentialStatus.ACTIVE: Answer.VALID,
    CredentialStatus.REVOKED: Answer.REVOKED,
    CredentialStatus.SUSPENDED: Answer.SUSPENDED,
}


def _trusted(key: IssuerKey) -> TrustedKey:
    return TrustedKey(
        key.key_id,
        key.public_bytes,
        key.controller,
        valid_from=key.valid_from,
        valid_until=key.valid_to,
        revoked_from=key.revoked_at,
    )


def node_registry() -> Registry:
    """This node's keys and issuers, read from the database (public keys only)."""
    keys, roots, issuers = [], [], {}
    for key in IssuerKey.objects.select_related("institution__province").order_by("pk"):
        if key.institution is None:
            roots.append(_trusted(key))
            continue
        keys.append(_trusted(key))
        institution = key.institution
        issuers[key.controller] = IssuerInfo(
            id=key.controller,
            name=institution.name,
            code=institution.code,
            region=institution.province.name if institution.province_id else "",
        )
    return Registry(keys=KeyRing(keys), root_keys=KeyRing(roots), issuers=issuers)


def _superseded(row) -> bool:
    """A report card credential revoked because a later approved version replaced it."""
    return (
        isinstance(row, ReportCardCredential)
        and row.status == CredentialStatus.REVOKED
        and ReportCardCredential.objects.filter(previous=row).exists()
    )


def _with_register(
    finding: Finding, row: Credential | ReportCardCredential | None, document_hash: str | None
) -> Finding:
    if row is None:
        return Finding(Answer.UNKNOWN, "not_in_register", issuer_id=finding.issuer_id)
    if document_hash is not None and document_hash != row.document_hash:
        return Finding(Answer.ALTERED, "differs_from_register", issuer_id=finding.issuer_id)
    return Finding(
        _ANSWER_OF_STATUS[row.status],
        "superseded" if _superseded(row) else "",
        credential_id=finding.credential_id,
        issuer_id=finding.issuer_id,
        key_id=finding.key_id,
        shown=finding.shown,
        status_checked=True,
        status_as_of=timezone.now(),
    )


def _register_row(credential_id: str | None) -> Credential | ReportCardCredential | None:
    """The register's row of a diploma or of a signed report card."""
    if not credential_id:
        return None
    fields = ("credential_id", "document_hash", "status")
    row = Credential.objects.filter(credential_id=credential_id).only(*fields).first()
    if row is None:
        row = ReportCardCredential.objects.filter(credential_id=credential_id).only(*fields).first()
    return row


def verify_document(text: Any) -> Finding:
    """A credential's JSON (text or parsed)."""
    if isinstance(text, str | bytes):
        try:
            text = parse_json(text)
        except (ValueError, RecursionError):
            return Finding(Answer.UNKNOWN, "unreadable:not_json")
    finding = check_document(text, node_registry())
    if not finding.genuine:
        return finding
    row = _register_row(finding.credential_id)
    return _with_register(finding, row, credential_hash(text).hex())


def verify_qr(text: Any) -> Finding:
    """The QR text printed on the paper or PDF."""
    finding = check_qr_text(text, node_registry())
    if not finding.genuine:
        return finding
    return _with_register(finding, _register_row(finding.credential_id), None)


def verify_number(number: str, date_of_birth: dt.date | None) -> Finding:
    """A diploma number and the holder's date of birth, as typed from the paper."""
    typed = normalize(number)
    if not is_valid_diploma_number(typed):
        return Finding(Answer.UNKNOWN, "bad_check_digits")
    row = (
        Credential.objects.filter(diploma_number=typed, date_of_birth=date_of_birth)
        .select_related("institution", "credential_type")
        .first()
    )
    if row is None:
        return Finding(Answer.UNKNOWN, "not_found")
    finding = check_document(row.document, node_registry())
    if not finding.genuine:
        return finding
    shown = Shown(
        title=row.credential_type.title,
        issuer_name=row.institution.name,
        holder_name=row.holder_name,
        date_of_birth=row.date_of_birth,
        issue_date=row.issue_date,
        diploma_number=row.diploma_number,
        register_number=row.register_number,
        classification=row.classification,
        field_of_study=finding.shown.field_of_study if finding.shown else "",
    )
    return Finding(
        _ANSWER_OF_STATUS[row.status],
        "",
        credential_id=row.credential_id,
        issuer_id=finding.issuer_id,
        key_id=finding.key_id,
        shown=shown,
        status_checked=True,
        status_as_of=timezone.now(),
    )
