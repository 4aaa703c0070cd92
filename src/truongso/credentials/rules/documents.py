"""Verifiable Credentials 2.0 documents: a diploma and a report card, as plain dicts.

- A diploma (văn bằng) is an Open Badges 3.0 ``AchievementCredential``.
- A report card (học bạ) or transcript is a CLR 2.0 ``ClrCredential`` whose subject holds
  one embedded ``AchievementCredential`` per subject result plus one for the year.

Both are unsigned here; ``data_integrity.create_proof`` signs them. Fields that Open
Badges and CLR do not define (diploma number, register entry number) are plain JSON
members of the credential subject; under the VC 2.0 context they are issuer-dependent
terms. Date of birth is an ``IdentityObject`` with the extension type
``ext:dateOfBirth``; the holder's name one with ``identityType: "name"``. Everything in
the document is what the paper shows, nothing more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from .data_integrity import format_datetime
from .status_list import StatusEntry

VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_V3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CLR_V2_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
OB_V3_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
CLR_V2_SCHEMA = (
    "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json"
)
SCHEMA_VALIDATOR = "1EdTechJsonSchemaValidator2019"


@dataclass(frozen=True)
class Issuer:
    """The issuing institution; ``id`` is its DID (did:web). ``official`` is the signer."""

    id: str
    name: str
    url: str | None = None
    official: str | None = None
    region: str | None = None  # place of issue (nơi cấp), e.g. the province

    def profile(self) -> dict[str, Any]:
        profile: dict[str, Any] = {"id": self.id, "type": ["Profile"], "name": self.name}
        if self.url:
            profile["url"] = self.url
        if self.official:
            profile["official"] = self.official
        if self.region:
            profile["address"] = {
                "type": ["Address"],
                "addressRegion": self.region,
                "addressCountryCode": "VN",
            }
        return profile


@dataclass(frozen=True)
class Holder:
    """The learner as the paper names them. ``id`` is optional (a DID or URN).

    ``sex`` ("Nam" / "Nữ"), ``place_of_birth`` and ``ethnicity`` are written as the paper
    prints them, and only when given (credentials issued before they were added carry
    only the name and the date of birth, and still verify: nothing is rebuilt)."""

    name: str
    date_of_birth: date
    id: str | None = None
    sex: str | None = None
    place_of_birth: str | None = None
    ethnicity: str | None = None

    def identifiers(self) -> list[dict[str, Any]]:
        found = [
            _identity("name", self.name),
            _identity("ext:dateOfBirth", self.date_of_birth.isoformat()),
        ]
        for identity_type, value in (
            ("ext:sex", self.sex),
            ("ext:placeOfBirth", self.place_of_birth),
            ("ext:ethnicity", self.ethnicity),
        ):
            if value:
                found.append(_identity(identity_type, value))
        return found


def _identity(identity_type: str, value: str) -> dict[str, Any]:
    return {
        "type": "IdentityObject",
        "identityType": identity_type,
        "hashed": False,
        "identityHash": value,
    }


def _status(entries: Sequence[StatusEntry]) -> dict[str, Any]:
    built = [entry.as_json() for entry in entries]
    return {"credentialStatus": built[0] if len(built) == 1 else built} if built else {}


@dataclass(frozen=True)
class Diploma:
    """A diploma (văn bằng) as issued: Circular 21/2019 fields."""

    credential_id: str  # urn:uuid:…
    issuer: Issuer
    holder: Holder
    achievement_id: str  # identifies the kind of diploma, e.g. a URL of the programme
    title: str  # "Bằng tốt nghiệp trung học phổ thông"
    description: str
    criteria: str
    diploma_number: str  # số hiệu
    register_number: str  # số vào sổ gốc
    issued_at: datetime  # aware; the date of issue on the paper
    achievement_type: str = "SecondarySchoolDiploma"
    field_of_study: str | None = None  # major (ngành), vocational and higher education
    classification: str | None = None  # xếp loại, where there is one
    language: str = "vi"
    status: Sequence[StatusEntry] = field(default_factory=tuple)


def diploma_achievement(
    *,
    achievement_id: str,
    achievement_type: str,
    title: str,
    description: str,
    criteria: str,
    language: str,
    field_of_study: str | None,
    classified: bool,
) -> dict[str, Any]:
    """The ``Achievement`` of a diploma: the same for every diploma of an issuance with the
    same field of study and the same presence of a classification."""
    achievement: dict[str, Any] = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": achievement_type,
        "name": title,
        "description": description,
        "criteria": {"narrative": criteria},
        "inLanguage": language,
    }
    if field_of_study:
        achievement["fieldOfStudy"] = field_of_study
    if classified:
        achievement["resultDescription"] = [
            {
                "id": f"{achievement_id}#classification",
                "type": ["ResultDescription"],
                "name": "Xếp loại",
                "resultType": "PerformanceLevel",
            }
        ]
    return achievement


def diploma_subject(
    *,
    holder: Holder,
    achievement: dict[str, Any],
    achievement_id: str,
    classification: str | None,
    diploma_number: str,
    register_number: str,
) -> dict[str, Any]:
    """The ``AchievementSubject`` of a diploma (the holder, the result, the numbers)."""
    subject: dict[str, Any] = {"type": ["AchievementSubject"]}
    if holder.id:
        subject["id"] = holder.id
    subject["identifier"] = holder.identifiers()
    subject["achievement"] = achievement
    if classification:
        subject["result"] = [
            {
                "type": ["Result"],
                "resultDescription": f"{achievement_id}#classification",
                "value": classification,
            }
        ]
    subject["diplomaNumber"] = diploma_number
    subject["registerNumber"] = register_number
    return subject


def diploma_credential(diploma: Diploma) -> dict[str, Any]:
    """An unsigned Open Badges 3.0 AchievementCredential for a diploma."""
    achievement = diploma_achievement(
        achievement_id=diploma.achievement_id,
        achievement_type=diploma.achievement_type,
        title=diploma.title,
        description=diploma.description,
        criteria=diploma.criteria,
        language=diploma.language,
        field_of_study=diploma.field_of_study,
        classified=bool(diploma.classification),
    )
    subject = diploma_subject(
        holder=diploma.holder,
        achievement=achievement,
        achievement_id=diploma.achievement_id,
        classification=diploma.classification,
        diploma_number=diploma.diploma_number,
        register_number=diploma.register_number,
    )
    issued = format_datetime(diploma.issued_at)
    return {
        "@context": [VC_V2_CONTEXT, OB_V3_CONTEXT],
        "id": diploma.credential_id,
        "type": ["VerifiableCredential", "AchievementCredential"],
        "name": diploma.title,
        "issuer": diploma.issuer.profile(),
        "validFrom": issued,
        "awardedDate": issued,
        "credentialSubject": subject,
        **_status(diploma.status),
        "credentialSchema": [{"id": OB_V3_SCHEMA, "type": SCHEMA_VALIDATOR}],
    }


@dataclass(frozen=True)
class SubjectResult:
    """One subject's result for the year: a score (Decimal, 0–10) or an assessment; and,
    when given, each term's (a Decimal score or an assessment word) with its comment."""

    code: str
    name: str
    score: Decimal | None = None
    assessment: str | None = None  # "Đạt" / "Chưa đạt" for subjects assessed by comment
    comment: str | None = None
    term_1: Decimal | str | None = None
    term_2: Decimal | str | None = None
    comment_term_1: str | None = None
    comment_term_2: str | None = None


@dataclass(frozen=True)
class Check:
    """Evidence that someone checked the data before the institution signed: the
    homeroom teacher's check of a report card (who, when as written on the card)."""

    by: str
    at: str  # ISO 8601, as stored on the card


@dataclass(frozen=True)
class ReportCard:
    """A year of a learner's report card (học bạ)."""

    credential_id: str
    issuer: Issuer
    holder: Holder
    programme_id: str  # base id for the achievements, e.g. the school's curriculum URL
    school_year: str  # "2024-2025"
    class_name: str
    subjects: Sequence[SubjectResult]
    issued_at: datetime
    learning_result: str | None = None  # kết quả học tập
    conduct_result: str | None = None  # kết quả rèn luyện
    outcome: str | None = None  # e.g. "Được lên lớp", "Hoàn thành chương trình"
    status: Sequence[StatusEntry] = field(default_factory=tuple)
    # Per term (Học kỳ I, II): learning and conduct words; days absent for I, II, year.
    learning_terms: tuple[str | None, str | None] = (None, None)
    conduct_terms: tuple[str | None, str | None] = (None, None)
    days_absent: tuple[int | None, int | None, int | None] = (None, None, None)
    award: str | None = None  # khen thưởng
    homeroom_remark: str | None = None  # nhận xét của giáo viên chủ nhiệm
    principal_remark: str | None = None  # phê duyệt của hiệu trưởng
    completion: str | None = None  # hoàn thành chương trình THCS (grade 9)
    content_sha256: str | None = None  # SHA-256 of the card's canonical content
    checked: Check | None = None  # the homeroom teacher's check (evidence)
    previous_id: str | None = None  # the credential this one replaces (an amendment)


def _result_description(rid: str, name: str, result_type: str) -> dict:
    return {"id": rid, "type": ["ResultDescription"], "name": name, "resultType": result_type}


def _term_value(value: Decimal | str | None) -> tuple[str, str | None]:
    """(result type, value) of a term result: a score or an assessment word."""
    if isinstance(value, Decimal):
        return "ScaledScore", _score(value)
    return "PerformanceLevel", value or None


def _count(value: int | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("days absent are a whole number, 0 or more")
    return str(value)


def _achievement_id(card: ReportCard, key: str) -> str:
    return f"{card.programme_id}/{card.school_year}/{key}"


def _embedded(card: ReportCard, key: str, name: str, kind: str, results: list) -> dict:
    achievement_id = _achievement_id(card, key)
    descriptions = []
    values = []
    for suffix, label, result_type, value in results:
        if value is None:
            continue
        rid = f"{achievement_id}#{suffix}"
        descriptions.append(_result_description(rid, label, result_type))
        values.append({"type": ["Result"], "resultDescription": rid, "value": value})
    achievement: dict[str, Any] = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": kind,
        "name": name,
        "description": f"{name} — năm học {card.school_year}, lớp {card.class_name}",
        "criteria": {"narrative": "Chương trình giáo dục phổ thông 2018"},
        "humanCode": key,
    }
    if descriptions:
        achievement["resultDescription"] = descriptions
    subject: dict[str, Any] = {"type": ["AchievementSubject"]}
    if card.holder.id:
        subject["id"] = card.holder.id
    subject["identifier"] = card.holder.identifiers()
    subject["achievement"] = achievement
    if values:
        subject["result"] = values
    issued = format_datetime(card.issued_at)
    return {
        "@context": [VC_V2_CONTEXT, OB_V3_CONTEXT],
        "id": f"{card.credential_id}#{key}",
        "type": ["VerifiableCredential", "AchievementCredential"],
        "name": name,
        "issuer": card.issuer.profile(),
        "validFrom": issued,
        "credentialSubject": subject,
    }


def _subject_results(subject: SubjectResult) -> list:
    term_1_type, term_1 = _term_value(subject.term_1)
    term_2_type, term_2 = _term_value(subject.term_2)
    return [
        ("score", "Điểm trung bình môn", "ScaledScore", _score(subject.score)),
        ("assessment", "Mức đánh giá", "PerformanceLevel", subject.assessment),
        ("comment", "Nhận xét", "Result", subject.comment),
        ("term_1", "Học kỳ I", term_1_type, term_1),
        ("term_2", "Học kỳ II", term_2_type, term_2),
        ("comment_term_1", "Nhận xét học kỳ I", "Result", subject.comment_term_1),
        ("comment_term_2", "Nhận xét học kỳ II", "Result", subject.comment_term_2),
    ]


def _year_results(card: ReportCard) -> list:
    days = card.days_absent
    return [
        ("learning", "Kết quả học tập", "PerformanceLevel", card.learning_result),
        ("conduct", "Kết quả rèn luyện", "PerformanceLevel", card.conduct_result),
        ("outcome", "Kết quả", "Status", card.outcome),
        ("learning_term_1", "Kết quả học tập học kỳ I", "PerformanceLevel",
         card.learning_terms[0]),
        ("learning_term_2", "Kết quả học tập học kỳ II", "PerformanceLevel",
         card.learning_terms[1]),
        ("conduct_term_1", "Kết quả rèn luyện học kỳ I", "PerformanceLevel",
         card.conduct_terms[0]),
        ("conduct_term_2", "Kết quả rèn luyện học kỳ II", "PerformanceLevel",
         card.conduct_terms[1]),
        ("days_absent_term_1", "Số ngày nghỉ học kỳ I", "RawScore", _count(days[0])),
        ("days_absent_term_2", "Số ngày nghỉ học kỳ II", "RawScore", _count(days[1])),
        ("days_absent", "Số ngày nghỉ cả năm", "RawScore", _count(days[2])),
        ("award", "Khen thưởng", "Result", card.award),
        ("completion", "Hoàn thành chương trình trung học cơ sở", "Status", card.completion),
        ("homeroom_remark", "Nhận xét của giáo viên chủ nhiệm", "Result", card.homeroom_remark),
        ("principal_remark", "Phê duyệt của Hiệu trưởng", "Result", card.principal_remark),
    ]  # fmt: skip


def report_card_credential(card: ReportCard) -> dict[str, Any]:
    """An unsigned CLR 2.0 ClrCredential for one year of a report card.

    ``credentialSubject`` is a ``ClrSubject``: the learner's identifiers, one embedded
    ``AchievementCredential`` per subject (``Course``: year score or assessment, each
    term's, the comments) and one for the year (``LearningProgram``: learning and conduct
    per term and year, days absent, outcome, award, completion, remarks), and an
    ``Association`` (``isPartOf``) from each subject to the year. Issuer-dependent terms:
    ``schoolYear``, ``className``, ``reportCardSha256`` (the digest of the card's content
    as stored) and ``replaces`` (the credential of the version this one amends). The
    homeroom teacher's check is the credential's ``evidence``.
    """
    embedded = [
        _embedded(card, subject.code, subject.name, "Course", _subject_results(subject))
        for subject in card.subjects
    ]
    year_name = f"Kết quả năm học {card.school_year}"
    embedded.append(_embedded(card, "year", year_name, "LearningProgram", _year_results(card)))
    subject: dict[str, Any] = {"type": ["ClrSubject"]}
    if card.holder.id:
        subject["id"] = card.holder.id
    subject["identifier"] = card.holder.identifiers()
    subject["verifiableCredential"] = embedded
    if card.subjects:
        subject["association"] = [
            {
                "type": "Association",
                "associationType": "isPartOf",
                "sourceId": _achievement_id(card, item.code),
                "targetId": _achievement_id(card, "year"),
            }
            for item in card.subjects
        ]
    subject["schoolYear"] = card.school_year
    subject["className"] = card.class_name
    if card.content_sha256:
        subject["reportCardSha256"] = card.content_sha256
    if card.previous_id:
        subject["replaces"] = card.previous_id
    issued = format_datetime(card.issued_at)
    document: dict[str, Any] = {
        "@context": [VC_V2_CONTEXT, CLR_V2_CONTEXT, OB_V3_CONTEXT],
        "id": card.credential_id,
        "type": ["VerifiableCredential", "ClrCredential"],
        "name": f"Học bạ năm học {card.school_year} — lớp {card.class_name}",
        "issuer": card.issuer.profile(),
        "validFrom": issued,
        "awardedDate": issued,
        "credentialSubject": subject,
    }
    if card.checked is not None:
        document["evidence"] = [
            {
                "id": f"{card.credential_id}#checked",
                "type": ["Evidence"],
                "name": "Giáo viên chủ nhiệm kiểm tra học bạ",
                "narrative": f"Đã kiểm tra: {card.checked.by}, {card.checked.at}",
                "genre": "HomeroomTeacherCheck",
                "checkedBy": card.checked.by,
                "checkedAt": card.checked.at,
            }
        ]
    document.update(_status(card.status))
    document["credentialSchema"] = [{"id": CLR_V2_SCHEMA, "type": SCHEMA_VALIDATOR}]
    return document


def _score(score: Decimal | None) -> str | None:
    """Scores travel as strings ("8.5"), never as JSON numbers (no binary floats)."""
    if score is None:
        return None
    if not isinstance(score, Decimal) or not Decimal(0) <= score <= Decimal(10):
        raise ValueError("a score is a Decimal between 0 and 10")
    return format(score, "f")
