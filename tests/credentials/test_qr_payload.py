"""The signed QR payload: COSE_Sign1 structure (published example), round trip, tampering."""

import hashlib
import zlib
from datetime import UTC, date, datetime

import base45
import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric.ed448 import Ed448PublicKey
from hypothesis import given
from hypothesis import strategies as st

from truongso.credentials.rules import cose
from truongso.credentials.rules.keyring import short_kid
from truongso.credentials.rules.qr_payload import (
    PREFIX,
    CredentialKind,
    QrClaims,
    QrError,
    credential_hash,
    encode_qr,
    from_cbor_map,
    verify_qr,
)
from truongso.credentials.rules.verification import Outcome

from .helpers import ISSUER, KEY_ID, SIGNED_AT, fuzz, read_json, school_ring, school_signer


def test_sig_structure_matches_the_cose_wg_example():
    vector = read_json("cose/eddsa-sig-02.json")
    protected = bytes.fromhex("A10127")  # {1: -8}
    payload = vector["input"]["plaintext"].encode()
    expected = bytes.fromhex(vector["intermediates"]["ToBeSign_hex"])
    assert cose.sig_structure(protected, payload) == expected


def test_cose_wg_example_parses_and_its_ed448_signature_verifies():
    vector = read_json("cose/eddsa-sig-02.json")
    message = bytes.fromhex(vector["output"]["cbor"])
    item = cbor2.loads(message)
    assert item.tag == 18
    protected, unprotected, payload, signature = item.value
    assert protected == bytes.fromhex("A10127")
    assert dict(unprotected) == {4: b"3d448"}
    assert payload == b"This is the content."
    to_be_signed = cose.sig_structure(protected, payload)
    key = Ed448PublicKey.from_public_bytes(bytes.fromhex(vector["input"]["sign0"]["key"]["x_hex"]))
    key.verify(signature, to_be_signed)  # raises if our Sig_structure were wrong
    # Our profile is stricter: kid must be protected, the signature Ed25519-sized.
    with pytest.raises(cose.CoseError):
        cose.parse_sign1(message)


def test_our_sign1_layout():
    signer = school_signer()
    kid = short_kid(signer.public_key)
    message = cose.sign1(b"\xa0", signer, kid)
    item = cbor2.loads(message)
    assert item.tag == 18
    protected, unprotected, payload, signature = item.value
    assert protected == bytes.fromhex("a2012704") + b"\x48" + kid  # {1: -8, 4: h'kid'}
    assert dict(unprotected) == {}
    assert payload == b"\xa0"
    parsed = cose.parse_sign1(message)
    assert parsed.kid == kid
    assert parsed.to_be_signed == cbor2.dumps(["Signature1", protected, b"", b"\xa0"])


def diploma_claims(**changes) -> QrClaims:
    values = {
        "issuer": ISSUER,
        "credential_id": "urn:uuid:00000000-0000-4000-8000-000000000001",
        "kind": CredentialKind.DIPLOMA,
        "holder_name": "Nguyễn Văn An",
        "issue_date": date(2025, 7, 1),
        "title": "Bằng tốt nghiệp trung học phổ thông",
        "signed_at": SIGNED_AT,
        "date_of_birth": date(2007, 5, 12),
        "diploma_number": "HN25000123426",
        "register_number": "0123/2025",
        "classification": "Khá",
        "credential_hash": bytes(range(32)),
    }
    values.update(changes)
    return QrClaims(**values)


def test_claims_map_uses_the_documented_keys():
    assert diploma_claims().to_cbor_map() == {
        1: ISSUER,
        2: "urn:uuid:00000000-0000-4000-8000-000000000001",
        3: 1,
        4: "Nguyễn Văn An",
        5: "2007-05-12",
        6: "2025-07-01",
        7: "Bằng tốt nghiệp trung học phổ thông",
        8: "HN25000123426",
        9: "0123/2025",
        10: "Khá",
        11: bytes(range(32)),
        12: 1751356800,
    }


def test_round_trip():
    text = encode_qr(diploma_claims(), school_signer())
    assert text.startswith(PREFIX)
    assert set(text[len(PREFIX) :]) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
    result = verify_qr(text, school_ring())
    assert (result.outcome, result.key_id) == (Outcome.VALID, KEY_ID)
    assert result.payload == diploma_claims()


def test_minimal_claims_round_trip():
    claims = QrClaims(
        issuer=ISSUER,
        credential_id="urn:uuid:1",
        kind=CredentialKind.REPORT_CARD,
        holder_name="Lê Thị Bình",
        issue_date=date(2025, 5, 31),
        title="Học bạ",
        signed_at=datetime(2025, 5, 31, tzinfo=UTC),
    )
    result = verify_qr(encode_qr(claims, school_signer()), school_ring())
    assert result.ok and result.payload == claims


def test_unknown_key_and_wrong_issuer():
    text = encode_qr(diploma_claims(), school_signer())
    other = school_signer(seed_byte=2, key_id="did:web:other.example#key-1")
    result = verify_qr(text, school_ring((other, "did:web:other.example")))
    assert (result.outcome, result.reason) == (Outcome.UNKNOWN_KEY, "key_not_trusted")
    # The right key, but registered to another institution than the QR claims.
    result = verify_qr(text, school_ring((school_signer(), "did:web:other.example")))
    assert (result.outcome, result.reason) == (Outcome.UNKNOWN_KEY, "key_not_for_issuer")


def test_key_window_uses_the_signing_time():
    text = encode_qr(diploma_claims(), school_signer())
    assert verify_qr(text, school_ring(valid_from=datetime(2025, 1, 1, tzinfo=UTC))).ok
    late = verify_qr(text, school_ring(revoked_from=datetime(2025, 6, 1, tzinfo=UTC)))
    assert (late.outcome, late.reason) == (Outcome.UNKNOWN_KEY, "key_not_valid_at_signing_time")


def _cose_of(text: str) -> bytes:
    return zlib.decompress(base45.b45decode(text[len(PREFIX) :]))


def _qr_of(message: bytes) -> str:
    return PREFIX + base45.b45encode(zlib.compress(message, 9)).decode()


def test_every_flipped_byte_of_the_signed_message():
    text = encode_qr(diploma_claims(), school_signer())
    message = _cose_of(text)
    parsed = cose.parse_sign1(message)
    payload_at = message.index(parsed.payload)
    signature_at = message.index(parsed.signature)
    for position in range(len(message)):
        flipped = bytearray(message)
        flipped[position] ^= 0x01
        result = verify_qr(_qr_of(bytes(flipped)), school_ring())
        assert result.outcome is not Outcome.VALID, position
        in_payload = payload_at <= position < payload_at + len(parsed.payload)
        in_signature = signature_at <= position < signature_at + 64
        if in_payload or in_signature:
            assert result.outcome is Outcome.ALTERED, position


def test_every_changed_character_of_the_qr_text_is_refused():
    text = encode_qr(diploma_claims(), school_signer())
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
    for position in range(len(text)):
        replacement = alphabet[(alphabet.find(text[position]) + 1) % len(alphabet)]
        changed = text[:position] + replacement + text[position + 1 :]
        result = verify_qr(changed, school_ring())
        assert result.outcome is not Outcome.VALID, position


def test_signed_garbage_claims_are_malformed():
    signer = school_signer()
    payload = cbor2.dumps({1: ISSUER, 99: "extra"})
    text = _qr_of(cose.sign1(payload, signer, short_kid(signer.public_key)))
    assert verify_qr(text, school_ring()).reason == "claims"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "prefix"),
        ("HC1:ABC", "prefix"),
        ("VN1:", "cose"),
        ("VN1:abc", "base45"),
        ("VN1:" + "A" * 5000, "prefix"),
        ("VN1:" + base45.b45encode(b"not zlib").decode(), "cose"),
        ("VN1:" + base45.b45encode(zlib.compress(b"\xff")).decode(), "cose"),
        ("VN1:" + base45.b45encode(zlib.compress(bytes(20_000))).decode(), "cose"),
    ],
)
def test_malformed_texts(text, reason):
    result = verify_qr(text, school_ring())
    assert (result.outcome, result.reason) == (Outcome.MALFORMED, reason)


def test_refused_cose_variants():
    signer = school_signer()
    kid = short_kid(signer.public_key)
    payload = cbor2.dumps(diploma_claims().to_cbor_map(), canonical=True)

    def signed(protected_map, unprotected=None, tag=18):
        protected = cbor2.dumps(protected_map)
        signature = signer.sign(cose.sig_structure(protected, payload))
        body = [protected, unprotected or {}, payload, signature]
        return _qr_of(cbor2.dumps(cbor2.CBORTag(tag, body) if tag else body))

    assert verify_qr(signed({1: -8, 4: kid}), school_ring()).ok
    assert verify_qr(signed({1: -8, 4: kid}, tag=None), school_ring()).ok  # untagged
    assert verify_qr(signed({1: -7, 4: kid}), school_ring()).reason == "cose"  # ES256
    assert verify_qr(signed({1: -8.0, 4: kid}), school_ring()).reason == "cose"
    assert verify_qr(signed({1: -8}), school_ring()).reason == "cose"  # no kid
    assert verify_qr(signed({1: -8, 4: kid, 2: [99]}), school_ring()).reason == "cose"
    assert verify_qr(signed({1: -8, 4: kid}, {4: kid}), school_ring()).reason == "cose"
    assert verify_qr(signed({1: -8, 4: kid}, tag=98), school_ring()).reason == "cose"


def test_claims_validation():
    with pytest.raises(QrError):
        diploma_claims(holder_name="").to_cbor_map()
    with pytest.raises(QrError):
        diploma_claims(credential_hash=b"short").to_cbor_map()
    with pytest.raises(QrError):
        diploma_claims(signed_at=datetime(2025, 7, 1)).to_cbor_map()
    with pytest.raises(QrError):
        from_cbor_map({**diploma_claims().to_cbor_map(), 6: "2025-02-30"})
    with pytest.raises(QrError):
        from_cbor_map({**diploma_claims().to_cbor_map(), 3: 7})
    with pytest.raises(QrError):
        from_cbor_map({**diploma_claims().to_cbor_map(), "1": "x"})


def test_credential_hash_is_over_the_canonical_form():
    expected = hashlib.sha256(b'{"a":[1,2],"b":1}').digest()
    assert credential_hash({"b": 1, "a": [1, 2]}) == expected


@fuzz
@given(st.text(max_size=400))
def test_random_text_never_raises(text):
    assert verify_qr(text, school_ring()).outcome is not Outcome.VALID


@fuzz
@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:", max_size=400))
def test_random_base45_never_raises(body):
    assert verify_qr(PREFIX + body, school_ring()).outcome is Outcome.MALFORMED


@fuzz
@given(st.binary(max_size=400))
def test_random_compressed_bytes_never_raise(data):
    assert verify_qr(_qr_of(data), school_ring()).outcome is Outcome.MALFORMED


cbor_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=10)
    | st.binary(max_size=10),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.integers(-5, 15) | st.text(max_size=3), children, max_size=4)
    ),
    max_leaves=16,
)


@fuzz
@given(cbor_values)
def test_random_cbor_structures_never_raise(value):
    assert verify_qr(_qr_of(cbor2.dumps(value)), school_ring()).outcome is Outcome.MALFORMED


@fuzz
@given(cbor_values)
def test_random_signed_claims_are_refused(value):
    signer = school_signer()
    payload = cbor2.dumps(value)
    text = _qr_of(cose.sign1(payload, signer, short_kid(signer.public_key)))
    result = verify_qr(text, school_ring())
    assert (result.outcome, result.reason) == (Outcome.MALFORMED, "claims")
