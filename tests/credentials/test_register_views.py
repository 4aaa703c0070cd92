import json

import pytest

from tests.credentials.factories import candidate, issue, keys_for
from truongso.credentials.models import Credential, CredentialStatus, IssuanceBatch


@pytest.fixture
def keyed(world):
    keys_for(world)
    return world


def test_register_page_is_scoped(keyed, client):
    [a] = issue(keyed)
    [b] = issue(keyed, candidate("Đỗ Thị Hạnh"), school=keyed.school_b)
    client.force_login(keyed.province_p1)
    page = client.get("/credentials/").content.decode()
    assert a.diploma_number in page and b.diploma_number not in page
    assert client.get(f"/credentials/{b.pk}/").status_code == 404
    assert client.get(f"/credentials/{a.pk}/").status_code == 200
    assert client.get(f"/credentials/{a.pk}/revoke/").status_code == 404  # read only
    client.force_login(keyed.teacher_a1_user)
    assert client.get(f"/credentials/{a.pk}/").status_code == 404
    assert client.get(f"/credentials/{a.pk}/credential.json").status_code == 404
    client.logout()
    assert client.get("/credentials/").status_code == 302


def test_principal_revokes_from_the_page(keyed, client):
    [a] = issue(keyed)
    client.force_login(keyed.principal_a)
    page = client.get(f"/credentials/{a.pk}/").content.decode()
    assert "Thu hồi, hủy bỏ" in page
    response = client.post(f"/credentials/{a.pk}/revoke/", {"reason": ""})
    assert response.status_code == 200  # the reason is required
    response = client.post(f"/credentials/{a.pk}/revoke/", {"reason": "Gian lận"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == CredentialStatus.REVOKED
    download = client.get(f"/credentials/{a.pk}/credential.json")
    assert json.loads(download.content)["id"] == a.credential_id
    assert "attachment" in download["Content-Disposition"]
    svg = client.get(f"/credentials/{a.pk}/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    client.force_login(keyed.staff_a)
    assert client.get(f"/credentials/{a.pk}/suspend/").status_code == 404


def test_issue_from_a_file_through_the_pages(keyed, client):
    client.force_login(keyed.principal_a)
    assert client.get("/credentials/issue/").status_code == 200
    csv = "Họ và tên,Ngày sinh,Xếp loại\nLê Thị Hoa,12/03/2010,Giỏi\nBùi Văn Tú,01/01/2010,Khá\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/credentials/issue/", {
        "institution": keyed.school_a.pk, "credential_type": _type_id("lower_secondary_diploma"),
        "issue_date": "2025-06-30", "graduation_year": 2025, "signer_name": "Nguyễn Văn Hùng",
        "signer_title": "Hiệu trưởng",
        "upload": SimpleUploadedFile("ds.csv", csv.encode(), content_type="text/csv"),
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    batch = IssuanceBatch.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "Lê Thị Hoa" in page and "Ký và cấp 2 văn bằng" in page
    client.force_login(keyed.principal_b)
    assert client.post(response["Location"], {"action": "issue"}).status_code == 404
    client.force_login(keyed.principal_a)
    response = client.post(response["Location"], {"action": "issue"})
    assert response.status_code == 302
    assert sorted(Credential.objects.values_list("holder_name", flat=True)) == [
        "Bùi Văn Tú",
        "Lê Thị Hoa",
    ]
    batch.refresh_from_db()
    assert batch.state == "issued"


def test_issue_page_is_for_principals(keyed, client):
    for user in (keyed.staff_a, keyed.province_p1, keyed.teacher_a1_user):
        client.force_login(user)
        assert client.get("/credentials/issue/").status_code == 403


def _type_id(code):
    from truongso.credentials.models import CredentialType

    return CredentialType.objects.get(code=code).pk


def test_issue_from_a_class_in_the_background(keyed, client, monkeypatch):
    from truongso.credentials import views
    from truongso.units.models import InstitutionKind

    keyed.school_a.kind = InstitutionKind.UPPER_SECONDARY
    keyed.school_a.save(update_fields=["kind"])
    monkeypatch.setattr(views, "BACKGROUND_ROWS", 2)  # three learners: the worker issues them
    client.force_login(keyed.principal_a)
    response = client.post("/credentials/issue/", {
        "institution": keyed.school_a.pk, "credential_type": _type_id("upper_secondary_diploma"),
        "issue_date": "2025-07-15", "graduation_year": 2025, "signer_name": "Nguyễn Văn Hùng",
        "signer_title": "Hiệu trưởng", "school_class": keyed.class_a1.pk,
    })  # fmt: skip
    assert response.status_code == 302
    batch = IssuanceBatch.objects.get()
    assert batch.source == "Lớp 6A1" and batch.problems == []
    response = client.post(response["Location"], {"action": "issue"})
    assert response.status_code == 302
    names = sorted(Credential.objects.values_list("holder_name", flat=True))
    assert names == ["Lê Đức Cường", "Nguyễn Văn An", "Trần Thị Bình"]
    assert set(Credential.objects.values_list("learner__current_class", flat=True)) == {
        keyed.class_a1.pk
    }
    assert Credential.objects.filter(diploma_number__startswith="01T25").count() == 3


def test_issue_form_needs_a_file_or_a_class(keyed, client):
    client.force_login(keyed.principal_a)
    response = client.post("/credentials/issue/", {
        "institution": keyed.school_a.pk, "credential_type": _type_id("lower_secondary_diploma"),
        "issue_date": "2025-06-30", "graduation_year": 2025, "signer_name": "A",
        "signer_title": "Hiệu trưởng",
    })  # fmt: skip
    assert response.status_code == 200
    assert "Hãy tải lên một tệp danh sách hoặc chọn một lớp." in response.content.decode()
