"""The key registry a node publishes (``/credentials/keys.json``) and the key ring a verifier
builds from it. Pure Python, no Django: the offline verifier uses it on cached files.

The registry lists every institution key the node has ever used, with its window, and the
node's root keys; it is signed with a Data Integrity proof (``eddsa-jcs-2022``) by the
current root key::

    {"id": "<url>", "type": "TruongSoKeyRegistry", "issuer": "<node DID>",
     "updated": "<time>",
     "rootKeys": [<key>…],
     "issuers": [{"id": "<institution DID>", "code": "…", "name": "…", "region": "…",
                  "keys": [<key>…]}…],
     "log": {"origin": "<host>/credentials/log", "verifierKeys": ["<name+hash+key>"…]},
     "proof": {…}}

    <key> = {"id": "<DID>#key-n", "type": "Multikey", "controller": "<DID>",
             "publicKeyMultibase": "z6Mk…", "validFrom": "<time>",
             "validUntil": "<time>" (retired), "revokedFrom": "<time>" (compromised)}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from truongso.credentials.rules.data_integrity import (
    format_datetime,
    parse_datetime,
    verify_proof,
)
from truongso.credentials.rules.keyring import KeyRing, TrustedKey
from truongso.credentials.rules.multikey import MultikeyError, decode_public_key

REGISTRY_TYPE = "TruongSoKeyRegistry"


class RegistryError(ValueError):
    """The registry cannot be trusted or read."""


def key_json(
    *,
    key_id: str,
    controller: str,
    multikey: str,
    valid_from: datetime,
    valid_until: datetime | None = None,
    revoked_from: datetime | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": key_id,
        "type": "Multikey",
        "controller": controller,
        "publicKeyMultibase": multikey,
        "validFrom": format_datetime(valid_from),
    }
    if valid_until is not None:
        data["validUntil"] = format_datetime(valid_until)
    if revoked_from is not None:
        data["revokedFrom"] = format_datetime(revoked_from)
    return data


def trusted_key(data: Any) -> TrustedKey:
    """A TrustedKey from a registry key entry; RegistryError when it is not one."""
    if not isinstance(data, Mapping):
        raise RegistryError("a key is an object")
    key_id, controller = data.get("id"), data.get("controller")
    if not isinstance(key_id, str) or not isinstance(controller, str):
        raise RegistryError("a key has an id and a controller")
    if key_id.partition("#")[0] != controller:
        raise RegistryError("a key id starts with its controller")
    try:
        public_key = decode_public_key(data.get("publicKeyMultibase"))
    except MultikeyError:
        raise RegistryError("publicKeyMultibase is not an Ed25519 Multikey") from None
    window = {}
    for name, member in (
        ("valid_from", "validFrom"),
        ("valid_until", "validUntil"),
        ("revoked_from", "revokedFrom"),
    ):
        if member in data:
            moment = parse_datetime(data[member])
            if moment is None:
                raise RegistryError(f"{member} is not a date-time")
            window[name] = moment
    return TrustedKey(key_id, public_key, controller, **window)


@dataclass(frozen=True)
class IssuerInfo:
    """What the registry says about an issuer: shown instead of what a document claims."""

    id: str
    name: str
    code: str = ""
    region: str = ""


@dataclass
class Registry:
    """A verified registry: the issuers' key ring, their names, the log's verifier keys."""

    keys: KeyRing
    root_keys: KeyRing
    issuers: dict[str, IssuerInfo] = field(default_factory=dict)
    log_origin: str = ""
    log_verifier_keys: list[str] = field(default_factory=list)
    updated: datetime | None = None


def build_registry(
    *,
    registry_id: str,
    issuer: str,
    updated: datetime,
    root_keys: list[dict[str, Any]],
    issuers: list[dict[str, Any]],
    log_origin: str,
    log_verifier_keys: list[str],
) -> dict[str, Any]:
    """The unsigned registry document (sign it with ``data_integrity.create_proof``)."""
    return {
        "id": registry_id,
        "type": REGISTRY_TYPE,
        "issuer": issuer,
        "updated": format_datetime(updated),
        "rootKeys": root_keys,
        "issuers": issuers,
        "log": {"origin": log_origin, "verifierKeys": log_verifier_keys},
    }


def read_registry(document: Any, trusted_roots: KeyRing) -> Registry:
    """Check the registry's proof with the trusted root keys and read it.

    Raises RegistryError when the proof does not verify or the content is not a registry.
    """
    if not isinstance(document, Mapping) or document.get("type") != REGISTRY_TYPE:
        raise RegistryError("not a key registry")
    result = verify_proof(document, trusted_roots)
    if not result.ok:
        raise RegistryError(f"the registry's signature does not verify ({result.reason})")
    if result.payload.controller != document.get("issuer"):
        raise RegistryError("the registry is signed by another node's key")
    try:
        roots = [trusted_key(item) for item in document.get("rootKeys") or []]
        keys: list[TrustedKey] = []
        issuers: dict[str, IssuerInfo] = {}
        for item in document.get("issuers") or []:
            if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
                raise RegistryError("an issuer has an id")
            info = IssuerInfo(
                id=item["id"],
                name=str(item.get("name") or ""),
                code=str(item.get("code") or ""),
                region=str(item.get("region") or ""),
            )
            issuers[info.id] = info
            for key_data in item.get("keys") or []:
                key = trusted_key(key_data)
                if key.controller != info.id:
                    raise RegistryError("a key is listed under another issuer")
                keys.append(key)
        log = document.get("log") or {}
        return Registry(
            keys=KeyRing(keys),
            root_keys=KeyRing(roots),
            issuers=issuers,
            log_origin=str(log.get("origin") or ""),
            log_verifier_keys=[str(k) for k in log.get("verifierKeys") or []],
            updated=parse_datetime(document.get("updated")),
        )
    except (ValueError, TypeError, AttributeError) as error:
        if isinstance(error, RegistryError):
            raise
        raise RegistryError(f"the registry cannot be read: {error}") from None
