"""Base58-btc, Multikey, base45 and RFC 8785 against their published examples."""

import contextlib

import base45
import pytest
import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from truongso.credentials.rules.base58 import (
    Base58Error,
    b58decode,
    b58encode,
    multibase_z_decode,
)
from truongso.credentials.rules.multikey import (
    MultikeyError,
    decode_private_key,
    decode_public_key,
    did_key,
    did_key_verification_method,
    encode_public_key,
    public_key_from_did_key,
)
from truongso.credentials.rules.qr_payload import b45encode

from .helpers import fuzz, read_json

# draft-msporny-base58-03, section 5 (test vectors).
BASE58_VECTORS = [
    (b"Hello World!", "2NEpo7TZRRrLZSi2U"),
    (
        b"The quick brown fox jumps over the lazy dog.",
        "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z",
    ),
    (bytes.fromhex("0000287fb4cd"), "11233QC4"),
]


@pytest.mark.parametrize(("raw", "encoded"), BASE58_VECTORS)
def test_base58_published_vectors(raw, encoded):
    assert b58encode(raw) == encoded
    assert b58decode(encoded) == raw


def test_base58_edges():
    assert b58encode(b"") == ""
    assert b58decode("") == b""
    assert b58encode(b"\0\0\0") == "111"
    assert b58decode("111") == b"\0\0\0"


@pytest.mark.parametrize("bad", ["0", "O", "I", "l", "2NEpo7TZRRrLZSi2U!", "é"])
def test_base58_rejects_characters_outside_the_alphabet(bad):
    with pytest.raises(Base58Error):
        b58decode(bad)


def test_multibase_needs_the_z_prefix():
    with pytest.raises(Base58Error):
        multibase_z_decode("2NEpo7TZRRrLZSi2U")
    assert multibase_z_decode("z2NEpo7TZRRrLZSi2U") == b"Hello World!"


@fuzz
@given(st.binary(max_size=80))
def test_base58_round_trip(raw):
    assert b58decode(b58encode(raw)) == raw


@fuzz
@given(st.text(max_size=120))
def test_base58_decode_raises_only_base58_error(text):
    with contextlib.suppress(Base58Error):
        b58decode(text)


def test_multikey_of_the_w3c_key_pair():
    pair = read_json("eddsa-jcs-2022/keyPair.json")
    public = decode_public_key(pair["publicKeyMultibase"])
    seed = decode_private_key(pair["privateKeyMultibase"])
    assert len(public) == len(seed) == 32
    assert encode_public_key(public) == "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    assert did_key(public) == "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    method = did_key_verification_method(public)
    assert method == (
        "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
        "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    )
    assert public_key_from_did_key(method) == public


@pytest.mark.parametrize(
    "bad",
    [
        "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq",  # a private key, not public
        "6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",  # no multibase prefix
        "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ",  # one character short
        "",
    ],
)
def test_multikey_rejects_other_things(bad):
    with pytest.raises(MultikeyError):
        decode_public_key(bad)


def test_did_key_fragment_must_repeat_the_key():
    with pytest.raises(MultikeyError):
        public_key_from_did_key("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#key-1")


# RFC 9285, sections 4.3 and 4.4.
@pytest.mark.parametrize(
    ("raw", "encoded"),
    [
        (b"AB", "BB8"),
        (b"Hello!!", "%69 VD92EX0"),
        (b"base-45", "UJCLQE7W581"),
        (b"ietf!", "QED8WEX0"),
    ],
)
def test_base45_rfc_9285_examples(raw, encoded):
    assert base45.b45encode(raw).decode() == encoded
    assert base45.b45decode(encoded) == raw
    assert b45encode(raw) == encoded


@fuzz
@given(st.binary(max_size=600))
def test_our_base45_encoder_equals_the_library(raw):
    assert b45encode(raw) == base45.b45encode(raw).decode()


def test_rfc_8785_primitive_serialisation_example():
    # RFC 8785 section 3.2.2: the input is parsed as JSON first (numbers become doubles).
    import json

    parsed = json.loads(
        '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],'
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",'
        ' "literals": [null, true, false]}'
    )
    expected = (
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
        '"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    )
    assert rfc8785.dumps(parsed) == expected.encode("utf-8")


def test_rfc_8785_property_sorting_example():
    # RFC 8785 section 3.2.3: properties sort by UTF-16 code units.
    document = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    canonical = rfc8785.dumps(document).decode("utf-8")
    order = [canonical.index(f'"{value}"') for value in document.values()]
    expected_order = [
        "Carriage Return",
        "One",
        "Control",
        "Latin Small Letter O With Diaeresis",
        "Euro Sign",
        "Emoji: Grinning Face",
        "Hebrew Letter Dalet With Dagesh",
    ]
    values = list(document.values())
    assert [values[i] for i in sorted(range(len(order)), key=order.__getitem__)] == expected_order
