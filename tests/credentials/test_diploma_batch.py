"""Signing a batch of diplomas gives, byte for byte, what the general functions give:
``create_proof(diploma_credential(...))``, ``json.dumps``, ``credential_hash``,
``encode_qr``."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given
from hypothesis import strategies as st

from tests.credentials.helpers import ISSUER, fuzz, school_ring, school_signer
from truongso.credentials.rules.data_integrity import canonicalize, verify_credential
from truongso.credentials.rules.diploma_batch import DiplomaBatch
from truongso.credentials.rules.documents import Holder, Issuer
from truongso.credentials.rules.qr_payload import CredentialKind, verify_qr
from truongso.credentials.rules.status_list import StatusEntry

SIGNED_AT = dt.datetime(2025, 7, 1, 1, 2, 3, tzinfo=dt.UTC)
LIST = "https://truongso.example/credentials/status/79000001/2025"


def _batch(**overrides) -> DiplomaBatch:
    values = {
        "issuer": Issuer(
            id=ISSUER, name="Trường THPT “Lê Quý Đôn”", url="https://truongso.example",
            official="Hiệu trưởng Nguyễn Văn Hùng", region="Thành phố Hồ Chí Minh",
        ),
        "achievement_id": "https://truongso.example/credentials/types/upper_secondary_diploma",
        "title": "Bằng tốt nghiệp trung học phổ thông",
        "description": "Bằng tốt nghiệp THPT. Năm tốt nghiệp: 2025.",
        "criteria": "Được công nhận tốt nghiệp \\ trung học phổ thông.",
        "issued_at": dt.datetime(2025, 6, 30, tzinfo=dt.UTC),
        "achievement_type": "SecondarySchoolDiploma",
        "signer": school_signer(),
        "signed_at": SIGNED_AT,
        "qr_kind": CredentialKind.DIPLOMA,
        "issue_date": dt.date(2025, 6, 30),
    }  # fmt: skip
    values.update(overrides)
    return DiplomaBatch(**values)


def _status(index: int) -> tuple[StatusEntry, StatusEntry]:
    return (
        StatusEntry(f"{LIST}/revocation/1", index, "revocation"),
        StatusEntry(f"{LIST}/suspension/1", index, "suspension"),
    )


def _not_taken(diploma):
    raise AssertionError("the shortcut fell back to the general path")


def _both(batch: DiplomaBatch, **fields):
    """The shortcut's result (it must not fall back) and the general path's."""
    general = batch._sign_general(batch.diploma(**fields))
    batch._sign_general = _not_taken
    try:
        fast = batch.sign(**fields)
    finally:
        del batch._sign_general
    return fast, general


FIELDS = {
    "credential_id": "urn:uuid:00000000-0000-0001-0000-000000abcdef",
    "holder": Holder(
        name="Nguyễn Văn An", date_of_birth=dt.date(2007, 5, 2), sex="Nam", place_of_birth="Huế"
    ),
    "diploma_number": "79T25000000143",
    "register_number": "00001/T2025",
    "field_of_study": None,
    "classification": None,
    "status": _status(84890),
}


def test_a_diploma_signed_in_a_batch_is_the_general_one_byte_for_byte():
    batch = _batch()
    fast, general = _both(batch, **FIELDS)
    assert fast == general
    signed = json.loads(fast.document)
    assert verify_credential(signed, school_ring()).ok
    assert fast.digest.hex() == general.digest.hex()
    assert verify_qr(fast.qr_text, school_ring()).payload.credential_hash == fast.digest
    # The stored text is json.dumps of the signed credential; the digest is of its RFC 8785 form.
    assert fast.document == json.dumps(signed, ensure_ascii=False)
    assert canonicalize(signed) == canonicalize(json.loads(general.document))


def test_every_variant_of_the_achievement_and_the_holder():
    batch = _batch(qr_kind=CredentialKind.CERTIFICATE)
    for field_of_study in (None, "Tin học / Informatics"):
        for classification in (None, "Giỏi"):
            for holder in (
                FIELDS["holder"],
                Holder(name="Lê Thị B", date_of_birth=dt.date(1999, 1, 1)),
                Holder(
                    name="Võ C", date_of_birth=dt.date(2001, 12, 31), id="did:example:c",
                    sex="Nữ", place_of_birth='Quảng "Nam"', ethnicity="Kinh",
                ),
            ):  # fmt: skip
                fields = dict(
                    FIELDS, holder=holder, field_of_study=field_of_study,
                    classification=classification,
                )  # fmt: skip
                fast, general = _both(batch, **fields)
                assert fast == general


def test_text_that_is_not_unicode_falls_back_to_the_general_path_and_its_refusal():
    batch = _batch()
    holder = Holder(name="An \ud800", date_of_birth=dt.date(2007, 5, 2))
    fields = dict(FIELDS, holder=holder)
    try:
        batch._sign_general(batch.diploma(**fields))
    except Exception as refusal:  # noqa: BLE001 — whatever the general path raises
        expected = type(refusal)
    else:  # pragma: no cover
        raise AssertionError("the general path accepted a lone surrogate")
    try:
        batch.sign(**fields)
    except Exception as refusal:  # noqa: BLE001
        assert type(refusal) is expected
    else:  # pragma: no cover
        raise AssertionError("a lone surrogate was signed")


text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)
optional = st.one_of(st.none(), text)


@fuzz
@given(
    name=text, place=optional, sex=st.sampled_from([None, "Nam", "Nữ"]), field=optional,
    classification=optional, index=st.integers(0, 131_071),
    born=st.dates(dt.date(1900, 1, 1), dt.date(2020, 1, 1)), number=text,
)  # fmt: skip
def test_any_text_gives_the_same_bytes(
    name, place, sex, field, classification, index, born, number
):
    batch = _batch()
    holder = Holder(name=name, date_of_birth=born, sex=sex, place_of_birth=place)
    fields = dict(
        FIELDS, holder=holder, field_of_study=field, classification=classification,
        status=_status(index), diploma_number=number,
    )  # fmt: skip
    fast, general = _both(batch, **fields)
    assert fast == general
