"""W3C Bitstring Status List v1.0: revocation and suspension of credentials.

A status list is a bitstring of at least 131,072 bits (16 KiB), so that fetching it
says nothing about which credential is being checked. Bit ``i`` is the status of the
credential whose ``statusListIndex`` is ``i``; index 0 is the most significant
(left-most) bit of the first byte. 1 means revoked (purpose ``revocation``, final) or
suspended (purpose ``suspension``, reversible).

``encodedList`` = ``"u"`` + base64url without padding of the GZIP (RFC 1952) compressed
bitstring. We compress with level 6 and mtime 0, so the output is reproducible; an
empty list encodes exactly as the specification's example.

Only ``statusSize`` 1 is supported (the default); entries with another size are refused.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import secrets
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .data_integrity import format_datetime

MIN_BITS = 131_072
MAX_BITS = 1 << 26  # 8 MiB uncompressed: more than any school will ever need
REVOCATION = "revocation"
SUSPENSION = "suspension"
PURPOSES = (REVOCATION, SUSPENSION)
VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
_MAX_ENCODED = 12_000_000


class StatusListError(ValueError):
    """The encoded list or the status entry is not usable."""


class StatusList:
    """A mutable bitstring of ``size`` bits (a multiple of 8, at least 131,072)."""

    def __init__(self, size: int = MIN_BITS, *, data: bytes | None = None) -> None:
        if size < MIN_BITS or size % 8 or size > MAX_BITS:
            raise StatusListError(
                f"a status list has a multiple of 8 bits between {MIN_BITS} and {MAX_BITS}"
            )
        if data is not None and len(data) * 8 != size:
            raise StatusListError("the data does not match the size")
        self._bits = bytearray(data) if data is not None else bytearray(size // 8)

    @property
    def size(self) -> int:
        return len(self._bits) * 8

    def _check(self, index: int) -> None:
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < self.size:
            raise StatusListError(f"index {index!r} is outside the list of {self.size} bits")

    def get(self, index: int) -> bool:
        self._check(index)
        return bool(self._bits[index // 8] & (0x80 >> (index % 8)))

    def set(self, index: int, value: bool = True) -> None:
        self._check(index)
        mask = 0x80 >> (index % 8)
        if value:
            self._bits[index // 8] |= mask
        else:
            self._bits[index // 8] &= ~mask & 0xFF

    def count(self) -> int:
        """How many bits are set."""
        return sum(bin(byte).count("1") for byte in self._bits)

    def to_bytes(self) -> bytes:
        return bytes(self._bits)

    def encode(self) -> str:
        """The ``encodedList`` value: ``u`` + base64url(GZIP(bitstring)), no padding."""
        compressed = gzip.compress(bytes(self._bits), compresslevel=6, mtime=0)
        return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")

    @classmethod
    def decode(cls, encoded: Any) -> StatusList:
        """Parse an ``encodedList``; raise StatusListError if it is not a valid list."""
        if not isinstance(encoded, str) or not encoded.startswith("u"):
            raise StatusListError("encodedList must be multibase base64url ('u' prefix)")
        body = encoded[1:]
        if len(body) > _MAX_ENCODED or not body.isascii():
            raise StatusListError("encodedList is not base64url")
        try:
            compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        except (binascii.Error, ValueError):
            raise StatusListError("encodedList is not base64url") from None
        data = _gunzip_limited(compressed, MAX_BITS // 8)
        if len(data) * 8 < MIN_BITS:
            raise StatusListError(f"a status list has at least {MIN_BITS} bits")
        return cls(len(data) * 8, data=data)


def _gunzip_limited(compressed: bytes, limit: int) -> bytes:
    """GZIP-decompress at most ``limit`` bytes (a single member); refuse anything else."""
    decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        data = decompressor.decompress(compressed, limit + 1)
    except zlib.error:
        raise StatusListError("encodedList is not GZIP data") from None
    if len(data) > limit or decompressor.unconsumed_tail:
        raise StatusListError("the status list is too large")
    if not decompressor.eof or decompressor.unused_data:
        raise StatusListError("encodedList is not one complete GZIP member")
    return data


def random_free_index(
    is_taken: Callable[[int], bool],
    size: int = MIN_BITS,
    *,
    randbelow: Callable[[int], int] = secrets.randbelow,
    attempts: int = 64,
) -> int:
    """A random unused index, as the specification recommends (no order to infer).

    Raises StatusListError when ``attempts`` random picks are all taken: the list is
    nearly full and a new list should be started.
    """
    for _ in range(attempts):
        index = randbelow(size)
        if not is_taken(index):
            return index
    raise StatusListError("the status list is full; start a new list")


@dataclass(frozen=True)
class StatusEntry:
    """The ``credentialStatus`` of one credential in one list."""

    list_url: str
    index: int
    purpose: str = REVOCATION

    def __post_init__(self) -> None:
        if self.purpose not in PURPOSES:
            raise StatusListError(f"status purpose must be one of {PURPOSES}")
        if not 0 <= self.index < MAX_BITS:
            raise StatusListError("status index out of range")

    def as_json(self) -> dict[str, Any]:
        return {
            "id": f"{self.list_url}#{self.index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": self.purpose,
            "statusListIndex": str(self.index),
            "statusListCredential": self.list_url,
        }


def status_list_credential(
    *,
    list_url: str,
    issuer: str,
    purpose: str,
    status_list: StatusList,
    valid_from: datetime,
    valid_until: datetime | None = None,
) -> dict[str, Any]:
    """An unsigned BitstringStatusListCredential; sign it with ``data_integrity``."""
    if purpose not in PURPOSES:
        raise StatusListError(f"status purpose must be one of {PURPOSES}")
    credential: dict[str, Any] = {
        "@context": [VC_V2_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": format_datetime(valid_from),
    }
    if valid_until is not None:
        credential["validUntil"] = format_datetime(valid_until)
    credential["credentialSubject"] = {
        "id": f"{list_url}#list",
        "type": "BitstringStatusList",
        "statusPurpose": purpose,
        "encodedList": status_list.encode(),
    }
    return credential


@dataclass(frozen=True)
class StatusCheck:
    """The status of one entry: ``set`` is True when revoked/suspended."""

    purpose: str
    index: int
    set: bool


def check_status(entry: Any, list_credential: Any) -> StatusCheck:
    """Read an entry's bit from a (verified) status list credential.

    Checks that the entry names this list and purpose, and that the index is inside
    the list. Raises StatusListError with a short reason otherwise; never anything else.
    The caller verifies the list credential's proof and issuer first.
    """
    if not isinstance(entry, Mapping) or entry.get("type") != "BitstringStatusListEntry":
        raise StatusListError("not a BitstringStatusListEntry")
    size = entry.get("statusSize", 1)
    if size != 1 or isinstance(size, bool):
        raise StatusListError("only statusSize 1 is supported")
    purpose = entry.get("statusPurpose")
    index_text = entry.get("statusListIndex")
    if not isinstance(index_text, str) or not index_text.isascii() or not index_text.isdigit():
        raise StatusListError("statusListIndex must be a base-10 integer string")
    if len(index_text) > 9:
        raise StatusListError("statusListIndex is out of range")
    if not isinstance(list_credential, Mapping):
        raise StatusListError("not a status list credential")
    types = list_credential.get("type")
    if not isinstance(types, list) or "BitstringStatusListCredential" not in types:
        raise StatusListError("not a BitstringStatusListCredential")
    if entry.get("statusListCredential") != list_credential.get("id"):
        raise StatusListError("the entry points to another list")
    subject = list_credential.get("credentialSubject")
    if not isinstance(subject, Mapping) or subject.get("type") != "BitstringStatusList":
        raise StatusListError("not a BitstringStatusList")
    if subject.get("statusPurpose") != purpose:
        raise StatusListError("the list has another purpose")
    status_list = StatusList.decode(subject.get("encodedList"))
    index = int(index_text)
    if index >= status_list.size:
        raise StatusListError("statusListIndex is outside the list")
    return StatusCheck(purpose=purpose, index=index, set=status_list.get(index))
