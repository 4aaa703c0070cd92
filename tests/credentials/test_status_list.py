"""W3C Bitstring Status List: the specification's example, set/get, credentials, checks."""

import base64
import gzip
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from truongso.credentials.rules import data_integrity as di
from truongso.credentials.rules.status_list import (
    MIN_BITS,
    REVOCATION,
    SUSPENSION,
    StatusEntry,
    StatusList,
    StatusListError,
    check_status,
    random_free_index,
    status_list_credential,
)

from .helpers import ISSUER, fuzz, school_ring, school_signer

# The encodedList of the W3C Bitstring Status List v1.0 example credential: 131,072 zeros.
SPEC_EMPTY_LIST = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"
LIST_URL = "https://truongso.example/status/79000001/2025/revocation"


def test_the_specification_example_decodes_to_an_empty_list():
    status_list = StatusList.decode(SPEC_EMPTY_LIST)
    assert status_list.size == MIN_BITS == 131_072
    assert status_list.count() == 0


def test_an_empty_list_encodes_exactly_as_the_specification_example():
    assert StatusList().encode() == SPEC_EMPTY_LIST


def test_bit_order_is_most_significant_bit_first():
    status_list = StatusList()
    status_list.set(0)
    status_list.set(9)
    status_list.set(MIN_BITS - 1)
    raw = status_list.to_bytes()
    assert raw[0] == 0b1000_0000
    assert raw[1] == 0b0100_0000
    assert raw[-1] == 0b0000_0001
    encoded = status_list.encode()
    assert encoded.startswith("u") and "=" not in encoded
    decoded = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded) % 4)))
    assert decoded == raw


def test_set_get_clear():
    status_list = StatusList()
    assert not status_list.get(94567)
    status_list.set(94567)
    assert status_list.get(94567)
    assert not status_list.get(94566) and not status_list.get(94568)
    status_list.set(94567, False)
    assert not status_list.get(94567)
    assert status_list.count() == 0


@fuzz
@given(st.sets(st.integers(min_value=0, max_value=MIN_BITS - 1), max_size=200))
def test_round_trip_through_the_encoding(indexes):
    status_list = StatusList()
    for index in indexes:
        status_list.set(index)
    decoded = StatusList.decode(status_list.encode())
    assert decoded.to_bytes() == status_list.to_bytes()
    assert decoded.count() == len(indexes)
    assert all(decoded.get(index) for index in indexes)


def test_larger_lists():
    status_list = StatusList(MIN_BITS * 2)
    status_list.set(MIN_BITS * 2 - 1)
    assert StatusList.decode(status_list.encode()).get(MIN_BITS * 2 - 1)


@pytest.mark.parametrize("size", [0, 8, MIN_BITS - 8, MIN_BITS + 1])
def test_sizes_refused(size):
    with pytest.raises(StatusListError):
        StatusList(size)


@pytest.mark.parametrize("index", [-1, MIN_BITS, True, "3"])
def test_indexes_refused(index):
    with pytest.raises(StatusListError):
        StatusList().get(index)


def _encode_raw(data: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(gzip.compress(data, mtime=0)).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "encoded",
    [
        None,
        "",
        "H4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA",  # no 'u'
        "u!!!",
        "u" + base64.urlsafe_b64encode(b"not gzip").decode(),
        _encode_raw(bytes(1000)),  # too short a list
        _encode_raw(bytes(16_384)) + "AAAA",  # trailing data after the GZIP member
    ],
)
def test_malformed_encoded_lists(encoded):
    with pytest.raises(StatusListError):
        StatusList.decode(encoded)


def test_oversized_list_is_refused_without_inflating_it_all():
    with pytest.raises(StatusListError):
        StatusList.decode(_encode_raw(bytes((1 << 23) + 1)))


@fuzz
@given(st.text(max_size=200) | st.binary(max_size=200).map(lambda b: "u" + b.hex()))
def test_random_encoded_lists_raise_only_status_list_error(encoded):
    with pytest.raises(StatusListError):
        StatusList.decode(encoded)


def test_entry_json():
    entry = StatusEntry(LIST_URL, 94567)
    assert entry.as_json() == {
        "id": f"{LIST_URL}#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": LIST_URL,
    }
    with pytest.raises(StatusListError):
        StatusEntry(LIST_URL, 1, purpose="message")


def test_status_list_credential_and_checks():
    status_list = StatusList()
    status_list.set(94567)
    credential = status_list_credential(
        list_url=LIST_URL,
        issuer=ISSUER,
        purpose=REVOCATION,
        status_list=status_list,
        valid_from=datetime(2025, 7, 1, tzinfo=UTC),
        valid_until=datetime(2025, 7, 2, tzinfo=UTC),
    )
    assert credential == {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": LIST_URL,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": ISSUER,
        "validFrom": "2025-07-01T00:00:00Z",
        "validUntil": "2025-07-02T00:00:00Z",
        "credentialSubject": {
            "id": f"{LIST_URL}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": status_list.encode(),
        },
    }
    signed = di.create_proof(credential, school_signer(), created=datetime(2025, 7, 1, tzinfo=UTC))
    assert di.verify_credential(signed, school_ring()).ok

    revoked = check_status(StatusEntry(LIST_URL, 94567).as_json(), signed)
    assert (revoked.purpose, revoked.index, revoked.set) == ("revocation", 94567, True)
    assert check_status(StatusEntry(LIST_URL, 94568).as_json(), signed).set is False


def test_check_status_refusals():
    list_credential = status_list_credential(
        list_url=LIST_URL,
        issuer=ISSUER,
        purpose=REVOCATION,
        status_list=StatusList(),
        valid_from=datetime(2025, 7, 1, tzinfo=UTC),
    )
    good = StatusEntry(LIST_URL, 5).as_json()
    check_status(good, list_credential)
    refused = [
        {**good, "statusPurpose": SUSPENSION},
        {**good, "statusListCredential": LIST_URL + "x"},
        {**good, "statusListIndex": "-1"},
        {**good, "statusListIndex": 5},
        {**good, "statusListIndex": "131072"},
        {**good, "statusListIndex": "١٢"},  # Arabic-Indic digits
        {**good, "statusSize": 2},
        {**good, "type": "StatusList2021Entry"},
        None,
    ]
    for entry in refused:
        with pytest.raises(StatusListError):
            check_status(entry, list_credential)
    with pytest.raises(StatusListError):
        check_status(good, {**list_credential, "type": ["VerifiableCredential"]})


def test_random_free_index():
    taken = {3, 4}
    picks = iter([3, 4, 7])
    assert random_free_index(taken.__contains__, randbelow=lambda n: next(picks)) == 7
    with pytest.raises(StatusListError):
        random_free_index(lambda i: True, attempts=5)
    index = random_free_index(lambda i: False)
    assert 0 <= index < MIN_BITS
