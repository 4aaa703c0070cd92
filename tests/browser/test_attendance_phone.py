"""A homeroom teacher takes the attendance of 6A1 on a phone, without typing."""

import os
import re

import pytest
from playwright.sync_api import expect

from tests.world import PASSWORD

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("TRUONGSO_SCREENSHOTS", "")


def test_teacher_takes_attendance_on_a_phone(browser_world, live_server, page_for):
    from truongso.attendance.models import AttendanceMark

    w = browser_world
    page = page_for(360, 740)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Tên đăng nhập").fill("gv_a1")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")

    page.goto(f"{live_server.url}/classes/{w.class_a1.pk}/")
    page.get_by_role("link", name="Điểm danh", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Điểm danh lớp 6A1")
    page.get_by_label("Ngày").fill("2025-10-06")
    page.get_by_role("button", name="Xem").click()
    expect(page).to_have_url(re.compile(r"date=2025-10-06"))

    an = page.locator("fieldset", has_text="Nguyễn Văn An")
    an.get_by_text("Có phép", exact=True).click()
    page.locator("fieldset", has_text="Lê Đức Cường").get_by_text("Muộn", exact=True).click()
    expect(an.get_by_label("Có phép", exact=True)).to_be_checked()
    page.get_by_role("button", name="Lưu điểm danh").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu điểm danh lớp 6A1 ngày 06/10/2025")
    expect(
        page.locator("fieldset", has_text="Nguyễn Văn An").get_by_label("Có phép", exact=True)
    ).to_be_checked()
    assert dict(AttendanceMark.objects.values_list("learner_id", "status")) == {
        w.learner_an.pk: "absent_excused",
        w.learner_cuong.pk: "late",
    }
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "attendance-360x740.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    assert errors == []
