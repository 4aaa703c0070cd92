import io

from openpyxl import load_workbook

from truongso.training.models import StaffAppraisal, TrainingRecord


def _rows(response):
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)
                                  if response.streaming else response.content))  # fmt: skip
    return list(wb.active.iter_rows(values_only=True))


def test_home_sends_each_role_to_its_page(client, trained):
    w = trained
    client.force_login(w.principal_a)
    assert client.get("/training/").url == f"/training/school/{w.school_a.pk}/"
    client.force_login(w.province_p1)
    assert client.get("/training/").url == "/training/summary/"
    client.force_login(w.teacher_a1_user)
    assert client.get("/training/").url == f"/training/staff/{w.teacher_a1.pk}/"


def test_school_page_lists_and_exports(client, trained):
    w = trained
    client.force_login(w.principal_a)
    page = client.get(f"/training/school/{w.school_a.pk}/?kind=digital_skills")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Kỹ năng số cho giáo viên" in text and "Chương trình GDPT 2018" not in text
    assert "50,0%" in text  # Vietnamese decimal comma
    rows = _rows(client.get(f"/training/school/{w.school_a.pk}/records.xlsx?kind=digital_skills"))
    assert len(rows) == 4  # header + 3 records
    assert rows[0][:4] == ("STT", "Họ và tên", "Trường", "Khóa bồi dưỡng")
    # School B's page and records are not school A's business.
    assert client.get(f"/training/school/{w.school_b.pk}/").status_code == 404
    assert client.get(f"/training/staff/{w.teacher_b.pk}/").status_code == 404
    assert client.get(f"/training/record/{w.rec_lan.pk}/").status_code == 404


def test_teacher_sees_own_history_only(client, trained):
    w = trained
    client.force_login(w.teacher_a1_user)
    page = client.get(f"/training/staff/{w.teacher_a1.pk}/")
    assert page.status_code == 200 and "Soạn bài giảng điện tử" in page.content.decode()
    assert client.get(f"/training/staff/{w.teacher_a2.pk}/").status_code == 404
    assert client.get(f"/training/school/{w.school_a.pk}/").status_code == 403
    assert client.get(f"/training/staff/{w.teacher_a1.pk}/new/").status_code == 403


def test_record_entry_with_errors_then_saved(client, world):
    client.force_login(world.staff_a)
    url = f"/training/staff/{world.teacher_a2.pk}/new/"
    data = {"course": "Kỹ năng số", "provider": "Trường ĐHSP", "starts_on": "2025-11-10",
            "ends_on": "2025-11-01", "hours": "20", "digital_skills": "on"}  # fmt: skip
    bad = client.post(url, data)
    assert bad.status_code == 400
    assert "Ngày kết thúc (01/11/2025) trước ngày bắt đầu (10/11/2025)." in bad.content.decode()
    assert TrainingRecord.objects.count() == 0
    good = client.post(url, data | {"ends_on": "2025-11-12"})
    assert good.status_code == 302
    rec = TrainingRecord.objects.get()
    assert (rec.staff_member, rec.hours, rec.digital_skills, rec.professional) == (
        world.teacher_a2, 20, True, False)  # fmt: skip


def test_appraisal_entry_and_export(client, trained):
    w = trained
    client.force_login(w.principal_a)
    url = f"/training/school/{w.school_a.pk}/appraisals/?year={w.year.pk}"
    assert client.get(url).status_code == 200
    response = client.post(url, {"year": w.year.pk, f"s-{w.teacher_a1.pk}": "tot",
                                 f"r-{w.teacher_a1.pk}": "xuat_sac",
                                 f"s-{w.teacher_a2.pk}": "dat"})  # fmt: skip
    assert response.status_code == 302
    saved = StaffAppraisal.objects.values_list("professional_standard", "official_rating")
    assert sorted(saved) == [("dat", ""), ("tot", "xuat_sac")]
    rows = _rows(client.get(f"/training/school/{w.school_a.pk}/appraisals.xlsx?year={w.year.pk}"))
    by_name = {r[1]: r for r in rows[2:]}
    assert by_name["Trần Thị Hoa"][3:5] == ("Tốt", "Hoàn thành xuất sắc nhiệm vụ")
    assert by_name["Ngô Thị Kế"][3:5] == (None, None)
    client.force_login(w.province_p1)
    assert client.post(url, {"year": w.year.pk}).status_code == 403


def test_summary_page_and_export(client, trained):
    w = trained
    client.force_login(w.ministry)
    page = client.get(f"/training/summary/?year={w.year.pk}")
    assert page.status_code == 200 and "66,7%" in page.content.decode()
    rows = _rows(client.get(f"/training/summary.xlsx?year={w.year.pk}"))
    assert rows[-1][:7] == ("Tổng cộng", 5, 3, 9, 3, 2, 66.7)
    client.force_login(w.teacher_a1_user)
    assert client.get("/training/summary/").status_code == 403
