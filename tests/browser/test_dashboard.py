"""A province officer opens the operations dashboard on a phone, sees the province's
figures and drills down through the commune to a school."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.world import PASSWORD

pytestmark = pytest.mark.browser


def test_province_officer_drills_down_to_a_school(browser_world, live_server, page_for):
    from truongso.stats import services

    w = browser_world
    rnd = services.round_open(actor=w.ministry, form="boy", school_year=w.year,
                              cutoff=dt.date(2025, 9, 30))  # fmt: skip
    for school, principal, office in ((w.school_a, w.principal_a, w.province_p1),
                                      (w.school_b, w.principal_b, w.province_p2)):  # fmt: skip
        report = services.report_prepare(actor=principal, institution=school, report_round=rnd)
        services.report_submit(actor=principal, report=report)
        services.report_approve(actor=office, report=report)

    page = page_for(360, 740)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Tên đăng nhập").fill("so_hanoi")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("link", name="Bảng điều hành").click()

    expect(page.locator("#dashboard-title")).to_have_text("Thành phố Hà Nội")
    expect(page.locator('[data-figure="learners"]')).to_have_text("6")
    expect(page.locator('[data-figure="classes"]')).to_have_text("2")
    expect(page.locator("svg.chart").first).to_be_visible()
    drill = page.locator("#drilldown")
    expect(drill).not_to_contain_text("Sài Gòn")
    drill.get_by_role("link", name="Phường Ba Đình").click()

    expect(page.locator("#dashboard-title")).to_have_text("Phường Ba Đình")
    page.locator("#drilldown").get_by_role("link", name="Trường THCS Ba Đình").click()
    expect(page.locator("#dashboard-title")).to_have_text("Trường THCS Ba Đình")
    expect(page.locator('[data-figure="learners"]')).to_have_text("6")
    expect(page.locator('[data-figure="teachers"]')).to_have_text("2")
    # The way back up is in the breadcrumbs.
    expect(page.locator(".breadcrumbs")).to_contain_text("Thành phố Hà Nội")
    # Nothing is wider than the phone.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    assert errors == []
