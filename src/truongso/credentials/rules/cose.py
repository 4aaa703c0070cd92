"""COSE_Sign1 (RFC 9052 §4.2, §4.4) with EdDSA (alg -8), built with cbor2.

    COSE_Sign1 = #6.18([protected: bstr .cbor header_map, unprotected: header_map,
                        payload: bstr, signature: bstr])
    Sig_structure = ["Signature1", body_protected: bstr, external_aad: bstr, payload: bstr]

The signature is Ed25519 over the CBOR encoding of Sig_structure. Our protected header
is ``{1: -8, 4: kid}`` (alg EdDSA, kid as bytes), encoded deterministically; the
unprotected header is empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import cbor2

from .signer import Signer

COSE_SIGN1_TAG = 18
HEADER_ALG = 1
HEADER_CRIT = 2
HEADER_KID = 4
ALG_EDDSA = -8
MAX_DEPTH = 16


class CoseError(ValueError):
    """Not a COSE_Sign1 message we accept."""


def sig_structure(protected: bytes, payload: bytes, external_aad: bytes = b"") -> bytes:
    """The bytes that are signed: CBOR of ["Signature1", protected, external_aad, payload]."""
    return cbor2.dumps(["Signature1", protected, external_aad, payload])


def encode_protected(kid: bytes) -> bytes:
    return cbor2.dumps({HEADER_ALG: ALG_EDDSA, HEADER_KID: kid}, canonical=True)


def sign1(payload: bytes, signer: Signer, kid: bytes) -> bytes:
    """A tagged COSE_Sign1 message over ``payload`` signed with EdDSA."""
    protected = encode_protected(kid)
    signature = signer.sign(sig_structure(protected, payload))
    return cbor2.dumps(cbor2.CBORTag(COSE_SIGN1_TAG, [protected, {}, payload, signature]))


def loads_strict(data: bytes) -> Any:
    """Decode one CBOR item: no duplicate map keys, bounded depth. Raises CoseError."""
    try:
        return cbor2.loads(data, allow_duplicate_keys=False, max_depth=MAX_DEPTH)
    except Exception:  # untrusted bytes through a third-party decoder: any failure
        raise CoseError("not CBOR") from None


@dataclass(frozen=True)
class Sign1:
    """A parsed COSE_Sign1 message; ``to_be_signed`` is the Sig_structure bytes."""

    protected: bytes
    kid: bytes
    payload: bytes
    signature: bytes

    @property
    def to_be_signed(self) -> bytes:
        return sig_structure(self.protected, self.payload)


def parse_sign1(data: bytes) -> Sign1:
    """Parse a COSE_Sign1 (tagged or untagged) signed with EdDSA; raise CoseError."""
    item = loads_strict(data)
    if isinstance(item, cbor2.CBORTag):
        if item.tag != COSE_SIGN1_TAG:
            raise CoseError("not a COSE_Sign1 tag")
        item = item.value
    if not isinstance(item, list | tuple) or len(item) != 4:
        raise CoseError("COSE_Sign1 is an array of four items")
    protected, unprotected, payload, signature = item
    if not isinstance(protected, bytes) or not isinstance(unprotected, Mapping):
        raise CoseError("bad COSE_Sign1 headers")
    if not isinstance(payload, bytes) or not isinstance(signature, bytes):
        raise CoseError("COSE_Sign1 payload and signature are byte strings")
    if unprotected:
        raise CoseError("unprotected headers are not accepted")
    header = loads_strict(protected)
    if not isinstance(header, Mapping):
        raise CoseError("the protected header is a map")
    if HEADER_CRIT in header:
        raise CoseError("critical headers are not supported")
    alg = header.get(HEADER_ALG)
    if type(alg) is not int or alg != ALG_EDDSA:
        raise CoseError("the algorithm must be EdDSA (-8)")
    kid = header.get(HEADER_KID)
    if not isinstance(kid, bytes) or not kid:
        raise CoseError("the protected header needs a kid")
    if set(header) - {HEADER_ALG, HEADER_KID}:
        raise CoseError("unknown protected header parameters")
    if len(signature) != 64:
        raise CoseError("an Ed25519 signature has 64 bytes")
    return Sign1(protected=protected, kid=kid, payload=payload, signature=signature)
