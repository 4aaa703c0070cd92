"""Reads for credentials.

School data (the register, an institution's keys) is read through scoped selectors that
take the acting user. What the node *publishes* (the key registry, DID documents, status
lists, checkpoints) is public by design and read without a user.
"""

from __future__ import annotations

import base64

from django.db.models import Q, QuerySet

from truongso.accounts.access import school_rows_q, scope_for
from truongso.credentials import conf
from truongso.credentials.models import Checkpoint, IssuerKey, LogEntry, Publication
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
