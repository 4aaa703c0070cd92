"""W3C Data Integrity proofs with the ``eddsa-jcs-2022`` cryptosuite.

Implements "Verifiable Credential Data Integrity EdDSA Cryptosuites v1.0", §3.3
(eddsa-jcs-2022): JSON Canonicalization Scheme (RFC 8785), SHA-256, Ed25519. No RDF, no
context fetching.

Creating a proof for an unsecured document ``D`` with a signer:

1. proof configuration ``P`` = {type: "DataIntegrityProof", cryptosuite: "eddsa-jcs-2022",
   created, verificationMethod, proofPurpose} plus ``@context`` = D's ``@context`` when D
   has one;
2. ``hashData = SHA-256(JCS(P)) || SHA-256(JCS(D))`` (64 bytes, proof hash first);
3. ``proofValue = "z" + base58btc(Ed25519-sign(hashData))``;
4. the secured document is D with ``proof = P + {proofValue}``.

Verifying removes ``proof``, removes ``proofValue`` from it, recomputes ``hashData`` and
checks the signature with the key the verification method names, found in a KeyRing
(never fetched). This verifier is stricter than the specification in one place: the
secured document's ``@context`` must *equal* the proof's ``@context`` (the specification
also accepts a secured document whose ``@context`` only starts with it).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import rfc8785

from . import verification as v
from .base58 import Base58Error, multibase_z_decode, multibase_z_encode
from .keyring import KeyRing, ed25519_verify
from .signer import Signer

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-jcs-2022"
ASSERTION_METHOD = "assertionMethod"
MAX_JSON_BYTES = 1_000_000

_DATETIME_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_OPTIONAL_OPTIONS = ("expires", "domain", "challenge", "nonce")


_MAX_SAFE_INTEGER = 2**53 - 1
_PLAIN_ENCODER = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False
)


def _plain(value: Any) -> bool:
    """True when ``value`` holds only strings, integers within ±(2^53 − 1), booleans,
    None, lists and objects whose keys are text of characters below U+D800: for such a
    value the standard encoder (sorted keys, no spaces, no ASCII escaping) writes exactly
    the RFC 8785 form — same escapes (\\b \\f \\n \\r \\t, other controls as \\u00xx),
    same integers, and key order by code point equals order by UTF-16 code unit."""
    stack = [value]
    pop, push = stack.pop, stack.extend
    while stack:
        item = pop()
        kind = type(item)
        if kind is str or kind is bool or item is None:
            continue
        if kind is int:
            if not -_MAX_SAFE_INTEGER <= item <= _MAX_SAFE_INTEGER:
                return False
        elif kind is list:
            push(item)
        elif kind is dict:
            # All the member names at once: text (a non-text name fails the join), and
            # plain ASCII or else below U+D800.
            try:
                names = "".join(item)
            except TypeError:
                return False
            if not names.isascii() and max(names) >= "\ud800":
                return False
            push(item.values())
        else:
            return False
    return True


def canonicalize(value: Any) -> bytes:
    """RFC 8785 canonical JSON bytes (raises rfc8785.CanonicalizationError).

    Values made only of strings, safe integers, booleans, null, arrays and objects (every
    credential here: decimals travel as strings) are written by the standard library's C
    encoder, which gives the same bytes ten times faster; anything else (floats, other
    types, lone surrogates, keys beyond U+D7FF) goes through ``rfc8785``."""
    try:
        if _plain(value):
            return _PLAIN_ENCODER.encode(value).encode("utf-8")
    except (RecursionError, UnicodeEncodeError):
        pass
    return rfc8785.dumps(value)


def format_datetime(moment: datetime) -> str:
    """XML Schema dateTimeStamp in UTC with seconds: ``2025-06-01T08:00:00Z``."""
    if moment.tzinfo is None:
        raise ValueError("the proof time must be timezone-aware")
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datetime(text: Any) -> datetime | None:
    """An aware datetime from a dateTimeStamp string, or None if it is not one."""
    if not isinstance(text, str) or not _DATETIME_STAMP.match(text):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def proof_configuration(document: Mapping[str, Any], options: Mapping[str, Any]) -> dict:
    """The proof configuration: the options plus the document's ``@context`` if it has one."""
    config = {k: val for k, val in options.items() if k != "proofValue"}
    if "@context" in document:
        config["@context"] = document["@context"]
    return config


def hash_data(document: Mapping[str, Any], proof_config: Mapping[str, Any]) -> bytes:
    """SHA-256(JCS(proof config)) || SHA-256(JCS(document)): the 64 bytes that get signed."""
    proof_hash = hashlib.sha256(canonicalize(proof_config)).digest()
    document_hash = hashlib.sha256(canonicalize(document)).digest()
    return proof_hash + document_hash


def create_proof(
    document: Mapping[str, Any],
    signer: Signer,
    *,
    created: datetime,
    proof_purpose: str = ASSERTION_METHOD,
    **options: str,
) -> dict[str, Any]:
    """Return a copy of ``document`` with an ``eddsa-jcs-2022`` proof added.

    Extra options (``expires``, ``domain``, ``challenge``, ``nonce``) go into the proof.
    """
    if "proof" in document:
        raise ValueError("the document already has a proof; proof sets are not supported")
    unknown = set(options) - set(_OPTIONAL_OPTIONS)
    if unknown:
        raise ValueError(f"unsupported proof options: {sorted(unknown)}")
    proof_options: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": format_datetime(created),
        "verificationMethod": signer.key_id,
        "proofPurpose": proof_purpose,
        **options,
    }
    unsecured = dict(document)
    config = proof_configuration(unsecured, proof_options)
    signature = signer.sign(hash_data(unsecured, config))
    return {**unsecured, "proof": {**config, "proofValue": multibase_z_encode(signature)}}


def verify_proof(
    secured: Any, keys: KeyRing, *, expected_purpose: str = ASSERTION_METHOD
) -> v.Verification:
    """Check an ``eddsa-jcs-2022`` proof. Never raises; see ``verification.Outcome``."""
    try:
        return _verify_proof(secured, keys, expected_purpose)
    except RecursionError:
        return v.malformed("too_deep")


def _verify_proof(secured: Any, keys: KeyRing, expected_purpose: str) -> v.Verification:
    if not isinstance(secured, Mapping):
        return v.malformed("not_an_object")
    proof = secured.get("proof")
    if isinstance(proof, list):
        return v.malformed("proof_set_unsupported")
    if not isinstance(proof, Mapping):
        return v.malformed("no_proof")
    if proof.get("type") != PROOF_TYPE:
        return v.malformed("proof_type")
    if proof.get("cryptosuite") != CRYPTOSUITE:
        return v.malformed("cryptosuite")
    if proof.get("proofPurpose") != expected_purpose:
        return v.malformed("proof_purpose")
    method = proof.get("verificationMethod")
    if not isinstance(method, str) or not method:
        return v.malformed("verification_method")
    created = None
    if "created" in proof:
        created = parse_datetime(proof["created"])
        if created is None:
            return v.malformed("created")
    try:
        signature = multibase_z_decode(proof.get("proofValue"))
    except Base58Error:
        return v.malformed("proof_value")
    if len(signature) != 64:
        return v.malformed("proof_value")

    unsecured = {k: val for k, val in secured.items() if k != "proof"}
    options = {k: val for k, val in proof.items() if k != "proofValue"}
    if "@context" in options and options["@context"] != unsecured.get("@context"):
        return v.altered("context")
    if "@context" not in options and "@context" in unsecured:
        return v.altered("context")
    try:
        data = hash_data(unsecured, options)
    except (rfc8785.CanonicalizationError, RecursionError, TypeError, ValueError):
        return v.malformed("not_canonicalizable")

    key = keys.by_key_id(method)
    if key is None:
        return v.unknown_key("key_not_trusted", key_id=method)
    if not key.usable_at(created):
        return v.unknown_key("key_not_valid_at_signing_time", key_id=method)
    if not ed25519_verify(key.public_key, signature, data):
        return v.altered("signature_mismatch", key_id=method)
    return v.valid(key_id=method, payload=key)


def issuer_id(document: Mapping[str, Any]) -> str | None:
    """The credential's issuer id: ``issuer`` as a string or ``issuer.id``."""
    issuer = document.get("issuer")
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


def verify_credential(secured: Any, keys: KeyRing) -> v.Verification:
    """Verify the proof *and* that the key belongs to the credential's issuer."""
    result = verify_proof(secured, keys)
    if not result.ok:
        return result
    issuer = issuer_id(secured)
    if issuer is None:
        return v.malformed("issuer")
    if result.payload.controller != issuer:
        return v.unknown_key("key_not_for_issuer", key_id=result.key_id)
    return result


class _DuplicateKeyError(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_json(text: str | bytes) -> Any:
    """Strict JSON: UTF-8, no duplicate member names, no NaN/Infinity, at most 1 MB.

    Raises ValueError (or RecursionError for absurd nesting).
    """
    if isinstance(text, str):
        text = text.encode("utf-8", errors="strict")
    if len(text) > MAX_JSON_BYTES:
        raise ValueError("document too large")
    decoded = text.decode("utf-8", errors="strict")
    return json.loads(decoded, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)


def verify_credential_json(text: Any, keys: KeyRing) -> v.Verification:
    """Parse JSON text strictly, then ``verify_credential``. Never raises."""
    if not isinstance(text, str | bytes):
        return v.malformed("not_text")
    try:
        document = parse_json(text)
    except (ValueError, RecursionError):
        return v.malformed("not_json")
    return verify_credential(document, keys)
