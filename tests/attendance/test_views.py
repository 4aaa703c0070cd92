import datetime as dt
import io

from openpyxl import load_workbook

from tests.world import PASSWORD
from truongso.attendance.models import AttendanceMark, AttendanceStatus
from truongso.attendance.services import attendance_take


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_take_page_lists_learners_and_saves(world, client):
    _login(client, world.teacher_a1_user)
    url = f"/attendance/class/{world.class_a1.pk}/"
    page = client.get(url, {"date": "2025-10-06"})
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('type="radio"') == 12
    assert "Nguyễn Văn An" in html
    response = client.post(url, {
        "date": "2025-10-06",
        f"s_{world.learner_an.pk}": AttendanceStatus.ABSENT_EXCUSED,
        f"s_{world.learner_binh.pk}": "present",
        f"s_{world.learner_cuong.pk}": AttendanceStatus.LATE,
    })  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == f"{url}?date=2025-10-06"
    assert dict(AttendanceMark.objects.values_list("learner_id", "status")) == {
        world.learner_an.pk: AttendanceStatus.ABSENT_EXCUSED,
        world.learner_cuong.pk: AttendanceStatus.LATE,
    }
    page = client.get(url, {"date": "2025-10-06"}).content.decode()
    assert f'name="s_{world.learner_an.pk}" value="absent_excused" checked' in page


def test_take_page_refuses_future_and_other_class(world, client):
    _login(client, world.teacher_a1_user)
    future = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    url = f"/attendance/class/{world.class_a1.pk}/"
    response = client.post(url, {"date": future, f"s_{world.learner_an.pk}": "late"})
    assert response.status_code == 200
    assert "tương lai" in response.content.decode()
    assert AttendanceMark.objects.count() == 0
    other = f"/attendance/class/{world.class_a2.pk}/"
    assert client.get(other).status_code == 404
    assert client.post(other, {"date": "2025-10-06"}).status_code == 404
    assert client.get(f"/attendance/class/{world.class_a2.pk}/month/").status_code == 404
    assert client.get(f"/attendance/school/{world.school_a.pk}/month/").status_code == 403
    assert client.get(f"/attendance/school/{world.school_a.pk}/alerts/").status_code == 403


def test_other_school_gets_404(world, client):
    _login(client, world.principal_b)
    assert client.get(f"/attendance/class/{world.class_a1.pk}/").status_code == 404
    assert client.get(f"/attendance/class/{world.class_a1.pk}/month.xlsx").status_code == 404
    assert client.get(f"/attendance/school/{world.school_a.pk}/month/").status_code == 404


def test_office_reads_but_cannot_save(world, client):
    _login(client, world.province_p1)
    url = f"/attendance/class/{world.class_a1.pk}/"
    page = client.get(url, {"date": "2025-10-06"}).content.decode()
    assert "Lưu điểm danh" not in page
    assert client.post(url, {"date": "2025-10-06"}).status_code == 403


def test_month_pages_and_export_numbers(world, client):
    t = world.teacher_a1_user
    attendance_take(actor=t, school_class=world.class_a1, day=dt.date(2025, 10, 6),
                    marks={world.learner_an.pk: AttendanceStatus.ABSENT_EXCUSED,
                           world.learner_binh.pk: AttendanceStatus.LATE})  # fmt: skip
    attendance_take(actor=t, school_class=world.class_a1, day=dt.date(2025, 10, 7),
                    marks={world.learner_an.pk: AttendanceStatus.ABSENT_UNEXCUSED})  # fmt: skip
    _login(client, world.principal_a)
    page = client.get(f"/attendance/class/{world.class_a1.pk}/month/", {"month": "2025-10"})
    assert page.status_code == 200
    assert "66.7%" in page.content.decode() or "66,7%" in page.content.decode()
    school = client.get(f"/attendance/school/{world.school_a.pk}/month/", {"month": "2025-10"})
    assert school.status_code == 200
    assert "6A2" in school.content.decode()
    assert client.get(f"/attendance/school/{world.school_a.pk}/alerts/").status_code == 200
    response = client.get(f"/attendance/class/{world.class_a1.pk}/month.xlsx", {"month": "2025-10"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[1][:2] == ["Số ngày đã điểm danh", 2]
    body = {r[2]: r[3:7] for r in rows[4:8]}
    assert body == {
        "Nguyễn Văn An": [1, 1, 2, 0],
        "Trần Thị Bình": [0, 0, 0, 1],
        "Lê Đức Cường": [0, 0, 0, 0],
        "Cả lớp": [1, 1, 2, 1],
    }
    assert rows[-1] == ["Tỉ lệ chuyên cần (%)", 66.7, None, None, None, None, None]


def test_school_export_numbers(world, client):
    attendance_take(actor=world.teacher_a1_user, school_class=world.class_a1,
                    day=dt.date(2025, 10, 6),
                    marks={world.learner_an.pk: AttendanceStatus.ABSENT_EXCUSED})  # fmt: skip
    attendance_take(actor=world.teacher_a2_user, school_class=world.class_a2,
                    day=dt.date(2025, 10, 6),
                    marks={world.learner_dung.pk: AttendanceStatus.ABSENT_UNEXCUSED,
                           world.learner_em.pk: AttendanceStatus.LATE})  # fmt: skip
    attendance_take(actor=world.teacher_a2_user, school_class=world.class_a2,
                    day=dt.date(2025, 10, 7), marks={})  # fmt: skip
    _login(client, world.teacher_a1_user)
    url = f"/attendance/school/{world.school_a.pk}/month.xlsx"
    assert client.get(url, {"month": "2025-10"}).status_code == 403
    client.logout()
    _login(client, world.principal_a)
    response = client.get(url, {"month": "2025-10"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in ws.iter_rows(min_row=4, values_only=True)]
    # 6A1: 1 day × 3 learners, 1 absent; 6A2: 2 days × 3 learners, 1 absent.
    assert rows == [
        ["6A1", 3, 1, 1, 0, 0, 66.7],
        ["6A2", 3, 2, 0, 1, 1, 83.3],
        ["Toàn trường", 6, None, 1, 1, 1, 77.8],
    ]
