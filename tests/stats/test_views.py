import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from tests.stats.conftest import approved
from tests.world import PASSWORD
from truongso.stats import services
from truongso.stats.models import PopulationFigure, Report


def _client(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def test_dashboard_of_a_province_and_drill_down(client, world, boy):
    approved(world, world.school_a, boy, world.principal_a, world.province_p1)
    approved(world, world.school_b, boy, world.principal_b, world.province_p2)
    c = _client(client, world.province_p1)
    page = c.get("/statistics/dashboard/").content.decode()
    assert 'data-figure="learners">6<' in page
    assert "Phường Ba Đình" in page and "Sài Gòn" not in page
    assert "<svg" in page
    page = c.get(f"/statistics/dashboard/?unit={world.c1.pk}").content.decode()
    assert "Trường THCS Ba Đình" in page
    page = c.get(f"/statistics/dashboard/?institution={world.school_a.pk}").content.decode()
    assert 'data-figure="learners">6<' in page
    assert c.get(f"/statistics/dashboard/?unit={world.p2.pk}").status_code == 404
    assert c.get(f"/statistics/dashboard/?institution={world.school_b.pk}").status_code == 404


def test_school_prepares_fills_in_and_submits_on_the_pages(client, world, boy):
    c = _client(client, world.principal_a)
    assert "Lập báo cáo" in c.get("/statistics/").content.decode()
    response = c.post(f"/statistics/rounds/{boy.pk}/prepare/",
                      {"institution": world.school_a.pk})  # fmt: skip
    report = Report.objects.get(institution=world.school_a)
    assert response.url == f"/statistics/reports/{report.pk}/"
    page = c.get(response.url).content.decode()
    assert "Số học sinh" in page and "Khối 6" in page and "Số liệu nhập tay" in page
    response = c.post(f"/statistics/reports/{report.pk}/manual/",
                      {"m_institutions.two_sessions": "abc"}, follow=True)  # fmt: skip
    assert "Trường dạy 2 buổi/ngày: cần một số nguyên không âm, đã nhập “abc”." in (
        response.content.decode()
    )
    c.post(f"/statistics/reports/{report.pk}/manual/", {"m_institutions.two_sessions": "1"})
    report.refresh_from_db()
    assert report.manual == {"institutions.two_sessions": 1}
    assert report.values["institutions.two_sessions"] == {"": 1}
    c.post(f"/statistics/reports/{report.pk}/submit/")
    report.refresh_from_db()
    assert report.status == "submitted"
    # The province office returns it with a reason.
    office = _client(client, world.province_p1)
    office.post(f"/statistics/reports/{report.pk}/return/", {"reason": "Thiếu lớp"})
    report.refresh_from_db()
    assert (report.status, report.return_reason) == ("returned", "Thiếu lớp")


def test_round_completeness_and_exports(client, world, boy):
    report = approved(world, world.school_a, boy, world.principal_a, world.province_p1)
    c = _client(client, world.province_p1)
    page = c.get(f"/statistics/rounds/{boy.pk}/").content.decode()
    assert "Trường THCS Ba Đình" in page and "Trường Tiểu học Kim Đồng" in page
    assert "Chưa lập" in page and "Sài Gòn" not in page
    book = load_workbook(io.BytesIO(c.get(f"/statistics/reports/{report.pk}/report.xlsx").content))
    rows = [[c for c in r if c is not None] for r in book.active.iter_rows(values_only=True)]
    at = rows.index(["learners.by_grade — Số học sinh"])
    assert rows[at + 1] == ["Tổng số", "Nữ", "Dân tộc thiểu số", "Nữ dân tộc thiểu số",
                            "Khuyết tật"]  # fmt: skip
    assert rows[at + 2] == ["Khối 6", 6, 3, 0, 0, 0]
    book = load_workbook(io.BytesIO(
        c.get(f"/statistics/rounds/{boy.pk}/completeness.xlsx").content))  # fmt: skip
    assert [r[1] for r in book.active.iter_rows(min_row=4, values_only=True)] == [
        "Trường THCS Ba Đình", "Trường Tiểu học Kim Đồng"]  # fmt: skip


def test_dhis2_data_value_set(client, world, boy):
    report = approved(world, world.school_a, boy, world.principal_a, world.province_p1)
    data = json.loads(_client(client, world.principal_a)
                      .get(f"/statistics/reports/{report.pk}/dhis2.json").content)  # fmt: skip
    assert (data["dataSet"], data["period"], data["orgUnit"]) == ("TRUONGSO_BOY", "2025",
                                                                  "01000001")  # fmt: skip
    values = {(v["dataElement"], v["categoryOptionCombo"]): v["value"] for v in data["dataValues"]}
    assert values[("TS2105", "grade6_total")] == "6"
    assert values[("TS2105", "grade6_female")] == "3"
    assert values[("TS2105", "total")] == "6"
    assert values[("TS2102", "grade6_total")] == "2"
    assert values[("learners.without_class", "default")] == "0"
    assert set(data["dataValues"][0]) == {"dataElement", "period", "orgUnit",
                                          "categoryOptionCombo", "value"}  # fmt: skip


def test_population_upload_reports_row_and_column_and_writes_nothing_on_error(client, world):
    c = _client(client, world.province_p1)
    bad = "Mã đơn vị,Năm,Tuổi,Nam,Nữ\n01,2025,6,100,90\n01,2025,x,1,1\n79,2025,7,5,5\n"
    page = c.post("/statistics/population/", {
        "file": SimpleUploadedFile("dan-so.csv", bad.encode())}).content.decode()  # fmt: skip
    assert "Dòng 3, cột C: cần một số nguyên không âm, đã có “x”." in page
    assert "Dòng 4, cột A: đơn vị Thành phố Hồ Chí Minh không thuộc phạm vi quản lý" in page
    assert PopulationFigure.objects.count() == 0
    good = "Mã đơn vị,Năm,Tuổi,Nam,Nữ\n01,2025,6,100,90\n01,2025,7,80,85\n"
    c.post("/statistics/population/", {"file": SimpleUploadedFile("dan-so.csv", good.encode())})
    assert sorted(PopulationFigure.objects.values_list("unit__code", "age", "male", "female")) == [
        ("01", 6, 100, 90), ("01", 7, 80, 85)]  # fmt: skip
    # The list comes back as .xlsx in the layout it is loaded from.
    import io

    from openpyxl import load_workbook

    response = c.get("/statistics/population.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[:1] + r[2:] for r in rows] == [
        ("Mã đơn vị", "Năm", "Tuổi", "Nam", "Nữ"), ("01", 2025, 6, 100, 90),
        ("01", 2025, 7, 80, 85)]  # fmt: skip
    assert _client(client, world.principal_a).get("/statistics/population.xlsx").status_code == 403


def test_teacher_and_guardian_cannot_open_statistics(client, world, boy):
    for user in (world.teacher_a1_user, world.guardian_an_user):
        client.login(username=user.username, password=PASSWORD)
        assert client.get("/statistics/").status_code == 403
        assert client.get("/statistics/dashboard/").status_code == 403


def test_unit_report_page_for_the_ministry(client, world, boy):
    approved(world, world.school_a, boy, world.principal_a, world.province_p1)
    report = services.unit_report_prepare(actor=world.province_p1, unit=world.p1,
                                          report_round=boy)  # fmt: skip
    c = _client(client, world.province_p1)
    c.post(f"/statistics/reports/{report.pk}/submit/")
    m = _client(client, world.ministry)
    assert "Duyệt báo cáo" in m.get(f"/statistics/reports/{report.pk}/").content.decode()
    m.post(f"/statistics/reports/{report.pk}/approve/")
    report.refresh_from_db()
    assert report.status == "approved"


def test_api_lists_only_the_callers_reports(client, world, boy):
    approved(world, world.school_a, boy, world.principal_a, world.province_p1)
    approved(world, world.school_b, boy, world.principal_b, world.province_p2)
    c = _client(client, world.province_p2)
    data = c.get(f"/api/v1/statistics/reports?round_id={boy.pk}").json()
    assert [(r["owner"], r["version"], r["status"]) for r in data["items"]] == [
        ("Trường THCS Sài Gòn", 1, "approved")]  # fmt: skip
    assert data["items"][0]["values"]["classes.by_grade"] == {"6": 1}
    school_a = Report.objects.get(institution=world.school_a)
    assert c.get(f"/api/v1/statistics/reports/{school_a.pk}").status_code == 404
    dhis2 = c.get(f"/api/v1/statistics/reports/{data['items'][0]['id']}/dhis2").json()
    assert dhis2["orgUnit"] == "79000001"
    assert c.get("/api/v1/statistics/rounds").json()["items"][0]["form"] == "boy"
