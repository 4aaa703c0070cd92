"""eddsa-jcs-2022 Data Integrity proofs: W3C vectors byte for byte, then tampering."""

import copy
import hashlib
import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from truongso.credentials.rules import data_integrity as di
from truongso.credentials.rules.keyring import KeyRing, TrustedKey
from truongso.credentials.rules.multikey import (
    decode_private_key,
    decode_public_key,
    did_key_verification_method,
)
from truongso.credentials.rules.signer import Ed25519Signer
from truongso.credentials.rules.verification import Outcome

from .helpers import ISSUER, KEY_ID, fuzz, read_json, read_text, school_ring, school_signer

W3C_CREATED = datetime(2023, 2, 24, 23, 36, 38, tzinfo=UTC)
W3C_ISSUER = "https://vc.example/issuers/5678"
W3C_HTTPS_METHOD = f"{W3C_ISSUER}#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"


def w3c_keys():
    pair = read_json("eddsa-jcs-2022/keyPair.json")
    return decode_private_key(pair["privateKeyMultibase"]), decode_public_key(
        pair["publicKeyMultibase"]
    )


def w3c_unsigned():
    """The unsigned Alumni credential: the generation B signed credential without proof."""
    signed = read_json("eddsa-jcs-2022/signedJCS.json")
    return {k: v for k, v in signed.items() if k != "proof"}


def test_canonical_document_and_its_hash_match_the_vector():
    canonical = di.canonicalize(w3c_unsigned())
    assert canonical == read_text("eddsa-jcs-2022/canonDocJCS.txt").encode("utf-8")
    assert hashlib.sha256(canonical).hexdigest() == read_text("eddsa-jcs-2022/docHashJCS.txt")


def test_generation_a_did_key_vector_byte_for_byte():
    seed, public = w3c_keys()
    method = did_key_verification_method(public)
    signer = Ed25519Signer(seed, method)
    unsigned = w3c_unsigned()
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "created": "2023-02-24T23:36:38Z",
        "verificationMethod": method,
        "proofPurpose": "assertionMethod",
    }
    config = di.proof_configuration(unsigned, options)
    canonical_config = di.canonicalize(config)
    assert canonical_config == read_text("eddsa-jcs-2022/proofCanonJCS.txt").encode()
    assert hashlib.sha256(canonical_config).hexdigest() == read_text(
        "eddsa-jcs-2022/proofHashJCS.txt"
    )
    data = di.hash_data(unsigned, config)
    assert data.hex() == read_text("eddsa-jcs-2022/combinedHashJCS.txt")

    expected = read_json("eddsa-jcs-2022/recommendationSignature.json")
    assert signer.sign(data).hex() == expected["signatureHex"]
    signed = di.create_proof(unsigned, signer, created=W3C_CREATED)
    assert signed["proof"]["proofValue"] == expected["proofValue"]
    assert signed["proof"]["verificationMethod"] == expected["verificationMethod"]
    trusted = TrustedKey.from_did_key(method)
    assert (trusted.public_key, trusted.controller) == (public, method.partition("#")[0])
    assert di.verify_proof(signed, KeyRing([trusted])).outcome is Outcome.VALID


def test_generation_b_https_vector_byte_for_byte():
    seed, public = w3c_keys()
    signer = Ed25519Signer(seed, W3C_HTTPS_METHOD)
    signed = di.create_proof(w3c_unsigned(), signer, created=W3C_CREATED)
    published = read_json("eddsa-jcs-2022/signedJCS.json")
    assert signed == published
    config = read_json("eddsa-jcs-2022/proofConfigJCS.json")
    data = di.hash_data(w3c_unsigned(), config)
    assert signer.sign(data).hex() == read_text("eddsa-jcs-2022/sigHexJCS.txt")

    ring = KeyRing([TrustedKey(W3C_HTTPS_METHOD, public, controller=W3C_ISSUER)])
    result = di.verify_credential(published, ring)
    assert result.outcome is Outcome.VALID
    assert result.key_id == W3C_HTTPS_METHOD


def test_published_credential_with_a_changed_name_is_altered():
    _, public = w3c_keys()
    ring = KeyRing([TrustedKey(W3C_HTTPS_METHOD, public, controller=W3C_ISSUER)])
    tampered = read_json("eddsa-jcs-2022/signedJCS.json")
    tampered["credentialSubject"]["alumniOf"] = "The School of Forgeries"
    result = di.verify_credential(tampered, ring)
    assert (result.outcome, result.reason) == (Outcome.ALTERED, "signature_mismatch")


# --- our own credentials -------------------------------------------------------------


def diploma_like():
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:00000000-0000-4000-8000-000000000001",
        "type": ["VerifiableCredential"],
        "issuer": {"id": ISSUER, "name": "Trường THPT Nguyễn Du"},
        "validFrom": "2025-07-01T08:00:00Z",
        "credentialSubject": {"name": "Nguyễn Văn An", "diplomaNumber": "HN25000123426"},
    }


def signed_diploma():
    return di.create_proof(
        diploma_like(), school_signer(), created=datetime(2025, 7, 1, 8, 0, tzinfo=UTC)
    )


def test_round_trip_with_did_web_key():
    signed = signed_diploma()
    assert signed["proof"]["verificationMethod"] == KEY_ID
    assert signed["proof"]["created"] == "2025-07-01T08:00:00Z"
    assert signed["proof"]["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    result = di.verify_credential(signed, school_ring())
    assert (result.outcome, result.key_id) == (Outcome.VALID, KEY_ID)


def test_unknown_key():
    other = school_signer(seed_byte=2, key_id=f"{ISSUER}#key-2024")
    ring = school_ring((other, ISSUER))  # the ring does not know the signing key
    result = di.verify_credential(signed_diploma(), ring)
    assert (result.outcome, result.reason) == (Outcome.UNKNOWN_KEY, "key_not_trusted")
    assert di.verify_credential(signed_diploma(), KeyRing()).outcome is Outcome.UNKNOWN_KEY


def test_key_of_another_school_cannot_sign_for_this_school():
    other = school_signer(seed_byte=2, key_id="did:web:other.example#key-1")
    signed = di.create_proof(diploma_like(), other, created=datetime(2025, 7, 1, tzinfo=UTC))
    ring = school_ring((school_signer(), ISSUER), (other, "did:web:other.example"))
    assert di.verify_proof(signed, ring).outcome is Outcome.VALID  # the proof itself is fine
    result = di.verify_credential(signed, ring)
    assert (result.outcome, result.reason) == (Outcome.UNKNOWN_KEY, "key_not_for_issuer")


def test_key_validity_window_and_revocation():
    signed = signed_diploma()  # created 2025-07-01T08:00Z
    june = datetime(2025, 6, 1, tzinfo=UTC)
    july2 = datetime(2025, 7, 2, tzinfo=UTC)
    assert di.verify_credential(signed, school_ring(valid_from=june)).ok
    late = di.verify_credential(signed, school_ring(valid_from=july2))
    assert (late.outcome, late.reason) == (Outcome.UNKNOWN_KEY, "key_not_valid_at_signing_time")
    assert not di.verify_credential(signed, school_ring(valid_until=june)).ok
    assert di.verify_credential(signed, school_ring(revoked_from=july2)).ok  # signed before
    assert not di.verify_credential(signed, school_ring(revoked_from=june)).ok


def test_key_windows_must_be_aware():
    with pytest.raises(ValueError):
        school_ring(valid_from=datetime(2025, 1, 1))


def test_signature_made_by_another_key_under_our_key_id_is_altered():
    impostor = school_signer(seed_byte=9, key_id=KEY_ID)
    signed = di.create_proof(diploma_like(), impostor, created=datetime(2025, 7, 1, tzinfo=UTC))
    result = di.verify_credential(signed, school_ring())
    assert (result.outcome, result.reason) == (Outcome.ALTERED, "signature_mismatch")


@pytest.mark.parametrize(
    ("path", "value", "outcome"),
    [
        (("credentialSubject", "name"), "Nguyễn Văn Ân", Outcome.ALTERED),
        (("validFrom",), "2024-07-01T08:00:00Z", Outcome.ALTERED),
        (("proof", "created"), "2025-07-01T08:00:01Z", Outcome.ALTERED),
        (
            ("@context",),
            ["https://www.w3.org/ns/credentials/v2", "https://x.example"],
            Outcome.ALTERED,
        ),
        (("proof", "@context"), ["https://x.example"], Outcome.ALTERED),
        (("proof", "verificationMethod"), f"{ISSUER}#key-2024", Outcome.UNKNOWN_KEY),
        (("proof", "cryptosuite"), "eddsa-rdfc-2022", Outcome.MALFORMED),
        (("proof", "proofPurpose"), "authentication", Outcome.MALFORMED),
        (("proof", "type"), "Ed25519Signature2020", Outcome.MALFORMED),
        (("proof", "proofValue"), "z3FXQ", Outcome.MALFORMED),
        (("proof", "proofValue"), "not base58 0OIl", Outcome.MALFORMED),
        (("proof", "created"), "yesterday", Outcome.MALFORMED),
        (("credentialSubject", "score"), 2**60, Outcome.MALFORMED),
    ],
)
def test_changes_to_a_signed_credential(path, value, outcome):
    signed = signed_diploma()
    target = signed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert di.verify_credential(signed, school_ring()).outcome is outcome


def test_removed_fields():
    signed = signed_diploma()
    del signed["credentialSubject"]["diplomaNumber"]
    assert di.verify_credential(signed, school_ring()).outcome is Outcome.ALTERED
    signed = signed_diploma()
    del signed["proof"]
    assert di.verify_credential(signed, school_ring()).reason == "no_proof"
    signed = signed_diploma()
    signed["proof"] = [signed["proof"]]
    assert di.verify_credential(signed, school_ring()).reason == "proof_set_unsupported"


def test_every_flipped_byte_of_the_json_text_is_refused():
    text = json.dumps(signed_diploma(), ensure_ascii=False, separators=(",", ":"))
    raw = text.encode("utf-8")
    subject_start = raw.index(b'"credentialSubject"')
    subject_end = raw.index(b'"proof"')
    outcomes = {}
    for position in range(len(raw)):
        flipped = bytearray(raw)
        flipped[position] ^= 0x01
        result = di.verify_credential_json(bytes(flipped), school_ring())
        assert result.outcome is not Outcome.VALID, position
        outcomes[position] = result.outcome
    # Inside the credential subject every flip is either a change of content (altered)
    # or breaks the JSON (malformed); never anything else.
    assert {outcomes[p] for p in range(subject_start, subject_end)} == {
        Outcome.ALTERED,
        Outcome.MALFORMED,
    }
    name_at = raw.index("Nguyễn Văn An".encode())
    assert all(outcomes[p] is Outcome.ALTERED for p in range(name_at, name_at + 6))


def test_reformatted_json_still_verifies():
    # The signature covers the RFC 8785 form, not the bytes as sent.
    signed = signed_diploma()
    for text in (json.dumps(signed, indent=2), json.dumps(signed, ensure_ascii=True)):
        assert di.verify_credential_json(text, school_ring()).ok


def test_json_text_rules():
    ring = school_ring()
    good = json.dumps(signed_diploma())
    assert di.verify_credential_json(good, ring).ok
    assert di.verify_credential_json(good.encode(), ring).ok
    duplicated = good[:-1] + ', "id": "urn:uuid:other"}'
    assert di.verify_credential_json(duplicated, ring).reason == "not_json"
    assert di.verify_credential_json('{"a": NaN}', ring).reason == "not_json"
    assert di.verify_credential_json("[" * 100_000, ring).outcome is Outcome.MALFORMED
    assert di.verify_credential_json(b"\xff\xfe", ring).reason == "not_json"
    assert di.verify_credential_json(None, ring).reason == "not_text"
    assert di.verify_credential_json('"\ud800"', ring).outcome is Outcome.MALFORMED


def test_create_proof_refuses_naive_times_and_existing_proofs():
    with pytest.raises(ValueError):
        di.create_proof(diploma_like(), school_signer(), created=datetime(2025, 7, 1))
    with pytest.raises(ValueError):
        di.create_proof(signed_diploma(), school_signer(), created=datetime.now(UTC))
    with pytest.raises(ValueError):
        di.create_proof(diploma_like(), school_signer(), created=datetime.now(UTC), colour="blue")


def test_extra_proof_options_are_signed():
    signed = di.create_proof(
        diploma_like(), school_signer(), created=datetime(2025, 7, 1, tzinfo=UTC), nonce="abc"
    )
    assert di.verify_credential(signed, school_ring()).ok
    signed["proof"]["nonce"] = "abd"
    assert di.verify_credential(signed, school_ring()).outcome is Outcome.ALTERED


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@fuzz
@given(json_values)
def test_random_documents_never_raise(document):
    result = di.verify_credential(document, school_ring())
    assert result.outcome is not Outcome.VALID


@fuzz
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "type",
                "cryptosuite",
                "proofPurpose",
                "verificationMethod",
                "created",
                "proofValue",
                "@context",
            ]
        ),
        json_values,
    )
)
def test_random_proofs_never_raise(proof):
    document = {**diploma_like(), "proof": proof}
    assert di.verify_credential(document, school_ring()).outcome is not Outcome.VALID


@fuzz
@given(st.binary(max_size=300) | st.text(max_size=300))
def test_random_text_never_raises(data):
    assert di.verify_credential_json(data, school_ring()).outcome is Outcome.MALFORMED


@fuzz
@given(st.integers(min_value=0), st.integers(min_value=0, max_value=255))
def test_random_single_byte_changes_never_validate(position, value):
    # Compact UTF-8 text: no insignificant whitespace and no \u escapes, so every byte is
    # content (a tab for a space, or \u1EC5 for \u1ec5, would be the same JSON).
    raw = bytearray(
        json.dumps(signed_diploma(), separators=(",", ":"), ensure_ascii=False).encode()
    )
    position %= len(raw)
    if raw[position] == value:
        return
    raw[position] = value
    assert di.verify_credential_json(bytes(raw), school_ring()).outcome is not Outcome.VALID


def test_deeply_nested_document_is_malformed_not_a_crash():
    nested: list = []
    for _ in range(5000):
        nested = [nested]
    document = {**diploma_like(), "credentialSubject": {"x": nested}}
    signed = {**document, "proof": copy.deepcopy(signed_diploma()["proof"])}
    assert di.verify_credential(signed, school_ring()).outcome is Outcome.MALFORMED
