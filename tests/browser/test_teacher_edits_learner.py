"""A teacher signs in, finds a learner typed without diacritics, edits the address and
sees the change in the history."""

import os
import re

import pytest
from playwright.sync_api import expect

from tests.world import PASSWORD

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("TRUONGSO_SCREENSHOTS", "")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _sign_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/sign-in/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")


@pytest.mark.parametrize("size", [(360, 740), (1280, 800)], ids=["phone", "desktop"])
def test_teacher_finds_learner_edits_address_and_sees_history(
    browser_world, live_server, page_for, size
):
    page = page_for(*size)
    tag = f"{size[0]}x{size[1]}"
    _sign_in(page, live_server.url, "gv_a1")
    _shot(page, f"home-{tag}")
    expect(page.get_by_role("link", name="Lớp 6A1")).to_be_visible()

    page.get_by_label("Tìm học sinh").fill("nguyen van an")
    page.get_by_role("button", name="Tìm", exact=True).click()
    expect(page).to_have_url(re.compile(r"/learners/\?q=nguyen\+van\+an"))
    results = page.locator("#results")
    expect(results.get_by_role("link", name="Nguyễn Văn An")).to_have_count(1)
    expect(results).not_to_contain_text("Phạm Minh Dũng")
    _shot(page, f"learners-{tag}")
    results.get_by_role("link", name="Nguyễn Văn An").click()

    page.get_by_role("link", name="Sửa hồ sơ").click()
    expect(page.get_by_label("Họ và tên")).to_have_count(0)
    page.get_by_label("Địa chỉ").fill("12 Hàng Bông, Hoàn Kiếm")
    page.get_by_label("Lý do").fill("Phụ huynh báo chuyển nhà")
    _shot(page, f"edit-{tag}")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu hồ sơ học sinh.")
    expect(page.locator("dl.facts").first).to_contain_text("12 Hàng Bông, Hoàn Kiếm")

    page.get_by_role("link", name="Lịch sử thay đổi").click()
    entry = page.locator(".history-entry").first
    expect(entry).to_contain_text("Sửa hồ sơ học sinh")
    expect(entry).to_contain_text("gv_a1")
    expect(entry).to_contain_text("Phụ huynh báo chuyển nhà")
    expect(entry.locator("td.before")).to_have_text("Số 1 đường Láng")
    expect(entry.locator("td.after")).to_have_text("12 Hàng Bông, Hoàn Kiếm")
    _shot(page, f"history-{tag}")
    # Nothing sticks out sideways on a phone.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= size[0]


def test_wrong_password_keeps_the_teacher_out(browser_world, live_server, page_for):
    page = page_for(360, 740)
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Tên đăng nhập").fill("gv_a1")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_contain_text("Không đăng nhập được")


def test_search_answers_as_you_type_when_htmx_is_there(browser_world, live_server, page_for):
    from django.contrib.staticfiles import finders

    if not finders.find("vendor/htmx.min.js"):
        pytest.skip("htmx not fetched (scripts/fetch-assets); the search works by submitting")
    page = page_for(1280, 800)
    _sign_in(page, live_server.url, "ht_a")
    page.goto(f"{live_server.url}/learners/")
    expect(page.locator("#results")).to_contain_text("6 học sinh")
    page.get_by_label("Tìm kiếm").press_sequentially("hoang thi")
    expect(page.locator("#results")).to_contain_text("1 học sinh")
    expect(page.locator("#results").get_by_role("link")).to_have_text(["Hoàng Thị Em"])
    expect(page).to_have_url(re.compile(r"q=hoang(\+|%20)thi"))
