import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.credentials.factories import candidate, issuance, issue, keys_for
from truongso.credentials import services
from truongso.credentials.pdf import credential_data


@pytest.fixture
def diploma(world):
    keys_for(world)
    [credential] = issue(world, candidate("Nguyễn Thị Thùy Dương", dt.date(2010, 5, 2), sex="F"))
    return credential


def test_pdf_carries_the_signed_qr_and_verifies_when_uploaded(diploma, world, client):
    client.force_login(world.principal_a)
    response = client.get(f"/credentials/{diploma.pk}/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    assert diploma.qr_text.encode() in pdf
    client.logout()
    upload = SimpleUploadedFile("van-bang.pdf", pdf, content_type="application/pdf")
    page = client.post("/verify/", {"way": "file", "document": upload}).content.decode()
    assert '<section class="verify-answer valid"' in page
    assert "Nguyễn Thị Thùy Dương" in page
    # A PDF whose QR text was changed does not pass.
    changed = re.sub(rb"VN1:[0-9A-Z]{5}", lambda m: m.group(0)[:-1] + b"0", pdf, count=1)
    upload = SimpleUploadedFile("van-bang.pdf", changed, content_type="application/pdf")
    page = client.post("/verify/", {"way": "file", "document": upload}).content.decode()
    assert '<section class="verify-answer valid"' not in page


def test_pdf_is_for_the_register_readers_only(diploma, world, client):
    client.force_login(world.principal_b)
    assert client.get(f"/credentials/{diploma.pk}/pdf").status_code == 404
    client.force_login(world.province_p1)
    assert client.get(f"/credentials/{diploma.pk}/pdf").status_code == 200


def test_what_the_pdf_prints(diploma, world):
    data = credential_data(diploma)
    assert data["holder_name"] == "Nguyễn Thị Thùy Dương"
    assert data["date_of_birth"] == "02/05/2010"
    assert data["sex"] == "Nữ"
    assert data["place"] == "Hà Nội"
    assert data["date_line"] == "ngày 30 tháng 06 năm 2025"
    number = diploma.diploma_number
    assert data["diploma_number_printed"] == f"{number[:5]} {number[5:12]} {number[12:]}"
    assert data["verify_url"] == "https://truongso.example/verify/"
    assert data["bilingual"] is False


def test_bilingual_vocational_pdf(db, world):
    from truongso.units.models import InstitutionKind

    world.school_b.kind = InstitutionKind.VOCATIONAL_INTERMEDIATE
    world.school_b.save(update_fields=["kind"])
    services.issuer_key_create(actor=world.principal_b, institution=world.school_b)
    [credential] = services.credential_issue(
        actor=world.principal_b, institution=world.school_b,
        issuance=issuance("vocational_intermediate_diploma"),
        candidates=[candidate(classification="Giỏi", field_of_study="Điện công nghiệp",
                              field_of_study_en="Industrial Electricity")],
    )  # fmt: skip
    data = credential_data(credential)
    assert data["bilingual"] is True
    assert data["name_en"] == "Intermediate Diploma"
    assert data["field_of_study"] == "Điện công nghiệp / Industrial Electricity"
    assert data["sex"] == "Nam / Male"
    assert data["date_line"] == "ngày 30 tháng 06 năm 2025 / 30 June 2025"
    assert credential.diploma_number.startswith("79TC25")
    from truongso.credentials.pdf import credential_pdf

    assert credential_pdf(credential).startswith(b"%PDF")
