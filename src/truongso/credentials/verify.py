"""Verification against this node's register: what the public page and API answer.

The signature is checked exactly as an offline verifier does (``verifier``), with this
node's keys; then the register gives the status (it is the source the status lists are
published from) and confirms that the credential was issued here. Lookups by number ask
for the date of birth too, and a wrong date of birth is answered exactly as an unknown
number: the same single query, the same answer.

The keys are read per request, never cached, so a key's revocation or rotation counts from
the next request. A credential's JSON names its issuer and its key, so only those rows are
read (``registry_for``: one indexed query); the answer is the one the whole registry
(``node_registry``) would give, since a verifier looks up only the key the proof names and
the issuer's name. A QR code names its key by a short kid that is not stored, so QR text is
checked against the whole registry.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Q, QuerySet
from django.utils import timezone

from truongso.credentials.models import (
    Credential,
    CredentialStatus,
    IssuerKey,
    ReportCardCredential,
)
from truongso.credentials.registry import IssuerInfo, Registry
from truongso.credentials.rules.data_integrity import issuer_id, parse_json
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


_KEY_COLUMNS = (
    "key_id", "public_key", "controller", "valid_from", "valid_to", "revoked_at",
    "institution_id", "institution__name", "institution__code", "institution__province__name",
)  # fmt: skip


def _key_of(row) -> tuple[TrustedKey, IssuerInfo | None]:
    """A key's columns (``_KEY_COLUMNS``) as a trusted key and, for an institution's key
    (not a root key), its issuer."""
    key_id, public, controller, valid_from, valid_to, revoked_at = row[:6]
    institution_id, name, code, region = row[6:]
    trusted = TrustedKey(
        key_id, bytes(public), controller,
        valid_from=valid_from, valid_until=valid_to, revoked_from=revoked_at,
    )  # fmt: skip
    if institution_id is None:
        return trusted, None
    return trusted, IssuerInfo(id=controller, name=name, code=code, region=region or "")


def _registry(rows: QuerySet[IssuerKey]) -> Registry:
    """Public keys only: the columns a verifier needs, no model instances."""
    keys, roots, issuers = [], [], {}
    for row in rows.order_by("pk").values_list(*_KEY_COLUMNS):
        trusted, issuer = _key_of(row)
        if issuer is None:
            roots.append(trusted)
            continue
        keys.append(trusted)
        issuers[issuer.id] = issuer
    return Registry(keys=KeyRing(keys), root_keys=KeyRing(roots), issuers=issuers)


def node_registry() -> Registry:
    """This node's keys and issuers, read from the database (public keys only)."""
    return _registry(IssuerKey.objects.all())


def registry_for(document: Any) -> Registry:
    """The part of ``node_registry()`` that a check of ``document`` can use: the keys of
    the issuer it names and the key its proof names (one query on two indexed columns).

    ``check_document`` gives the same answer with it as with the whole registry: the proof
    is checked with the key its ``verificationMethod`` names (here, if this node has it),
    that key's controller must be the issuer, and the issuer's name comes from the
    issuer's keys (here, all of them)."""
    issuer = issuer_id(document) if isinstance(document, dict) else None
    proof = document.get("proof") if isinstance(document, dict) else None
    method = proof.get("verificationMethod") if isinstance(proof, dict) else None
    wanted = Q(pk__in=[])
    if isinstance(issuer, str) and issuer:
        wanted |= Q(controller=issuer)
    if isinstance(method, str) and method:
        wanted |= Q(key_id=method)
    return _registry(IssuerKey.objects.filter(wanted))


@dataclass(frozen=True)
class _RegisterRow:
    """A register row (diploma or signed report card) and the key it was signed with."""

    report_card: bool
    pk: int
    document_hash: str
    status: str
    key: TrustedKey
    issuer: IssuerInfo | None


_ROW_COLUMNS = ("pk", "document_hash", "status") + tuple(f"key__{c}" for c in _KEY_COLUMNS)


class _PreparedRows:
    """The register-row query of one model, compiled by the ORM once per database
    connection: each verification then only runs it (the ORM's query building took a
    quarter of a verification's time). The SQL text is the ORM's own; each row goes through
    the ORM's converters for its columns (dates, binary) as ``values_list`` would."""

    def __init__(self, model) -> None:
        self.model = model
        self._local = threading.local()  # database connections are per thread too

    def _compiled(self, wrapper):
        found = getattr(self._local, "compiled", None)
        if found is None or found[0] is not wrapper:
            placeholder = "-"
            queryset = self.model.objects.filter(credential_id=placeholder).order_by()
            queryset = queryset.values_list(*_ROW_COLUMNS)[:1]
            compiler = queryset.query.get_compiler(connection=wrapper)
            sql, params = compiler.as_sql()
            if list(params) != [placeholder]:  # pragma: no cover — the ORM's own shape
                raise RuntimeError("unexpected parameters in the register query")
            converters = compiler.get_converters([item[0] for item in compiler.select])
            found = (wrapper, sql, compiler, converters)
            self._local.compiled = found
        return found

    def first(self, credential_id: str) -> tuple | None:
        wrapper = connections[DEFAULT_DB_ALIAS]
        _wrapper, sql, compiler, converters = self._compiled(wrapper)
        with wrapper.cursor() as cursor:
            cursor.execute(sql, [credential_id])
            rows = cursor.fetchall()
        if converters:
            rows = compiler.apply_converters(rows, converters)
        for row in rows:
            return tuple(row)
        return None


_PREPARED = {model: _PreparedRows(model) for model in (Credential, ReportCardCredential)}


def _register_row(credential_id: Any) -> _RegisterRow | None:
    """The register's row of a diploma or of a signed report card, with its key (one
    query for a diploma, two for a report card)."""
    if not isinstance(credential_id, str) or not credential_id:
        return None
    for model in (Credential, ReportCardCredential):
        found = _PREPARED[model].first(credential_id)
        if found is not None:
            pk, document_hash, status, *key = found
            trusted, issuer = _key_of(key)
            return _RegisterRow(
                model is ReportCardCredential, pk, document_hash, status, trusted, issuer
            )
    return None


def _registry_of_row(row: _RegisterRow | None, document: Any) -> Registry | None:
    """The registry ``registry_for(document)`` would give, from the row's own key, when the
    proof names that key and the document names its controller as issuer (the usual case);
    otherwise None. An issuer's keys all belong to one institution (their controller is
    made from its code), so the issuer's name is the same."""
    if row is None or row.issuer is None or not isinstance(document, dict):
        return None
    proof = document.get("proof")
    method = proof.get("verificationMethod") if isinstance(proof, dict) else None
    if method != row.key.key_id or issuer_id(document) != row.key.controller:
        return None
    return Registry(
        keys=KeyRing([row.key]), root_keys=KeyRing(), issuers={row.issuer.id: row.issuer}
    )


def _superseded(row: _RegisterRow) -> bool:
    """A report card credential revoked because a later approved version replaced it."""
    return (
        row.report_card
        and row.status == CredentialStatus.REVOKED
        and ReportCardCredential.objects.filter(previous_id=row.pk).exists()
    )


def _with_register(
    finding: Finding, row: _RegisterRow | None, document_hash: str | None
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


def verify_document(text: Any) -> Finding:
    """A credential's JSON (text or parsed).

    The register's row is read first, with its key: when the proof names that key, it is
    the whole registry the check needs (one query in all); otherwise ``registry_for``."""
    if isinstance(text, str | bytes):
        try:
            text = parse_json(text)
        except (ValueError, RecursionError):
            return Finding(Answer.UNKNOWN, "unreadable:not_json")
    row = _register_row(text.get("id")) if isinstance(text, dict) else None
    registry = _registry_of_row(row, text) or registry_for(text)
    finding = check_document(text, registry)
    if not finding.genuine:
        return finding
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
    try:
        document = parse_json(row.document)
    except (ValueError, RecursionError):
        return Finding(Answer.UNKNOWN, "unreadable:not_json")
    finding = check_document(document, registry_for(document))
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
