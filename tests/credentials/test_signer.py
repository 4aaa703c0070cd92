"""Signing keys sealed at rest with a secret from the environment."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from truongso.credentials.rules.keyring import ed25519_verify
from truongso.credentials.rules.signer import (
    Ed25519Signer,
    SealedKeyError,
    SealedKeySigner,
    Signer,
    generate_sealed_key,
    reseal,
    seal_private_key,
    unseal_private_key,
)

from .helpers import KEY_ID, fuzz

SECRET = "a long secret from the environment"
FAST = 2**10  # scrypt cost for tests; the default is 2**15


def test_sealed_key_signs_and_never_contains_the_seed():
    seed = bytes(range(32))
    sealed = seal_private_key(seed, key_id=KEY_ID, secret=SECRET, scrypt_n=FAST)
    data = json.loads(sealed)
    assert sorted(data) == ["alg", "ct", "kdf", "kid", "nonce", "pub", "v"]
    assert data["kdf"] == {"n": FAST, "name": "scrypt", "p": 1, "r": 8, "salt": data["kdf"]["salt"]}
    assert seed.hex() not in sealed and seed not in sealed.encode()
    assert unseal_private_key(sealed, secret=SECRET) == (KEY_ID, seed)

    signer = SealedKeySigner(sealed, secret=SECRET)
    assert isinstance(signer, Signer)
    assert signer.key_id == KEY_ID
    assert signer.public_key == Ed25519Signer(seed, KEY_ID).public_key
    assert ed25519_verify(signer.public_key, signer.sign(b"message"), b"message")
    assert "seed" not in repr(signer) and seed.hex() not in repr(signer)


def test_two_sealings_differ_but_open_to_the_same_key():
    seed = bytes(32)
    first = seal_private_key(seed, key_id=KEY_ID, secret=SECRET, scrypt_n=FAST)
    second = seal_private_key(seed, key_id=KEY_ID, secret=SECRET, scrypt_n=FAST)
    assert first != second
    assert unseal_private_key(first, secret=SECRET) == unseal_private_key(second, secret=SECRET)


def test_wrong_secret_or_tampering_is_refused():
    generated = generate_sealed_key(key_id=KEY_ID, secret=SECRET, scrypt_n=FAST)
    with pytest.raises(SealedKeyError):
        unseal_private_key(generated.sealed, secret=SECRET + "!")
    data = json.loads(generated.sealed)
    for field, value in [("kid", "did:web:other#key"), ("pub", data["nonce"] * 3)]:
        with pytest.raises(SealedKeyError):
            unseal_private_key(json.dumps({**data, field: value}), secret=SECRET)
    flipped = data["ct"][:-2] + ("A" if data["ct"][-2] != "A" else "B") + data["ct"][-1]
    with pytest.raises(SealedKeyError):
        unseal_private_key(json.dumps({**data, "ct": flipped}), secret=SECRET)
    with pytest.raises(SealedKeyError):
        unseal_private_key(json.dumps({**data, "kdf": {**data["kdf"], "n": 2**30}}), secret=SECRET)
    with pytest.raises(SealedKeyError):
        unseal_private_key(json.dumps({**data, "kdf": {**data["kdf"], "r": 16}}), secret=SECRET)
    with pytest.raises(SealedKeyError):
        unseal_private_key(json.dumps({**data, "v": 2}), secret=SECRET)


def test_reseal_under_a_new_secret():
    generated = generate_sealed_key(key_id=KEY_ID, secret=SECRET, scrypt_n=FAST)
    new_secret = "the next secret from the environment"
    resealed = reseal(generated.sealed, old_secret=SECRET, new_secret=new_secret, scrypt_n=FAST)
    assert SealedKeySigner(resealed, secret=new_secret).public_key == generated.public_key
    with pytest.raises(SealedKeyError):
        unseal_private_key(resealed, secret=SECRET)


def test_short_secrets_are_refused():
    with pytest.raises(ValueError):
        generate_sealed_key(key_id=KEY_ID, secret="short", scrypt_n=FAST)
    with pytest.raises(ValueError):
        seal_private_key(bytes(32), key_id=KEY_ID, secret=SECRET, scrypt_n=1000)


@fuzz
@given(st.text(max_size=200))
def test_random_sealed_text_raises_only_sealed_key_error(text):
    with pytest.raises(SealedKeyError):
        unseal_private_key(text, secret=SECRET)
