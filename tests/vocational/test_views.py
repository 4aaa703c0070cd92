import io

from openpyxl import load_workbook

from tests.world import PASSWORD
from truongso.vocational import services
from truongso.vocational.models import Module, ModuleEnrolment, Programme


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _sheet_url(v, module):
    return f"/vocational/cohort/{v.cohort.pk}/module/{module.pk}/"


def _rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_home_lists_programmes_in_scope(voc, client):
    _login(client, voc.principal)
    html = client.get("/vocational/").content.decode()
    assert "Công nghệ thông tin" in html
    assert "Tin học ứng dụng" not in html
    _login(client, voc.world.province_p2)
    html = client.get("/vocational/").content.decode()
    assert "Tin học ứng dụng" in html and "Công nghệ thông tin" not in html
    rows = _rows(client.get("/vocational/programmes.xlsx"))
    assert rows[0][:3] == ["STT", "Mã ngành, nghề", "Tên ngành, nghề"]
    assert rows[1][1:3] == ["5480202", "Tin học ứng dụng"]
    assert len(rows) == 2


def test_menu_shows_vocational_only_where_in_scope(voc, client):
    _login(client, voc.principal)
    assert 'href="/vocational/"' in client.get("/").content.decode()
    _login(client, voc.world.principal_a)
    assert 'href="/vocational/"' not in client.get("/").content.decode()


def test_other_institution_gets_404_and_office_cannot_write(voc, client):
    _login(client, voc.principal_b)
    for url in (
        f"/vocational/programme/{voc.programme.pk}/",
        f"/vocational/programme/{voc.programme.pk}/modules.xlsx",
        f"/vocational/cohort/{voc.cohort.pk}/",
        f"/vocational/cohort/{voc.cohort.pk}/graduation/",
        _sheet_url(voc, voc.m1),
        f"/vocational/cohort/{voc.cohort.pk}/learner/{voc.an.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    _login(client, voc.world.province_p1)
    assert client.get(f"/vocational/programme/{voc.programme.pk}/").status_code == 200
    response = client.post(f"/vocational/programme/{voc.programme.pk}/", {
        "action": "module", "code": "X", "name": "X", "credits": 1, "semester": 1,
        "theory_hours": 0, "practice_hours": 0})  # fmt: skip
    assert response.status_code == 403
    assert Module.objects.filter(code="X").count() == 0


def test_manager_creates_programme_and_module(voc, client):
    _login(client, voc.principal)
    response = client.post("/vocational/", {
        "institution": voc.college.pk, "code": "6520227", "name": "Điện công nghiệp",
        "level": "college", "mode": "credit", "duration_semesters": 6,
        "required_credits": 90})  # fmt: skip
    programme = Programme.objects.get(code="6520227")
    assert response.status_code == 302
    assert programme.rule_set.label == "tt04-2022@1"
    response = client.post(f"/vocational/programme/{programme.pk}/", {
        "action": "module", "code": "MH01", "name": "Chính trị", "credits": 2,
        "theory_hours": 30, "practice_hours": 0, "semester": 9})  # fmt: skip
    assert response.status_code == 200
    assert "Học kỳ dự kiến phải từ 1 đến 6." in response.content.decode()
    assert programme.modules.count() == 0


def test_score_entry_keeps_bad_cells_and_saves_nothing(voc, client):
    services.cohort_enrol_semester(actor=voc.principal, cohort=voc.cohort, semester=1)
    an = ModuleEnrolment.objects.get(learner=voc.an, module=voc.m1)
    binh = ModuleEnrolment.objects.get(learner=voc.binh, module=voc.m1)
    cuong = ModuleEnrolment.objects.get(learner=voc.cuong, module=voc.m1)
    _login(client, voc.principal)
    url = _sheet_url(voc, voc.m1)
    page = client.get(url).content.decode()
    assert page.count('class="voc-score"') == 3
    response = client.post(url, {f"score_{an.pk}": "8.5", f"score_{binh.pk}": "11",
                                 f"score_{cuong.pk}": ""})  # fmt: skip
    assert response.status_code == 400
    html = response.content.decode()
    assert "Trần Thị Bình (lần học 1): Điểm 11 nằm ngoài thang điểm 0–10." in html
    assert f'name="score_{binh.pk}" value="11"' in html
    assert f'name="score_{an.pk}" value="8.5"' in html
    assert ModuleEnrolment.objects.filter(score__isnull=False).count() == 0
    response = client.post(url, {f"score_{an.pk}": "8,5", f"score_{binh.pk}": "6.9",
                                 f"score_{cuong.pk}": ""})  # fmt: skip
    assert response.status_code == 302
    letters = ModuleEnrolment.objects.filter(module=voc.m1).values_list("learner_id", "letter")
    assert dict(letters) == {voc.an.pk: "A", voc.binh.pk: "C", voc.cuong.pk: ""}
    rows = _rows(client.get(f"{url}scores.xlsx"))
    assert rows[2] == ["STT", "Mã định danh", "Họ và tên", "Lần học", "Học kỳ", "Điểm (hệ 10)",
                       "Điểm chữ", "Điểm hệ 4"]  # fmt: skip
    assert rows[3][2:] == ["Lê Đức Cường", 1, 1, None, None, None]
    assert rows[4][2:] == ["Nguyễn Văn An", 1, 1, 8.5, "A", 4]


def test_office_reads_score_sheet_but_cannot_post(voc, client):
    services.cohort_enrol_semester(actor=voc.principal, cohort=voc.cohort, semester=1)
    an = ModuleEnrolment.objects.get(learner=voc.an, module=voc.m1)
    _login(client, voc.world.province_p1)
    url = _sheet_url(voc, voc.m1)
    assert client.get(url).status_code == 200
    assert client.post(url, {f"score_{an.pk}": "9"}).status_code == 403
    retake = f"/vocational/cohort/{voc.cohort.pk}/retake/{an.pk}/"
    assert client.post(retake, {"semester": 3}).status_code == 404


def test_retake_transcript_and_graduation_pages(voc, client):
    services.cohort_enrol_semester(actor=voc.principal, cohort=voc.cohort, semester=1)
    services.cohort_enrol_semester(actor=voc.principal, cohort=voc.cohort, semester=2)
    for module, value in ((voc.m1, "9"), (voc.m2, "9"), (voc.m3, "9"), (voc.m4, "3")):
        e = ModuleEnrolment.objects.get(learner=voc.an, module=module)
        services.module_scores_record(actor=voc.principal, cohort=voc.cohort, module=module,
                                      scores={e.pk: value})  # fmt: skip
    _login(client, voc.principal)
    first = ModuleEnrolment.objects.get(learner=voc.an, module=voc.m4)
    response = client.post(f"/vocational/cohort/{voc.cohort.pk}/retake/{first.pk}/",
                           {"semester": 3})  # fmt: skip
    assert response.status_code == 302
    second = ModuleEnrolment.objects.get(learner=voc.an, module=voc.m4, attempt=2)
    client.post(_sheet_url(voc, voc.m4), {f"score_{second.pk}": "8.5"})
    html = client.get(f"/vocational/cohort/{voc.cohort.pk}/learner/{voc.an.pk}/").content.decode()
    assert "<strong>4,00</strong>" in html  # shown in the Vietnamese number format
    assert "Giỏi" in html  # Xuất sắc blocked by the retake
    assert "hạ mức do có mô-đun phải học lại" in html
    assert "Đủ điều kiện tốt nghiệp" in html
    rows = _rows(client.get(f"/vocational/cohort/{voc.cohort.pk}/learner/{voc.an.pk}/"
                            "transcript.xlsx"))  # fmt: skip
    assert rows[-2][:6] == [None, None, "Xếp loại", None, None, "Giỏi"]
    page = client.get(f"/vocational/cohort/{voc.cohort.pk}/graduation/").content.decode()
    assert "1 người học đủ điều kiện tốt nghiệp." in page
    assert "Chưa đủ dữ liệu: thiếu điểm mô-đun MH01 Mô-đun MH01" in page
    rows = _rows(client.get(f"/vocational/cohort/{voc.cohort.pk}/graduation.xlsx?only=eligible"))
    assert rows[0][:8] == ["Họ và tên", "Ngày sinh", "Giới tính", "Nơi sinh", "Xếp loại", "Ngành",
                           "Ngành tiếng Anh", "Mã định danh"]  # fmt: skip
    assert len(rows) == 2
    assert rows[1][:6] == ["Nguyễn Văn An", "01/03/2005", "Nam", None, "Giỏi",
                           "Công nghệ thông tin"]  # fmt: skip


def test_cohort_page_adds_learners_by_identifier(voc, client):
    import datetime as dt

    from tests.vocational.conftest import _learner_plain

    new = _learner_plain(voc.college, "Phan Thị Dung", dt.date(2005, 2, 2), sex="F")
    _login(client, voc.principal)
    url = f"/vocational/cohort/{voc.cohort.pk}/"
    response = client.post(url, {"action": "learners",
                                 "education_ids": f"{new.education_id}\n99999999"})  # fmt: skip
    assert "Không có người học của trường (chưa thuộc lớp) với mã: 99999999." in (
        response.content.decode())  # fmt: skip
    assert voc.cohort.members.count() == 3
    response = client.post(url, {"action": "learners", "education_ids": new.education_id})
    assert response.status_code == 302
    assert voc.cohort.members.count() == 4
    response = client.post(url, {"action": "enrol", "semester": 1})
    assert response.status_code == 302
    assert ModuleEnrolment.objects.filter(cohort=voc.cohort).count() == 8
