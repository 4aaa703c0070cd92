"""Reads for credentials.

School data (the register, an institution's keys) is read through scoped selectors that
take the acting user. What the node *publishes* (the key registry, DID documents, status
lists, checkpoints) is public by design and read without a user.
"""

from __future__ import annotations

import base64

from django.db.models import Q, QuerySet

from truongso.accounts.access import credentials_q, school_rows_q, scope_for
from truongso.audit.models import AuditEntry
from truongso.core.rules.text import fold
from truongso.credentials import conf
from truongso.credentials.models import (
    Checkpoint,
    Credential,
    CredentialType,
    IssuanceBatch,
    IssuerKey,
    LogEntry,
    Publication,
    StatusList,
)
from truongso.credentials.rules.diploma_number import normalize
from truongso.units.models import Institution

DID_CONTEXT = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]


# --- Published documents (public) ---------------------------------------------------------


def registry_body() -> str | None:
    """The signed key registry as published, or None before the first key exists."""
    publication = Publication.objects.filter(name="keys.json").first()
    return publication.body if publication else None


def _did_document(did: str, keys: list[IssuerKey]) -> dict:
    methods = [
        {
            "id": key.key_id,
            "type": "Multikey",
            "controller": key.controller,
            "publicKeyMultibase": key.multikey,
        }
        for key in keys
    ]
    return {
        "@context": DID_CONTEXT,
        "id": did,
        "verificationMethod": methods,
        # A key revoked from a date is left out: a verifier that reads only this document
        # cannot apply the date. The registry (keys.json) has every key with its window.
        "assertionMethod": [key.key_id for key in keys if key.revoked_at is None],
    }


def institution_did_document(*, code: str) -> dict:
    """The did:web document of an institution that has keys; Institution.DoesNotExist
    otherwise."""
    institution = Institution.objects.get(code=code)
    keys = list(IssuerKey.objects.filter(institution=institution).order_by("valid_from", "pk"))
    if not keys:
        raise Institution.DoesNotExist
    return _did_document(conf.institution_did(institution.code), keys)


def node_did_document() -> dict:
    """The did:web document of the node (its root keys); IssuerKey.DoesNotExist if none."""
    keys = list(
        IssuerKey.objects.filter(institution__isnull=True, controller=conf.node_did()).order_by(
            "valid_from", "pk"
        )
    )
    if not keys:
        raise IssuerKey.DoesNotExist
    return _did_document(conf.node_did(), keys)


def jwks() -> dict:
    """Every institution key as a JSON Web Key Set (RFC 8037 OKP keys, ``kid`` = key id)."""
    keys = IssuerKey.objects.filter(institution__isnull=False).order_by("institution_id", "pk")
    return {
        "keys": [
            {
                "kty": "OKP",
                "crv": "Ed25519",
                "x": base64.urlsafe_b64encode(key.public_bytes).rstrip(b"=").decode(),
                "kid": key.key_id,
                "use": "sig",
                "alg": "EdDSA",
            }
            for key in keys
        ]
    }


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size").first()


def log_entries(*, start: int = 0, limit: int = 1000) -> QuerySet[LogEntry]:
    """Log entries from ``start`` (public: they name credentials and keys, no person)."""
    return LogEntry.objects.filter(index__gte=max(start, 0)).order_by("index")[: max(limit, 0)]


def all_keys() -> QuerySet[IssuerKey]:
    """Every key of the node, for the key ring of the online verifier (public keys only)."""
    return IssuerKey.objects.select_related("institution__province").order_by("pk")


# --- Scoped reads -------------------------------------------------------------------------


def issuer_key_list(*, actor) -> QuerySet[IssuerKey]:
    """Institution keys the actor may see: their institutions' and those their office
    oversees; the node's operators also see the root keys."""
    scope = scope_for(actor)
    q = school_rows_q(scope)
    if getattr(actor, "is_superuser", False):
        q |= Q(institution__isnull=True)
    return (
        IssuerKey.objects.filter(q)
        .select_related("institution")
        .order_by("institution__name", "-valid_from", "-pk")
    )


def issuer_key_get(*, actor, pk: int) -> IssuerKey:
    """One key the actor may see; IssuerKey.DoesNotExist otherwise."""
    return issuer_key_list(actor=actor).get(pk=pk)


def status_list_document(*, code: str, year: int, purpose: str, sequence: int) -> str:
    """A published status list credential; StatusList.DoesNotExist otherwise."""
    found = StatusList.objects.get(
        institution__code=code, year=year, purpose=purpose, sequence=sequence
    )
    if not found.document:
        raise StatusList.DoesNotExist
    return found.document


def published_status_lists() -> list[str]:
    """Every signed status list credential of the node (for the offline cache)."""
    return list(StatusList.objects.exclude(document="").values_list("document", flat=True))


def root_keys() -> QuerySet[IssuerKey]:
    return IssuerKey.objects.filter(institution__isnull=True).order_by("valid_from", "pk")


def credential_by_number(*, number: str) -> Credential:
    """For the node's operators (command line): Credential.DoesNotExist otherwise."""
    return Credential.objects.select_related("institution__province", "credential_type").get(
        diploma_number=normalize(number)
    )


def credential_type_get(*, code: str) -> CredentialType:
    return CredentialType.objects.get(code=code)


# --- The register (scoped) ----------------------------------------------------------------


def credential_list(
    *,
    actor,
    query: str = "",
    institution_id: int | None = None,
    type_code: str | None = None,
    year: int | None = None,
    status: str | None = None,
) -> QuerySet[Credential]:
    """Register entries the actor may read: their school's, or their office's schools'.
    ``query`` matches the holder's name without diacritics, or a diploma number."""
    qs = Credential.objects.filter(credentials_q(scope_for(actor)))
    text = (query or "").strip()
    if text:
        number = normalize(text)
        qs = qs.filter(Q(search_name__contains=fold(text)) | Q(diploma_number=number))
    if institution_id:
        qs = qs.filter(institution_id=institution_id)
    if type_code:
        qs = qs.filter(credential_type__code=type_code)
    if year:
        qs = qs.filter(issue_date__year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("institution", "credential_type").order_by(
        "-issue_date", "institution__name", "register_number", "pk"
    )


def credential_get(*, actor, pk: int, write: bool = False) -> Credential:
    """One register entry the actor may read (or change); Credential.DoesNotExist otherwise."""
    return (
        Credential.objects.filter(credentials_q(scope_for(actor), write=write))
        .select_related("institution__province", "credential_type", "key", "original", "learner")
        .get(pk=pk)
    )


def credential_can_change(*, actor, credential: Credential) -> bool:
    return Credential.objects.filter(
        credentials_q(scope_for(actor), write=True), pk=credential.pk
    ).exists()


def credential_history(*, actor, credential: Credential) -> QuerySet[AuditEntry]:
    credential_get(actor=actor, pk=credential.pk)
    return (
        AuditEntry.objects.filter(
            object_type="credentials.credential", object_id=str(credential.pk)
        )
        .select_related("actor")
        .order_by("-at", "-id")
    )


def batch_list(*, actor) -> QuerySet[IssuanceBatch]:
    return (
        IssuanceBatch.objects.filter(credentials_q(scope_for(actor)))
        .select_related("institution", "credential_type")
        .order_by("-created_at", "-pk")
    )


def batch_get(*, actor, pk: int, write: bool = False) -> IssuanceBatch:
    return (
        IssuanceBatch.objects.filter(credentials_q(scope_for(actor), write=write))
        .select_related("institution", "credential_type")
        .get(pk=pk)
    )


def issuing_institutions(*, actor) -> QuerySet[Institution]:
    """The institutions whose credentials the actor issues (as principal)."""
    scope = scope_for(actor)
    return Institution.objects.filter(pk__in=scope.principal_institution_ids).order_by("name")


def readable_institutions(*, actor) -> QuerySet[Institution]:
    """Institutions whose register the actor reads (for the filter)."""
    ids = Credential.objects.filter(credentials_q(scope_for(actor))).values("institution_id")
    return Institution.objects.filter(pk__in=ids).order_by("name")
