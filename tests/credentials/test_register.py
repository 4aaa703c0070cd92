import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.credentials.factories import ISSUE_DATE, candidate, issuance, issue, keys_for
from truongso.accounts.models import Role, RoleAssignment, User
from truongso.audit.models import AuditEntry
from truongso.credentials import selectors, services
from truongso.credentials.models import (
    Credential,
    CredentialStatus,
    IssuanceBatch,
    LogEntry,
    RegisterCounter,
    StatusList,
)
from truongso.credentials.rules.diploma_number import is_valid_diploma_number, mod97_check_digits
from truongso.credentials.rules.qr_payload import credential_hash
from truongso.credentials.rules.status_list import MIN_BITS, check_status
from truongso.credentials.verifier import Answer, check_document, check_qr_text
from truongso.credentials.verify import node_registry
from truongso.learners.models import Learner

DID_A = "did:web:truongso.example:credentials:did:01000001"


@pytest.fixture
def keyed(world):
    keys_for(world)
    return world


def _status_document(credential, purpose="revocation"):
    status_list = (
        credential.revocation_list if purpose == "revocation" else (credential.suspension_list)
    )
    status_list.refresh_from_db()
    return json.loads(status_list.document)


def test_issuance_end_to_end(keyed):
    [credential] = issue(keyed, candidate(learner_id=keyed.learner_an.pk))
    assert credential.diploma_number == "01C250000001" + mod97_check_digits("01C250000001")
    assert is_valid_diploma_number(credential.diploma_number)
    assert credential.register_number == "00001/C2025"
    assert credential.holder_name == "Nguyễn Văn An"
    assert credential.learner == keyed.learner_an
    assert credential.status == CredentialStatus.ACTIVE
    document = json.loads(credential.document)
    assert document["issuer"]["id"] == DID_A
    assert document["issuer"]["official"] == "Hiệu trưởng Nguyễn Văn Hùng"
    assert document["issuer"]["address"]["addressRegion"] == "Thành phố Hà Nội"
    assert document["name"] == "Bằng tốt nghiệp trung học cơ sở"
    assert document["awardedDate"] == "2025-06-30T00:00:00Z"
    subject = document["credentialSubject"]
    assert subject["diplomaNumber"] == credential.diploma_number
    assert subject["registerNumber"] == "00001/C2025"
    assert subject["result"][0]["value"] == "Khá"
    assert [(i["identityType"], i["identityHash"]) for i in subject["identifier"]] == [
        ("name", "Nguyễn Văn An"), ("ext:dateOfBirth", "2010-05-02"), ("ext:sex", "Nam"),
        ("ext:placeOfBirth", "Hà Nội"),
    ]  # fmt: skip
    assert "001214012345" not in credential.document  # no personal identification number
    assert document["proof"]["verificationMethod"] == f"{DID_A}#key-1"
    entries = document["credentialStatus"]
    assert [e["statusPurpose"] for e in entries] == ["revocation", "suspension"]
    assert entries[0]["statusListCredential"] == (
        "https://truongso.example/credentials/status/01000001/2025/revocation/1"
    )
    assert entries[0]["statusListIndex"] == str(credential.status_index)
    assert 0 <= credential.status_index < MIN_BITS

    registry = node_registry()
    finding = check_document(credential.document, registry)
    assert finding.answer == Answer.VALID
    assert finding.shown.holder_name == "Nguyễn Văn An"
    assert finding.shown.issuer_name == "Trường THCS Ba Đình"
    assert finding.shown.issue_date == ISSUE_DATE
    qr = check_qr_text(credential.qr_text, registry)
    assert qr.answer == Answer.VALID
    assert qr.credential_id == credential.credential_id
    assert qr.shown.diploma_number == credential.diploma_number
    assert credential_hash(document).hex() == credential.document_hash
    assert len(credential.qr_text) < 700

    audit = AuditEntry.objects.get(action="credential.issue")
    assert audit.actor == keyed.principal_a
    assert audit.institution_id == keyed.school_a.pk
    assert audit.after["diploma_number"] == credential.diploma_number
    entry = LogEntry.objects.get(event="credential.issue")
    assert entry.credential == credential
    body = json.loads(entry.body)
    assert body["credential"] == credential.credential_id
    assert body["hash"] == credential.document_hash
    assert "An" not in entry.body and "2010" not in entry.body  # no person in the log
    lists = StatusList.objects.filter(institution=keyed.school_a)
    assert sorted(lists.values_list("purpose", flat=True)) == ["revocation", "suspension"]
    status = _status_document(credential)
    assert check_status(entries[0], status).set is False


def test_numbers_are_never_reused_and_carry_check_digits(keyed):
    first = issue(keyed, candidate("Lê Văn Một"), candidate("Lê Văn Hai"))
    services.credential_revoke(actor=keyed.principal_a, credential=first[0], reason="Sai sót")
    with pytest.raises(ValidationError):  # the second row is wrong: nothing is issued
        issue(keyed, candidate("Lê Văn Ba"), candidate("", born=None))
    later = issue(keyed, candidate("Lê Văn Ba"), candidate("Lê Văn Bốn"))
    numbers = [c.diploma_number for c in Credential.objects.order_by("pk")]
    assert [n[5:12] for n in numbers] == ["0000001", "0000002", "0000003", "0000004"]
    assert all(is_valid_diploma_number(n) for n in numbers)
    assert len(set(numbers)) == 4
    assert [c.register_number for c in later] == ["00003/C2025", "00004/C2025"]
    assert RegisterCounter.objects.get(name="number:01C25").next_value == 5
    # Another school of the same province draws from the same series.
    services.issuer_key_create(actor=keyed.superuser, institution=keyed.school_a2)
    principal_a2 = User.objects.create_user(username="ht_a2", password="x")
    RoleAssignment.objects.create(
        user=principal_a2, role=Role.PRINCIPAL, institution=keyed.school_a2
    )
    cert = services.credential_issue(
        actor=principal_a2, institution=keyed.school_a2,
        issuance=issuance("certificate"),
        candidates=[candidate(classification="", field_of_study="Tin học cơ bản")],
    )  # fmt: skip
    assert cert[0].diploma_number.startswith("01CC250000001")
    assert cert[0].register_number == "00001/CC2025"


def test_only_the_school_principal_issues_and_revokes(keyed):
    for actor in (keyed.principal_b, keyed.staff_a, keyed.province_p1, keyed.superuser,
                  keyed.teacher_a1_user):  # fmt: skip
        with pytest.raises(PermissionDenied):
            issue(keyed, actor=actor)
    [credential] = issue(keyed)
    for actor in (keyed.principal_b, keyed.staff_a, keyed.province_p1):
        with pytest.raises(PermissionDenied):
            services.credential_revoke(actor=actor, credential=credential, reason="x")
        with pytest.raises(PermissionDenied):
            services.credential_suspend(actor=actor, credential=credential, reason="x")
    assert Credential.objects.count() == 1
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.ACTIVE


def test_issuance_checks_the_type_dates_and_fields(keyed):
    with pytest.raises(ValidationError) as error:
        issue(keyed, kind=issuance("upper_secondary_diploma"))
    assert "không cấp loại văn bằng này" in str(error.value)
    with pytest.raises(ValidationError) as error:
        issue(keyed, kind=issuance(issue_date=dt.date(2026, 1, 5)))
    assert "31/12/2025" in str(error.value)
    with pytest.raises(ValidationError) as error:
        issue(keyed, candidate(classification=""))
    assert "xếp loại" in str(error.value)
    with pytest.raises(ValidationError):
        issue(keyed, candidate(born=dt.date(2025, 7, 1)))
    services.issuer_key_revoke(
        actor=keyed.principal_a, key=services.current_key(keyed.school_a), reason="Lộ khóa"
    )
    with pytest.raises(ValidationError) as error:
        issue(keyed)
    assert "chưa có khóa ký" in str(error.value)


def test_revoke_suspend_reinstate(keyed):
    [credential] = issue(keyed)
    entries = json.loads(credential.document)["credentialStatus"]
    with pytest.raises(ValidationError):
        services.credential_suspend(actor=keyed.principal_a, credential=credential, reason=" ")
    services.credential_suspend(actor=keyed.principal_a, credential=credential, reason="Xác minh")
    assert check_status(entries[1], _status_document(credential, "suspension")).set is True
    with pytest.raises(ValidationError):
        services.credential_suspend(actor=keyed.principal_a, credential=credential, reason="x")
    services.credential_reinstate(actor=keyed.principal_a, credential=credential, reason="Đúng")
    assert check_status(entries[1], _status_document(credential, "suspension")).set is False
    revoked = services.credential_revoke(
        actor=keyed.principal_a, credential=credential, reason="Gian lận hồ sơ"
    )
    assert revoked.status == CredentialStatus.REVOKED
    assert revoked.status_reason == "Gian lận hồ sơ"
    assert check_status(entries[0], _status_document(credential)).set is True
    for action in (services.credential_revoke, services.credential_reinstate):
        with pytest.raises(ValidationError):
            action(actor=keyed.principal_a, credential=credential, reason="x")
    events = list(LogEntry.objects.filter(credential=credential).values_list("event", flat=True))
    assert events == [
        "credential.issue",
        "credential.suspend",
        "credential.reinstate",
        "credential.revoke",
    ]
    actions = set(AuditEntry.objects.filter(object_type="credentials.credential")
                  .values_list("action", flat=True))  # fmt: skip
    assert actions == {
        "credential.issue",
        "credential.suspend",
        "credential.reinstate",
        "credential.revoke",
    }


def test_reissue_and_amendment_link_to_the_original(keyed):
    [original] = issue(keyed)
    with pytest.raises(ValidationError):
        services.credential_replace(
            actor=keyed.principal_a, original=original, relation="amendment",
            changes={"classification": "Giỏi"}, reason="x", issue_date=dt.date(2025, 8, 1),
            signer_name="Nguyễn Văn Hùng", signer_title="Hiệu trưởng",
        )  # fmt: skip
    new = services.credential_replace(
        actor=keyed.principal_a, original=original, relation="amendment",
        changes={"holder_name": "Nguyễn Văn Ân"}, reason="Cải chính hộ tịch",
        issue_date=dt.date(2025, 8, 1), signer_name="Nguyễn Văn Hùng", signer_title="Hiệu trưởng",
    )  # fmt: skip
    original.refresh_from_db()
    assert new.original == original and new.relation == "amendment"
    assert new.holder_name == "Nguyễn Văn Ân"
    assert new.diploma_number != original.diploma_number
    assert original.status == CredentialStatus.REVOKED
    assert original.status_reason == (
        f"Thay bằng văn bằng số hiệu {new.diploma_number}: Cải chính hộ tịch"
    )


CSV = """STT,Họ và tên,Ngày sinh,Giới tính,Nơi sinh,Xếp loại,Mã định danh
1,nguyễn  văn  an,02/05/2014,Nam,Hà Nội,Giỏi,{an_id}
2,Trần Văn Nam,31/02/2010,Nam,Hà Nội,Khá,
3,Phạm Thu Hà,2010-01-20,Nữ,Nam Định,,
4,Nguyễn Văn An,2/5/2014,Nam,Hà Nội,Giỏi,
"""


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("danh-sach.csv", text.encode("utf-8"), content_type="text/csv")


def test_batch_from_a_file_is_checked_row_by_row(keyed):
    Learner.objects.filter(pk=keyed.learner_an.pk).update(education_id="0100000042")
    text = CSV.format(an_id="0100000042")
    batch = services.issuance_batch_from_file(
        actor=keyed.principal_a, institution=keyed.school_a, issuance=issuance(),
        upload=_upload(text),
    )  # fmt: skip
    assert [r["holder_name"] for r in batch.rows] == [
        "Nguyễn Văn An",
        "Trần Văn Nam",
        "Phạm Thu Hà",
        "Nguyễn Văn An",
    ]
    assert batch.rows[0]["learner_id"] == keyed.learner_an.pk
    assert batch.rows[0]["sex"] == "M"
    problems = sorted((p["row"], p["column"]) for p in batch.problems)
    assert problems == [(3, "Ngày sinh"), (3, "Ngày sinh"), (4, "Xếp loại"), (5, "Họ và tên")]
    assert batch.has_errors
    with pytest.raises(ValidationError):
        services.issuance_batch_issue(actor=keyed.principal_a, batch=batch)
    assert Credential.objects.count() == 0
    fixed = text.replace("31/02/2010", "28/02/2010").replace("Nam Định,,", "Nam Định,Khá,")
    fixed = fixed.split("\n4,")[0] + "\n"
    batch = services.issuance_batch_from_file(
        actor=keyed.principal_a, institution=keyed.school_a, issuance=issuance(),
        upload=_upload(fixed),
    )  # fmt: skip
    assert batch.problems == []
    with pytest.raises(PermissionDenied):
        services.issuance_batch_issue(actor=keyed.principal_b, batch=batch)
    issued = services.issuance_batch_issue(actor=keyed.principal_a, batch=batch)
    assert [c.holder_name for c in issued] == ["Nguyễn Văn An", "Trần Văn Nam", "Phạm Thu Hà"]
    assert [c.date_of_birth for c in issued] == [
        dt.date(2014, 5, 2),
        dt.date(2010, 2, 28),
        dt.date(2010, 1, 20),
    ]
    assert issued[0].learner == keyed.learner_an
    batch.refresh_from_db()
    assert batch.state == IssuanceBatch.State.ISSUED
    with pytest.raises(ValidationError):
        services.issuance_batch_issue(actor=keyed.principal_a, batch=batch)
    # The same people again: a diploma is issued once.
    again = services.issuance_batch_from_file(
        actor=keyed.principal_a, institution=keyed.school_a, issuance=issuance(),
        upload=_upload(fixed),
    )  # fmt: skip
    assert len([p for p in again.problems if "đã được cấp" in p["message"]]) == 3


def test_batch_file_without_header_or_not_a_spreadsheet(keyed):
    batch = services.issuance_batch_from_file(
        actor=keyed.principal_a, institution=keyed.school_a, issuance=issuance(),
        upload=_upload("a,b\n1,2\n"),
    )  # fmt: skip
    assert batch.rows == [] and batch.has_errors
    assert "Họ và tên" in batch.problems[0]["message"]
    png = SimpleUploadedFile("anh.csv", b"\x89PNG\r\n\x1a\n" + bytes(20))
    batch = services.issuance_batch_from_file(
        actor=keyed.principal_a, institution=keyed.school_a, issuance=issuance(), upload=png
    )
    assert "không phải bảng tính" in batch.problems[0]["message"]


def test_batch_from_a_class(keyed):
    learners = [keyed.learner_an, keyed.learner_binh]
    batch = services.issuance_batch_from_learners(
        actor=keyed.principal_a, institution=keyed.school_a,
        issuance=issuance("certificate"), learners=learners, source="6A1",
    )  # fmt: skip
    # A certificate needs its content (field of study): every row says so.
    assert [p["row"] for p in batch.problems] == [1, 2]
    with pytest.raises(ValidationError):
        services.issuance_batch_from_learners(
            actor=keyed.principal_a, institution=keyed.school_a, issuance=issuance(),
            learners=[keyed.learner_b1],
        )  # fmt: skip


def test_register_reads_are_scoped(keyed):
    [a] = issue(keyed)
    [b] = issue(keyed, school=keyed.school_b)
    assert list(selectors.credential_list(actor=keyed.principal_a)) == [a]
    assert list(selectors.credential_list(actor=keyed.staff_a)) == [a]
    assert list(selectors.credential_list(actor=keyed.province_p1)) == [a]
    assert list(selectors.credential_list(actor=keyed.province_p2)) == [b]
    assert list(selectors.credential_list(actor=keyed.teacher_a1_user)) == []
    assert set(selectors.credential_list(actor=keyed.ministry)) == {a, b}
    assert list(selectors.credential_list(actor=keyed.principal_a, query="nguyen van an")) == [a]
    assert list(selectors.credential_list(actor=keyed.principal_a, query=a.diploma_number)) == [a]
    with pytest.raises(Credential.DoesNotExist):
        selectors.credential_get(actor=keyed.principal_b, pk=a.pk)
    with pytest.raises(Credential.DoesNotExist):
        selectors.credential_get(actor=keyed.province_p1, pk=a.pk, write=True)
    assert selectors.credential_get(actor=keyed.principal_a, pk=a.pk, write=True) == a


def test_a_learner_link_with_another_name_is_flagged(keyed):
    Learner.objects.filter(pk=keyed.learner_an.pk).update(education_id="0100000042")
    batch = services.issuance_batch_from_file(
        actor=keyed.principal_a, institution=keyed.school_a, issuance=issuance(),
        upload=_upload("Họ và tên;Ngày sinh;Xếp loại;Mã định danh\n"
                       "Lê Thị Mơ;1/1/2010;Khá;0100000042\n"),
    )  # fmt: skip
    assert [(p["row"], p["column"], p["severity"]) for p in batch.problems] == [
        (2, "Mã định danh", "warning")
    ]
    assert "Nguyễn Văn An" in batch.problems[0]["message"]
    assert not batch.has_errors


def test_sex_and_place_of_birth_are_signed_and_older_credentials_still_verify(keyed):
    from truongso.credentials import verify
    from truongso.credentials.rules.data_integrity import create_proof
    from truongso.credentials.services.common import open_signer

    [credential] = issue(keyed, candidate("Trần Thị Bình", dt.date(2010, 1, 9), sex="F",
                                          place_of_birth="Thái Nguyên"))  # fmt: skip
    document = json.loads(credential.document)
    identity = {i["identityType"]: i["identityHash"]
                for i in document["credentialSubject"]["identifier"]}  # fmt: skip
    assert (identity["ext:sex"], identity["ext:placeOfBirth"]) == ("Nữ", "Thái Nguyên")
    changed = credential.document.replace('"Thái Nguyên"', '"Hà Nội"')
    assert verify.verify_document(changed).answer == "altered"
    # A credential signed before these were added (name and date of birth only).
    older = {k: v for k, v in document.items() if k != "proof"}
    older["credentialSubject"]["identifier"] = older["credentialSubject"]["identifier"][:2]
    signed = create_proof(older, open_signer(credential.key), created=credential.signed_at)
    credential.document = json.dumps(signed, ensure_ascii=False)
    credential.document_hash = credential_hash(signed).hex()
    credential.save(update_fields=["document", "document_hash"])
    found = verify.verify_document(credential.document)
    assert (found.answer, found.shown.holder_name) == ("valid", "Trần Thị Bình")
