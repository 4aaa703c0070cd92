"""Signed notes and checkpoints (signed tree heads): Go's published note, then our logs."""

import base64
import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from truongso.credentials.rules.merkle import MerkleLog, verify_consistency
from truongso.credentials.rules.signed_note import (
    Checkpoint,
    NoteError,
    NoteVerifier,
    open_note,
    sign_checkpoint,
    sign_note,
    verify_checkpoint,
)
from truongso.credentials.rules.signer import Ed25519Signer
from truongso.credentials.rules.verification import Outcome

from .helpers import fuzz, read_json, school_signer

VECTOR = read_json("signed-note/go-note-vectors.json")
ORIGIN = "truongso.example/register/79"


def peter_signer() -> Ed25519Signer:
    _, _, name, key_hash, encoded = VECTOR["signerKey"].split("+", 4)
    raw = base64.b64decode(encoded)
    assert (name, key_hash, raw[0], len(raw)) == ("PeterNeumann", "c74f20a3", 1, 33)
    return Ed25519Signer(raw[1:], name)


def test_verifier_key_of_the_go_vector():
    signer = peter_signer()
    verifier = NoteVerifier("PeterNeumann", signer.public_key)
    assert verifier.key_hash.hex() == "c74f20a3"
    assert verifier.encode() == VECTOR["verifierKey"]
    assert NoteVerifier.parse(VECTOR["verifierKey"]) == verifier


def test_sign_reproduces_the_go_signed_note_byte_for_byte():
    assert sign_note(VECTOR["text"], "PeterNeumann", peter_signer()) == VECTOR["signedNote"]


def test_open_the_go_note():
    peter = NoteVerifier.parse(VECTOR["verifierKey"])
    enoch = NoteVerifier.parse(VECTOR["otherVerifierKey"])
    result = open_note(VECTOR["signedNote"], [peter])
    assert (result.outcome, result.key_id, result.payload) == (
        Outcome.VALID,
        "PeterNeumann",
        VECTOR["text"],
    )
    both = VECTOR["signedNote"] + VECTOR["otherSignatureLine"]
    assert open_note(both, [peter]).ok  # Enoch's signature is ignored: unknown key
    assert open_note(both, [peter, enoch]).ok  # and valid when known
    result = open_note(VECTOR["signedNote"], [enoch])
    assert (result.outcome, result.reason) == (Outcome.UNKNOWN_KEY, "no_known_signature")


def test_changed_text_or_signature_is_altered():
    peter = NoteVerifier.parse(VECTOR["verifierKey"])
    note = VECTOR["signedNote"]
    result = open_note(note.replace("cryptography", "cryptographx"), [peter])
    assert (result.outcome, result.reason) == (Outcome.ALTERED, "signature_mismatch")
    line_start = note.index("\u2014")
    signature_at = line_start + len("\u2014 PeterNeumann ") + 10
    changed = (
        note[:signature_at] + ("A" if note[signature_at] != "A" else "B") + note[signature_at + 1 :]
    )
    assert open_note(changed, [peter]).outcome is Outcome.ALTERED


@pytest.mark.parametrize(
    "note",
    [
        VECTOR["text"],
        VECTOR["text"] + "\n",
        VECTOR["signedNote"][:-1],
        "\x01" + VECTOR["signedNote"],
        VECTOR["text"] + "\n" + "\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInN=\n",
        VECTOR["signedNote"] + "Unexpected line.\n",
        None,
    ],
)
def test_malformed_notes(note):
    peter = NoteVerifier.parse(VECTOR["verifierKey"])
    assert open_note(note, [peter]).outcome is Outcome.MALFORMED


@pytest.mark.parametrize(
    "key",
    [
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3",
        "",
    ],
)
def test_bad_verifier_keys(key):
    with pytest.raises(NoteError):
        NoteVerifier.parse(key)


def test_checkpoint_text_format():
    checkpoint = Checkpoint(ORIGIN, 12, bytes(range(32)))
    assert checkpoint.text() == (f"{ORIGIN}\n12\n{base64.b64encode(bytes(range(32))).decode()}\n")
    assert Checkpoint.parse(checkpoint.text()) == checkpoint
    with_time = Checkpoint(ORIGIN, 12, bytes(32), ("time 2025-07-01T00:00:00Z",))
    assert Checkpoint.parse(with_time.text()) == with_time


def test_signed_tree_heads_and_an_auditor_checking_growth():
    signer = school_signer(key_id=ORIGIN)
    verifier = NoteVerifier(ORIGIN, signer.public_key)
    log = MerkleLog()
    for i in range(10):
        log.append(f"issue diploma {i}".encode())
    first = sign_checkpoint(Checkpoint(ORIGIN, log.size, log.root()), signer)
    for i in range(10, 25):
        log.append(f"issue diploma {i}".encode())
    log.append(b"revoke diploma 3")
    second = sign_checkpoint(Checkpoint(ORIGIN, log.size, log.root()), signer)

    old = verify_checkpoint(first, [verifier], origin=ORIGIN).payload
    new = verify_checkpoint(second, [verifier], origin=ORIGIN).payload
    assert (old.size, new.size) == (10, 26)
    proof = log.consistency_proof(old.size, new.size)
    assert verify_consistency(old.size, new.size, old.root, new.root, proof)


def test_checkpoint_refusals():
    signer = school_signer(key_id=ORIGIN)
    verifier = NoteVerifier(ORIGIN, signer.public_key)
    signed = sign_checkpoint(Checkpoint(ORIGIN, 3, bytes(32)), signer)
    other_origin = verify_checkpoint(signed, [verifier], origin="truongso.example/register/01")
    assert (other_origin.outcome, other_origin.reason) == (Outcome.UNKNOWN_KEY, "other_origin")
    changed = signed.replace("\n3\n", "\n4\n", 1)
    assert verify_checkpoint(changed, [verifier], origin=ORIGIN).outcome is Outcome.ALTERED
    not_a_checkpoint = sign_note("hello\n", ORIGIN, signer)
    assert verify_checkpoint(not_a_checkpoint, [verifier], origin=ORIGIN).reason == "checkpoint"
    with pytest.raises(NoteError):
        sign_note("no final newline", ORIGIN, signer)
    with pytest.raises(NoteError):
        sign_note("a\n\nb\n", ORIGIN, signer)
    with pytest.raises(NoteError):
        sign_note("a\n", "bad name", signer)


@fuzz
@given(st.text(max_size=300))
def test_random_notes_never_raise(note):
    verifier = NoteVerifier.parse(VECTOR["verifierKey"])
    assert verify_checkpoint(note, [verifier], origin=ORIGIN).outcome is not Outcome.VALID


@fuzz
@given(st.text(max_size=80))
def test_random_verifier_keys_raise_only_note_error(text):
    with contextlib.suppress(NoteError):
        NoteVerifier.parse(text)
