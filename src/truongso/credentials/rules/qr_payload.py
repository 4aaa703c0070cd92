"""The compact signed QR payload printed on a paper or PDF diploma or report card.

The recipe of the EU digital COVID certificate, with our own claims and prefix::

    text = "VN1:" + base45(zlib(COSE_Sign1(CBOR claims)))

- claims: a CBOR map with small integer keys (table below), encoded deterministically;
- COSE_Sign1 with EdDSA (alg -8), protected header ``{1: -8, 4: kid}`` where ``kid`` is
  the first 8 bytes of SHA-256 of the issuer's raw Ed25519 public key (see ``cose``);
- zlib (RFC 1950) at level 9, then base45 (RFC 9285), whose alphabet is the QR
  alphanumeric mode's, so the whole text fits the compact alphanumeric encoding.

Claims (text is UTF-8, dates are ``YYYY-MM-DD`` text):

==  =================  ==========  ==================================================
key name               type        meaning
==  =================  ==========  ==================================================
1   issuer             text        issuer DID (did:web of the institution); required
2   credential_id      text        the credential's id (urn:uuid:…); required
3   kind               uint        1 diploma, 2 report card, 3 certificate; required
4   holder_name        text        full name as printed; required
5   date_of_birth      date text   as printed; optional
6   issue_date         date text   date of issue as printed; required
7   title              text        e.g. "Bằng tốt nghiệp trung học phổ thông"; required
8   diploma_number     text        số hiệu; optional
9   register_number    text        số vào sổ gốc; optional
10  classification     text        xếp loại; optional
11  credential_hash    bstr (32)   SHA-256 of the RFC 8785 form of the full signed
                                   credential; optional
12  signed_at          uint        signing time, seconds since 1970 (UTC); required
==  =================  ==========  ==================================================

Unknown keys are refused: a new claim means a new prefix (``VN2:``).
"""

from __future__ import annotations

import hashlib
import re
import sys
import zlib
from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import IntEnum
from typing import Any

import base45
import cbor2

from . import verification as v
from .cose import CoseError, loads_strict, parse_sign1, sign1
from .data_integrity import canonicalize
from .keyring import KeyRing, ed25519_verify, short_kid
from .signer import Signer

PREFIX = "VN1:"
MAX_TEXT_LENGTH = 4296  # the alphanumeric capacity of the largest QR code (version 40-L)
MAX_INFLATED_BYTES = 16_384
MAX_CLAIM_TEXT = 300
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class CredentialKind(IntEnum):
    DIPLOMA = 1
    REPORT_CARD = 2
    CERTIFICATE = 3


class ClaimKey(IntEnum):
    ISSUER = 1
    CREDENTIAL_ID = 2
    KIND = 3
    HOLDER_NAME = 4
    DATE_OF_BIRTH = 5
    ISSUE_DATE = 6
    TITLE = 7
    DIPLOMA_NUMBER = 8
    REGISTER_NUMBER = 9
    CLASSIFICATION = 10
    CREDENTIAL_HASH = 11
    SIGNED_AT = 12


_REQUIRED = {
    ClaimKey.ISSUER,
    ClaimKey.CREDENTIAL_ID,
    ClaimKey.KIND,
    ClaimKey.HOLDER_NAME,
    ClaimKey.ISSUE_DATE,
    ClaimKey.TITLE,
    ClaimKey.SIGNED_AT,
}


class QrError(ValueError):
    """The claims cannot be encoded, or a decoded payload is not valid claims."""


@dataclass(frozen=True)
class QrClaims:
    """What the QR code says: a subset of what the paper shows, plus a hash of the whole."""

    issuer: str
    credential_id: str
    kind: CredentialKind
    holder_name: str
    issue_date: date
    title: str
    signed_at: datetime
    date_of_birth: date | None = None
    diploma_number: str | None = None
    register_number: str | None = None
    classification: str | None = None
    credential_hash: bytes | None = None

    def to_cbor_map(self) -> dict[int, Any]:
        if self.signed_at.tzinfo is None:
            raise QrError("signed_at must be timezone-aware")
        claims: dict[int, Any] = {
            ClaimKey.ISSUER: self.issuer,
            ClaimKey.CREDENTIAL_ID: self.credential_id,
            ClaimKey.KIND: int(self.kind),
            ClaimKey.HOLDER_NAME: self.holder_name,
            ClaimKey.ISSUE_DATE: self.issue_date.isoformat(),
            ClaimKey.TITLE: self.title,
            ClaimKey.SIGNED_AT: int(self.signed_at.timestamp()),
        }
        optional = {
            ClaimKey.DATE_OF_BIRTH: self.date_of_birth.isoformat() if self.date_of_birth else None,
            ClaimKey.DIPLOMA_NUMBER: self.diploma_number,
            ClaimKey.REGISTER_NUMBER: self.register_number,
            ClaimKey.CLASSIFICATION: self.classification,
            ClaimKey.CREDENTIAL_HASH: self.credential_hash,
        }
        claims.update({key: value for key, value in optional.items() if value is not None})
        result = {int(key): value for key, value in claims.items()}
        from_cbor_map(result)  # the encoder refuses what the decoder would refuse
        return result


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_CLAIM_TEXT:
        raise QrError(f"{name} must be text of 1 to {MAX_CLAIM_TEXT} characters")
    return value


def _date(value: Any, name: str) -> date:
    if not isinstance(value, str) or not _DATE.match(value):
        raise QrError(f"{name} must be a YYYY-MM-DD date")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise QrError(f"{name} must be a YYYY-MM-DD date") from None


def from_cbor_map(claims: Any) -> QrClaims:
    """Validate a decoded claims map; raise QrError on anything unexpected."""
    if not isinstance(claims, Mapping):
        raise QrError("the claims are a CBOR map")
    if any(type(key) is not int for key in claims):
        raise QrError("claim keys are integers")
    known = {int(key) for key in ClaimKey}
    if set(claims) - known:
        raise QrError("unknown claim keys")
    missing = {int(key) for key in _REQUIRED} - set(claims)
    if missing:
        raise QrError(f"missing claims {sorted(missing)}")
    kind = claims[ClaimKey.KIND]
    if type(kind) is not int or kind not in {int(k) for k in CredentialKind}:
        raise QrError("unknown credential kind")
    signed_at = claims[ClaimKey.SIGNED_AT]
    if type(signed_at) is not int or not 0 <= signed_at < 2**40:
        raise QrError("signed_at must be seconds since 1970")
    digest = claims.get(ClaimKey.CREDENTIAL_HASH)
    if digest is not None and (not isinstance(digest, bytes) or len(digest) != 32):
        raise QrError("credential_hash is 32 bytes")
    optional_text = {}
    for key, name in (
        (ClaimKey.DIPLOMA_NUMBER, "diploma_number"),
        (ClaimKey.REGISTER_NUMBER, "register_number"),
        (ClaimKey.CLASSIFICATION, "classification"),
    ):
        optional_text[name] = _text(claims[key], name) if key in claims else None
    dob = claims.get(ClaimKey.DATE_OF_BIRTH)
    return QrClaims(
        issuer=_text(claims[ClaimKey.ISSUER], "issuer"),
        credential_id=_text(claims[ClaimKey.CREDENTIAL_ID], "credential_id"),
        kind=CredentialKind(kind),
        holder_name=_text(claims[ClaimKey.HOLDER_NAME], "holder_name"),
        issue_date=_date(claims[ClaimKey.ISSUE_DATE], "issue_date"),
        title=_text(claims[ClaimKey.TITLE], "title"),
        signed_at=datetime.fromtimestamp(signed_at, tz=UTC),
        date_of_birth=_date(dob, "date_of_birth") if dob is not None else None,
        credential_hash=digest,
        **optional_text,
    )


_B45_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_B45_PAIRS: list[str] = []


def b45encode(data: bytes) -> str:
    """base45 (RFC 9285), as ``base45.b45encode`` gives it, with a table of the 65,536
    two-byte groups (made on first use) instead of arithmetic on each group; the groups
    are read as big-endian 16-bit numbers in one step."""
    if not _B45_PAIRS:
        a = _B45_ALPHABET
        _B45_PAIRS.extend(a[n % 45] + a[n // 45 % 45] + a[n // 2025] for n in range(65536))
    even = len(data) - len(data) % 2
    groups = array("H", data[:even])
    if sys.byteorder == "little":
        groups.byteswap()
    text = "".join(map(_B45_PAIRS.__getitem__, groups))
    if even != len(data):
        last = data[-1]
        text += _B45_ALPHABET[last % 45] + _B45_ALPHABET[last // 45]
    return text


def credential_hash(signed_credential: Mapping[str, Any]) -> bytes:
    """SHA-256 of the RFC 8785 form of the full signed credential (claim 11)."""
    return hashlib.sha256(canonicalize(signed_credential)).digest()


def encode_qr(claims: QrClaims, signer: Signer) -> str:
    """Sign the claims and return the QR text (``VN1:…``)."""
    payload = cbor2.dumps(claims.to_cbor_map(), canonical=True)
    message = sign1(payload, signer, short_kid(signer.public_key))
    text = PREFIX + b45encode(zlib.compress(message, 9))
    if len(text) > MAX_TEXT_LENGTH:
        raise QrError("the claims are too long for a QR code")
    return text


def _inflate(data: bytes) -> bytes:
    decompressor = zlib.decompressobj()
    try:
        inflated = decompressor.decompress(data, MAX_INFLATED_BYTES + 1)
    except zlib.error:
        raise QrError("not zlib data") from None
    if len(inflated) > MAX_INFLATED_BYTES or decompressor.unconsumed_tail:
        raise QrError("payload too large")
    if not decompressor.eof or decompressor.unused_data:
        raise QrError("not one complete zlib stream")
    return inflated


def verify_qr(text: Any, keys: KeyRing) -> v.Verification:
    """Verify QR text. On success ``payload`` is the QrClaims. Never raises."""
    if not isinstance(text, str):
        return v.malformed("not_text")
    if len(text) > MAX_TEXT_LENGTH or not text.startswith(PREFIX):
        return v.malformed("prefix")
    try:
        packed = base45.b45decode(text[len(PREFIX) :])
    except (ValueError, TypeError, IndexError, KeyError):
        return v.malformed("base45")
    try:
        message = parse_sign1(_inflate(bytes(packed)))
    except (QrError, CoseError):
        return v.malformed("cose")
    candidates = keys.by_kid(message.kid)
    if not candidates:
        return v.unknown_key("key_not_trusted", key_id=message.kid.hex())
    to_be_signed = message.to_be_signed
    key = next(
        (k for k in candidates if ed25519_verify(k.public_key, message.signature, to_be_signed)),
        None,
    )
    if key is None:
        return v.altered("signature_mismatch", key_id=candidates[0].key_id)
    try:
        claims = from_cbor_map(loads_strict(message.payload))
    except (QrError, CoseError):
        return v.malformed("claims")
    if not key.usable_at(claims.signed_at):
        return v.unknown_key("key_not_valid_at_signing_time", key_id=key.key_id)
    if key.controller != claims.issuer:
        return v.unknown_key("key_not_for_issuer", key_id=key.key_id)
    return v.valid(key_id=key.key_id, payload=claims)
