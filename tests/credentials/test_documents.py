"""Open Badges 3.0 diploma and CLR 2.0 report card documents, signed and checked end to end."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import segno

from truongso.credentials.rules import data_integrity as di
from truongso.credentials.rules.documents import (
    CLR_V2_CONTEXT,
    OB_V3_CONTEXT,
    VC_V2_CONTEXT,
    Diploma,
    Holder,
    Issuer,
    ReportCard,
    SubjectResult,
    diploma_credential,
    report_card_credential,
)
from truongso.credentials.rules.qr_payload import (
    CredentialKind,
    QrClaims,
    credential_hash,
    encode_qr,
    verify_qr,
)
from truongso.credentials.rules.status_list import StatusEntry
from truongso.credentials.rules.verification import Outcome

from .helpers import ISSUER, SIGNED_AT, school_ring, school_signer

SCHOOL = Issuer(
    id=ISSUER,
    name="Trường THPT Nguyễn Du",
    url="https://thpt-nguyendu.example",
    official="Trần Thị Hoa, Hiệu trưởng",
    region="Thành phố Hồ Chí Minh",
)
HOLDER = Holder(name="Nguyễn Văn An", date_of_birth=date(2007, 5, 12))
LIST_URL = "https://truongso.example/status/79000001/2025/revocation"
ISSUED = datetime(2025, 7, 1, 1, 0, tzinfo=UTC)


def the_diploma(**changes) -> Diploma:
    values = {
        "credential_id": "urn:uuid:6a1b0f5e-8d3c-4b7a-9f21-0c9d8e7f6a5b",
        "issuer": SCHOOL,
        "holder": HOLDER,
        "achievement_id": "https://truongso.example/achievements/thpt-2025",
        "title": "Bằng tốt nghiệp trung học phổ thông",
        "description": "Công nhận tốt nghiệp trung học phổ thông.",
        "criteria": "Đủ điều kiện công nhận tốt nghiệp theo quy chế thi tốt nghiệp THPT.",
        "diploma_number": "HN25000123426",
        "register_number": "0123/2025",
        "issued_at": ISSUED,
        "classification": "Khá",
        "status": (StatusEntry(LIST_URL, 94567),),
    }
    values.update(changes)
    return Diploma(**values)


def test_diploma_document():
    assert diploma_credential(the_diploma()) == {
        "@context": [VC_V2_CONTEXT, OB_V3_CONTEXT],
        "id": "urn:uuid:6a1b0f5e-8d3c-4b7a-9f21-0c9d8e7f6a5b",
        "type": ["VerifiableCredential", "AchievementCredential"],
        "name": "Bằng tốt nghiệp trung học phổ thông",
        "issuer": {
            "id": ISSUER,
            "type": ["Profile"],
            "name": "Trường THPT Nguyễn Du",
            "url": "https://thpt-nguyendu.example",
            "official": "Trần Thị Hoa, Hiệu trưởng",
            "address": {
                "type": ["Address"],
                "addressRegion": "Thành phố Hồ Chí Minh",
                "addressCountryCode": "VN",
            },
        },
        "validFrom": "2025-07-01T01:00:00Z",
        "awardedDate": "2025-07-01T01:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": "Nguyễn Văn An",
                },
                {
                    "type": "IdentityObject",
                    "identityType": "ext:dateOfBirth",
                    "hashed": False,
                    "identityHash": "2007-05-12",
                },
            ],
            "achievement": {
                "id": "https://truongso.example/achievements/thpt-2025",
                "type": ["Achievement"],
                "achievementType": "SecondarySchoolDiploma",
                "name": "Bằng tốt nghiệp trung học phổ thông",
                "description": "Công nhận tốt nghiệp trung học phổ thông.",
                "criteria": {
                    "narrative": (
                        "Đủ điều kiện công nhận tốt nghiệp theo quy chế thi tốt nghiệp THPT."
                    )
                },
                "inLanguage": "vi",
                "resultDescription": [
                    {
                        "id": "https://truongso.example/achievements/thpt-2025#classification",
                        "type": ["ResultDescription"],
                        "name": "Xếp loại",
                        "resultType": "PerformanceLevel",
                    }
                ],
            },
            "result": [
                {
                    "type": ["Result"],
                    "resultDescription": (
                        "https://truongso.example/achievements/thpt-2025#classification"
                    ),
                    "value": "Khá",
                }
            ],
            "diplomaNumber": "HN25000123426",
            "registerNumber": "0123/2025",
        },
        "credentialStatus": {
            "id": f"{LIST_URL}#94567",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "94567",
            "statusListCredential": LIST_URL,
        },
        "credentialSchema": [
            {
                "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
                "ob_v3p0_achievementcredential_schema.json",
                "type": "1EdTechJsonSchemaValidator2019",
            }
        ],
    }


def test_vocational_diploma_and_two_status_entries():
    document = diploma_credential(
        the_diploma(
            achievement_type="Diploma",
            field_of_study="Điện công nghiệp",
            classification=None,
            holder=Holder("Lê Văn Bình", date(2004, 1, 2), id="did:example:learner"),
            status=(StatusEntry(LIST_URL, 1), StatusEntry(LIST_URL + "-s", 2, "suspension")),
        )
    )
    subject = document["credentialSubject"]
    assert subject["id"] == "did:example:learner"
    assert subject["achievement"]["fieldOfStudy"] == "Điện công nghiệp"
    assert "result" not in subject and "resultDescription" not in subject["achievement"]
    assert [entry["statusPurpose"] for entry in document["credentialStatus"]] == [
        "revocation",
        "suspension",
    ]


def the_report_card() -> ReportCard:
    return ReportCard(
        credential_id="urn:uuid:0f0e0d0c-0b0a-4908-8706-050403020100",
        issuer=SCHOOL,
        holder=HOLDER,
        programme_id="https://thpt-nguyendu.example/programme",
        school_year="2024-2025",
        class_name="12A1",
        subjects=(
            SubjectResult("TOAN", "Toán", score=Decimal("8.5")),
            SubjectResult("GDTC", "Giáo dục thể chất", assessment="Đạt"),
        ),
        issued_at=datetime(2025, 5, 31, tzinfo=UTC),
        learning_result="Tốt",
        conduct_result="Tốt",
        outcome="Hoàn thành chương trình",
    )


def test_report_card_document():
    document = report_card_credential(the_report_card())
    assert document["@context"] == [VC_V2_CONTEXT, CLR_V2_CONTEXT, OB_V3_CONTEXT]
    assert document["type"] == ["VerifiableCredential", "ClrCredential"]
    assert document["name"] == "Học bạ năm học 2024-2025 — lớp 12A1"
    subject = document["credentialSubject"]
    assert subject["type"] == ["ClrSubject"]
    embedded = subject["verifiableCredential"]
    assert [c["credentialSubject"]["achievement"]["humanCode"] for c in embedded] == [
        "TOAN",
        "GDTC",
        "year",
    ]
    maths = embedded[0]
    assert maths["id"] == "urn:uuid:0f0e0d0c-0b0a-4908-8706-050403020100#TOAN"
    assert maths["type"] == ["VerifiableCredential", "AchievementCredential"]
    assert maths["credentialSubject"]["achievement"]["achievementType"] == "Course"
    assert maths["credentialSubject"]["result"] == [
        {
            "type": ["Result"],
            "resultDescription": "https://thpt-nguyendu.example/programme/2024-2025/TOAN#score",
            "value": "8.5",
        }
    ]
    assert embedded[1]["credentialSubject"]["result"][0]["value"] == "Đạt"
    year = embedded[2]["credentialSubject"]["result"]
    assert [r["value"] for r in year] == ["Tốt", "Tốt", "Hoàn thành chương trình"]


def test_scores_must_be_decimals_within_range():
    card = the_report_card()
    for bad in (8.5, Decimal("10.5"), Decimal("-1")):
        broken = ReportCard(**{**card.__dict__, "subjects": (SubjectResult("X", "X", bad),)})
        with pytest.raises(ValueError):
            report_card_credential(broken)


@pytest.mark.parametrize(
    "build",
    [lambda: diploma_credential(the_diploma()), lambda: report_card_credential(the_report_card())],
)
def test_sign_and_verify_each_document(build):
    signed = di.create_proof(build(), school_signer(), created=SIGNED_AT)
    assert di.verify_credential(signed, school_ring()).ok
    signed["credentialSubject"]["identifier"][0]["identityHash"] = "Nguyễn Văn Ánh"
    assert di.verify_credential(signed, school_ring()).outcome is Outcome.ALTERED


def test_qr_of_a_signed_diploma_carries_its_hash():
    signed = di.create_proof(diploma_credential(the_diploma()), school_signer(), created=SIGNED_AT)
    claims = QrClaims(
        issuer=ISSUER,
        credential_id=signed["id"],
        kind=CredentialKind.DIPLOMA,
        holder_name=HOLDER.name,
        date_of_birth=HOLDER.date_of_birth,
        issue_date=date(2025, 7, 1),
        title=signed["name"],
        diploma_number="HN25000123426",
        register_number="0123/2025",
        classification="Khá",
        credential_hash=credential_hash(signed),
        signed_at=SIGNED_AT,
    )
    text = encode_qr(claims, school_signer())
    result = verify_qr(text, school_ring())
    assert result.ok
    assert result.payload.credential_hash == credential_hash(signed)
    code = segno.make(text, error="m", boost_error=False)
    assert (len(text), code.mode, code.version) == (513, "alphanumeric", 14)
