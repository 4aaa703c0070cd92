"""Pages of report cards: who sees what, the workflow through the pages, the PDF, the
progress of a background run, the exports."""

import pytest

from tests.reportcards.gradebook import fill
from truongso.reportcards import services
from truongso.reportcards.models import ReportCard, ReportCardCopy


@pytest.fixture
def cards(world):
    fill(world.class_a1)
    services.report_cards_generate(actor=world.principal_a, school_class=world.class_a1)
    return {c.learner_id: c for c in ReportCard.objects.filter(school_class=world.class_a1)}


def test_parent_sees_only_their_child(world, cards, client):
    client.force_login(world.guardian_an_user)
    home = client.get("/report-cards/").content.decode()
    assert "Nguyễn Văn An" in home and "Trần Thị Bình" not in home
    mine = cards[world.learner_an.pk]
    assert client.get(f"/report-cards/{mine.pk}/").status_code == 200
    other = cards[world.learner_binh.pk]
    assert client.get(f"/report-cards/{other.pk}/").status_code == 404
    assert client.get(f"/report-cards/{other.pk}/pdf/").status_code == 404
    assert client.get(f"/report-cards/class/{world.class_a1.pk}/").status_code == 404
    response = client.get(f"/report-cards/{mine.pk}/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert ReportCardCopy.objects.get().issued_by == world.guardian_an_user


def test_class_page_bulk_ready_then_principal_approves(world, cards, client):
    client.force_login(world.teacher_a1_user)
    page = client.get(f"/report-cards/class/{world.class_a1.pk}/").content.decode()
    assert "Học bạ lớp 6A1, năm học 2025-2026" in page
    response = client.post(f"/report-cards/class/{world.class_a1.pk}/",
                           {"action": "ready", "all": "1"}, follow=True)  # fmt: skip
    assert "Đã đánh dấu 3 học bạ là đã kiểm tra." in response.content.decode()
    # The teacher cannot approve, even by posting.
    client.post(f"/report-cards/class/{world.class_a1.pk}/", {"action": "approve", "all": "1"})
    assert set(ReportCard.objects.values_list("status", flat=True)) == {"ready"}
    client.force_login(world.principal_a)
    one = cards[world.learner_an.pk]
    response = client.post(f"/report-cards/class/{world.class_a1.pk}/",
                           {"action": "approve", "card": [one.pk]}, follow=True)  # fmt: skip
    assert "Đã duyệt 1 học bạ." in response.content.decode()
    assert ReportCard.objects.get(pk=one.pk).status == "approved"


def test_other_teacher_and_office(world, cards, client):
    client.force_login(world.teacher_a2_user)
    assert client.get(f"/report-cards/class/{world.class_a1.pk}/").status_code == 404
    client.force_login(world.province_p1)
    card = cards[world.learner_an.pk]
    page = client.get(f"/report-cards/{card.pk}/").content.decode()
    assert "Duyệt học bạ" not in page
    client.post(f"/report-cards/{card.pk}/", {"action": "ready"})
    assert ReportCard.objects.get(pk=card.pk).status == "draft"
    assert "Trường THCS Ba Đình" in client.get("/report-cards/").content.decode()


def test_job_page_progress_and_download(world, client):
    fill(world.class_a1)
    client.force_login(world.teacher_a1_user)
    response = client.post(f"/report-cards/class/{world.class_a1.pk}/", {"action": "generate"})
    assert response.status_code == 302
    job_url = response["Location"]
    progress = client.get(job_url + "progress/").json()
    assert progress == {"status": "done", "status_label": "Xong", "rows_done": 3,
                        "rows_total": 3, "percent": 100, "running": False}  # fmt: skip
    assert "Tải tệp PDF (.zip)" in client.get(job_url).content.decode()
    download = client.get(job_url + "download/")
    assert download.status_code == 200
    client.force_login(world.principal_b)
    assert client.get(job_url).status_code == 404


def test_exports(world, cards, client):
    client.force_login(world.principal_a)
    response = client.get(f"/report-cards/class/{world.class_a1.pk}/report-cards.xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    response = client.get(f"/report-cards/school/{world.school_a.pk}/classes.xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    page = client.get(f"/report-cards/school/{world.school_a.pk}/").content.decode()
    assert "6A1" in page
