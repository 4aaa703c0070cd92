"""Signed tree heads as C2SP checkpoints in the signed-note format.

A checkpoint (C2SP tlog-checkpoint) is a note whose text is::

    <origin>\n<tree size, decimal>\n<root hash, standard base64>\n[extension lines\n]

A signed note (C2SP signed-note, the Go checksum database format) is the text, an
empty line, then one line per signature::

    — <key name> <base64(key hash (4 bytes) || Ed25519 signature (64 bytes))>\n

The Ed25519 signature covers the note text exactly (with its final newline). The key
hash is the first four bytes of SHA-256(key name || "\n" || 0x01 || public key), and a
verifier key is written ``<name>+<key hash, 8 hex digits>+<base64(0x01 || public key)>``.
Anyone with the log's verifier key can check a checkpoint; auditors compare checkpoints
with consistency proofs (``merkle.verify_consistency``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from . import verification as v
from .keyring import ed25519_verify
from .signer import Signer

ALG_ED25519 = 0x01
SIG_PREFIX = "\u2014 "
MAX_NOTE_BYTES = 1_000_000
MAX_SIGNATURES = 100


class NoteError(ValueError):
    """Text that cannot become a signed note."""


def _check_name(name: str) -> None:
    if not name or any(ch.isspace() or ch == "+" for ch in name):
        raise NoteError("a key name is non-empty, without spaces or '+'")


def key_hash(name: str, public_key: bytes) -> bytes:
    """The 4-byte key hash: SHA-256(name || "\\n" || 0x01 || public key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + bytes([ALG_ED25519]) + public_key).digest()[:4]


@dataclass(frozen=True)
class NoteVerifier:
    """A log's public key under its name."""

    name: str
    public_key: bytes

    @property
    def key_hash(self) -> bytes:
        return key_hash(self.name, self.public_key)

    def encode(self) -> str:
        """``name+hash+base64(0x01||key)``, the form a log publishes."""
        raw = base64.b64encode(bytes([ALG_ED25519]) + self.public_key).decode()
        return f"{self.name}+{self.key_hash.hex()}+{raw}"

    @classmethod
    def parse(cls, text: str) -> NoteVerifier:
        name, _, rest = text.partition("+")
        hash_hex, _, key_b64 = rest.partition("+")
        try:
            _check_name(name)
            raw = base64.b64decode(key_b64, validate=True)
            expected = bytes.fromhex(hash_hex)
        except (NoteError, binascii.Error, ValueError):
            raise NoteError("not a verifier key") from None
        if len(raw) != 33 or raw[0] != ALG_ED25519 or len(hash_hex) != 8:
            raise NoteError("not an Ed25519 verifier key")
        verifier = cls(name, raw[1:])
        if verifier.key_hash != expected:
            raise NoteError("the key hash does not match the key")
        return verifier


def _check_text(text: str) -> None:
    if not text.endswith("\n") or "\n\n" in text:
        raise NoteError("note text ends with a newline and has no empty line")
    if any((ord(ch) < 0x20 and ch != "\n") or ord(ch) == 0x7F for ch in text):
        raise NoteError("note text has no control characters")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise NoteError("note text is not valid UTF-8") from None


def sign_note(text: str, name: str, signer: Signer) -> str:
    """The signed note: text, empty line, one signature line."""
    _check_name(name)
    _check_text(text)
    digest = key_hash(name, signer.public_key)
    signature = signer.sign(text.encode("utf-8"))
    return f"{text}\n{SIG_PREFIX}{name} {base64.b64encode(digest + signature).decode()}\n"


def open_note(note: object, verifiers: Sequence[NoteVerifier]) -> v.Verification:
    """Verify a signed note. ``payload`` is the text on success. Never raises.

    Signatures by keys not in ``verifiers`` are ignored; at least one signature must come
    from a known key, and every signature from a known key must be valid.
    """
    if not isinstance(note, str) or len(note) > MAX_NOTE_BYTES:
        return v.malformed("not_text")
    text, sep, signatures = note.rpartition("\n\n")
    if not sep or not signatures.endswith("\n"):
        return v.malformed("no_signatures")
    text += "\n"
    try:
        _check_text(text)
    except NoteError:
        return v.malformed("text")
    lines = signatures[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        return v.malformed("too_many_signatures")
    known = {(ver.name, ver.key_hash): ver for ver in verifiers}
    verified = None
    for line in lines:
        if not line.startswith(SIG_PREFIX):
            return v.malformed("signature_line")
        name, space, encoded = line[len(SIG_PREFIX) :].partition(" ")
        if not space or not name or " " in encoded or "+" in name:
            return v.malformed("signature_line")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            return v.malformed("signature_line")
        if len(raw) < 5:
            return v.malformed("signature_line")
        verifier = known.get((name, raw[:4]))
        if verifier is None:
            continue
        if len(raw) != 68 or not ed25519_verify(verifier.public_key, raw[4:], text.encode("utf-8")):
            return v.altered("signature_mismatch", key_id=name)
        verified = verifier
    if verified is None:
        return v.unknown_key("no_known_signature")
    return v.valid(key_id=verified.name, payload=text)


@dataclass(frozen=True)
class Checkpoint:
    """A signed tree head: the log's origin, its size and root hash."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def text(self) -> str:
        if not self.origin or "\n" in self.origin or len(self.root) != 32 or self.size < 0:
            raise NoteError("bad checkpoint")
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode()]
        lines.extend(self.extensions)
        return "\n".join(lines) + "\n"

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        lines = text.split("\n")
        if len(lines) < 4 or lines[-1] != "" or not lines[0]:
            raise NoteError("not a checkpoint")
        origin, size_text, root_text, *extensions = lines[:-1]
        if not size_text.isascii() or not size_text.isdigit() or len(size_text) > 19:
            raise NoteError("bad tree size")
        if size_text != str(int(size_text)):
            raise NoteError("bad tree size")
        try:
            root = base64.b64decode(root_text, validate=True)
        except (binascii.Error, ValueError):
            raise NoteError("bad root hash") from None
        if len(root) != 32:
            raise NoteError("bad root hash")
        return cls(origin, int(size_text), root, tuple(extensions))


def sign_checkpoint(checkpoint: Checkpoint, signer: Signer, name: str | None = None) -> str:
    """A signed checkpoint; the key name defaults to the origin."""
    return sign_note(checkpoint.text(), name or checkpoint.origin, signer)


def verify_checkpoint(
    note: object, verifiers: Sequence[NoteVerifier], *, origin: str
) -> v.Verification:
    """Verify a signed checkpoint for ``origin``; ``payload`` is the Checkpoint. Never raises."""
    result = open_note(note, verifiers)
    if not result.ok:
        return result
    try:
        checkpoint = Checkpoint.parse(result.payload)
    except NoteError:
        return v.malformed("checkpoint")
    if checkpoint.origin != origin:
        return v.unknown_key("other_origin", key_id=result.key_id)
    return v.valid(key_id=result.key_id, payload=checkpoint)
