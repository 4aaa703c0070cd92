"""Signed report cards: approval issues one CLR 2.0 credential (eddsa-jcs-2022 by the
school's key) that verifies; a flipped byte is altered; an amendment issues a new
credential linked to the old one, which stops being valid; the guardian sees the signed
status; the PDF carries the QR; the public page and API answer for a report card."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.reportcards.gradebook import MATHS_TERM_1, fill
from truongso.credentials import verify
from truongso.credentials.logcheck import log_check
from truongso.credentials.models import CredentialStatus, LogEntry, ReportCardCredential
from truongso.credentials.rules.data_integrity import verify_credential
from truongso.credentials.rules.qr_payload import credential_hash
from truongso.credentials.verify import node_registry
from truongso.reportcards import services
from truongso.reportcards.models import ReportCard
from truongso.reportcards.pdf import report_card_pdf

DID_A = "did:web:truongso.example:credentials:did:01000001"
API = "/api/v1/credentials/verify"


@pytest.fixture
def approved(world):
    fill(world.class_a1, maths_term_1=MATHS_TERM_1)
    services.report_cards_generate(actor=world.teacher_a1_user, school_class=world.class_a1)
    card = ReportCard.objects.get(learner=world.learner_an)
    services.report_card_mark_ready(actor=world.teacher_a1_user, report_card=card)
    services.report_card_approve(actor=world.principal_a, report_card=card)
    return ReportCard.objects.select_related("approved_version").get(pk=card.pk)


def _identity(document) -> dict:
    return {
        item["identityType"]: item["identityHash"]
        for item in document["credentialSubject"]["identifier"]
    }


def _results(embedded) -> dict:
    return {
        r["resultDescription"].rsplit("#", 1)[1]: r["value"]
        for r in embedded["credentialSubject"].get("result", [])
    }


def test_approval_issues_one_credential_that_verifies(world, approved):
    version = approved.approved_version
    [row] = ReportCardCredential.objects.all()
    assert row.version == version and row.institution == world.school_a
    assert row.status == CredentialStatus.ACTIVE and row.previous is None
    assert row.content_sha256 == version.sha256
    document = json.loads(row.document)
    assert document["type"] == ["VerifiableCredential", "ClrCredential"]
    assert document["issuer"]["id"] == DID_A
    assert document["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    assert document["proof"]["verificationMethod"] == row.key.key_id
    assert document["name"] == "Học bạ năm học 2025-2026 — lớp 6A1"
    assert verify_credential(document, node_registry().keys).ok
    assert row.document_hash == credential_hash(document).hex()
    subject = document["credentialSubject"]
    # Identity as the paper shows it: no personal identification number, no education id.
    assert _identity(document) == {
        "name": "Nguyễn Văn An", "ext:dateOfBirth": "2014-05-02", "ext:sex": "Nam",
        "ext:ethnicity": "Kinh",
    }  # fmt: skip
    assert "001214012345" not in row.document
    assert subject["reportCardSha256"] == version.sha256
    assert subject["schoolYear"] == "2025-2026" and subject["className"] == "6A1"
    assert "replaces" not in subject
    embedded = {c["credentialSubject"]["achievement"]["humanCode"]: c
                for c in subject["verifiableCredential"]}  # fmt: skip
    assert _results(embedded["TOAN"]) == {
        "score": "8.6", "term_1": "7.9", "term_2": "9.0",
        "comment_term_1": "Chăm chỉ, tiến bộ (TOAN HK1)",
        "comment_term_2": "Chăm chỉ, tiến bộ (TOAN HK2)",
    }  # fmt: skip
    assert _results(embedded["GDTC"])["assessment"] == "Đạt"
    assert _results(embedded["year"]) == {
        "learning": "Tốt", "conduct": "Tốt", "outcome": "Được lên lớp",
        "learning_term_1": "Tốt", "learning_term_2": "Tốt",
        "conduct_term_1": "Tốt", "conduct_term_2": "Tốt",
        "days_absent_term_1": "2", "days_absent_term_2": "1", "days_absent": "3",
        "award": "Học sinh Giỏi",
    }  # fmt: skip
    assert {a["associationType"] for a in subject["association"]} == {"isPartOf"}
    [evidence] = document["evidence"]
    checked = version.content["checked"]
    assert (evidence["checkedBy"], evidence["checkedAt"]) == ("gv_a1", checked["at"])
    assert [e["statusPurpose"] for e in document["credentialStatus"]] == [
        "revocation", "suspension"]  # fmt: skip
    found = verify.verify_document(row.document)
    assert (found.answer, found.credential_id) == ("valid", row.credential_id)
    assert (found.shown.kind, found.shown.holder_name) == ("report_card", "Nguyễn Văn An")
    assert verify.verify_qr(row.qr_text).answer == "valid"
    [entry] = LogEntry.objects.filter(event="credential.issue")
    body = json.loads(entry.body)
    assert (body["credential"], body["hash"], body["type"]) == (
        row.credential_id, row.document_hash, "report_card")  # fmt: skip
    assert log_check().ok


def test_a_flipped_byte_is_altered(approved):
    row = ReportCardCredential.objects.get()
    raw = bytearray(row.document.encode())
    raw[raw.index(b"Nguy") + 1] ^= 0x01
    assert verify.verify_document(raw.decode()).answer == "altered"
    changed = row.document.replace('"value": "8.6"', '"value": "9.6"')
    assert changed != row.document
    assert verify.verify_document(changed).answer == "altered"


def test_an_amendment_issues_a_new_credential_and_the_old_one_is_superseded(world, approved):
    old = ReportCardCredential.objects.get()
    services.report_card_set_remark(actor=world.principal_a, report_card=approved,
                                    kind="homeroom", text="Ngoan, học tốt",
                                    reason="Bổ sung nhận xét")  # fmt: skip
    card = ReportCard.objects.get(pk=approved.pk)
    assert card.status == "draft"
    # Until the amended version is approved, the old credential stays the valid one.
    assert verify.verify_document(old.document).answer == "valid"
    services.report_card_mark_ready(actor=world.teacher_a1_user, report_card=card)
    services.report_card_approve(actor=world.principal_a, report_card=card)
    card = ReportCard.objects.select_related("approved_version").get(pk=card.pk)
    new = ReportCardCredential.objects.get(version=card.approved_version)
    old.refresh_from_db()
    assert new.previous == old and ReportCardCredential.objects.count() == 2
    assert json.loads(new.document)["credentialSubject"]["replaces"] == old.credential_id
    assert old.status == CredentialStatus.REVOKED
    assert old.status_reason == (
        f"Thay bằng học bạ số {new.credential_id} (phiên bản {card.approved_version.number} "
        "đã duyệt)."
    )
    year = {c["credentialSubject"]["achievement"]["humanCode"]: c for c in json.loads(
        new.document)["credentialSubject"]["verifiableCredential"]}["year"]  # fmt: skip
    assert _results(year)["homeroom_remark"] == "Ngoan, học tốt"
    found = verify.verify_document(old.document)
    assert (found.answer, found.reason) == ("revoked", "superseded")
    assert verify.verify_qr(old.qr_text).answer == "revoked"
    assert verify.verify_document(new.document).answer == "valid"
    events = list(LogEntry.objects.order_by("index").values_list("event", flat=True))
    assert events[-2:] == ["credential.issue", "credential.revoke"]
    assert log_check().ok


def test_approval_without_a_signing_key_is_refused_and_nothing_changes(world):
    from truongso.credentials.models import IssuerKey

    IssuerKey.objects.filter(institution=world.school_a).update(valid_to="2025-01-01T00:00Z")
    fill(world.class_a1)
    services.report_cards_generate(actor=world.teacher_a1_user, school_class=world.class_a1)
    card = ReportCard.objects.get(learner=world.learner_an)
    services.report_card_mark_ready(actor=world.teacher_a1_user, report_card=card)
    with pytest.raises(ValidationError) as error:
        services.report_card_approve(actor=world.principal_a, report_card=card)
    assert "chưa có khóa ký văn bằng đang hiệu lực" in error.value.messages[0]
    card.refresh_from_db()
    assert card.status == "ready" and card.approved_version_id is None
    assert not ReportCardCredential.objects.exists()


def test_guardian_sees_the_signed_status(world, approved, client):
    row = ReportCardCredential.objects.get()
    client.force_login(world.guardian_an_user)
    page = client.get(f"/report-cards/{approved.pk}/").content.decode()
    assert "Đã ký số" in page and row.credential_id in page
    draft = client.get(f"/report-cards/{approved.pk}/?v=1").content.decode()
    assert "Đã ký số" not in draft


def test_pdf_carries_the_qr_and_the_page_and_api_answer(world, approved, client):
    row = ReportCardCredential.objects.get()
    pdf = report_card_pdf(approved.approved_version)
    assert row.qr_text.encode() in pdf
    assert report_card_pdf(approved.approved_version) == pdf
    response = client.post("/verify/", {"way": "qr", "qr": row.qr_text})
    page = response.content.decode()
    assert re.search(r'<section class="verify-answer valid"', page)
    block = page[page.index('<section class="verify-answer') : page.index("</section>")]
    assert "Học bạ năm học 2025-2026 — lớp 6A1" in block and "Nguyễn Văn An" in block
    assert "001214012345" not in block and "Kinh" not in block
    upload = SimpleUploadedFile("hoc-ba.pdf", pdf, content_type="application/pdf")
    response = client.post("/verify/", {"way": "file", "document": upload})
    assert re.search(r'<section class="verify-answer valid"', response.content.decode())
    body = client.post(API, {"credential": row.document}, content_type="application/json").json()
    assert (body["answer"], body["credential_id"]) == ("valid", row.credential_id)
    assert body["credential"] == {
        "title": "Học bạ năm học 2025-2026 — lớp 6A1", "issuer_name": "Trường THCS Ba Đình",
        "holder_name": "Nguyễn Văn An", "date_of_birth": "2014-05-02",
        "issue_date": row.signed_at.date().isoformat(), "diploma_number": "",
        "register_number": "", "classification": "", "field_of_study": "",
        "kind": "report_card",
    }  # fmt: skip
