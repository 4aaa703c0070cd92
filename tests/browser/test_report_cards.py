"""The principal approves a report card; the guardian then opens it."""

import pytest
from playwright.sync_api import expect

from tests.world import PASSWORD

pytestmark = pytest.mark.browser


def _sign_in(page, url, username):
    page.goto(f"{url}/accounts/sign-in/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")


def test_principal_approves_and_guardian_opens(browser_world, live_server, page_for, settings):
    from tests.reportcards.gradebook import fill
    from truongso.credentials.services import issuer_key_create
    from truongso.reportcards import services
    from truongso.reportcards.models import ReportCard

    w = browser_world
    settings.CREDENTIALS_SCRYPT_N = 2**10
    issuer_key_create(actor=w.principal_a, institution=w.school_a)  # approval signs
    fill(w.class_a1)
    services.report_cards_generate(actor=w.teacher_a1_user, school_class=w.class_a1)
    card = ReportCard.objects.get(learner=w.learner_an)
    services.report_card_mark_ready(actor=w.teacher_a1_user, report_card=card)

    page = page_for(360, 740)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _sign_in(page, live_server.url, "ht_a")
    page.goto(f"{live_server.url}/report-cards/{card.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Học bạ Nguyễn Văn An, năm học 2025-2026"
    )
    page.get_by_role("button", name="Duyệt học bạ").click()
    expect(page.locator(".messages")).to_contain_text("Đã duyệt học bạ.")
    assert ReportCard.objects.get(pk=card.pk).status == "approved"

    page.context.clear_cookies()
    _sign_in(page, live_server.url, "ph_an")
    page.goto(f"{live_server.url}/report-cards/")
    page.get_by_role("link", name="Nguyễn Văn An — năm học 2025-2026, lớp 6A1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Học bạ Nguyễn Văn An, năm học 2025-2026"
    )
    expect(page.locator(".badge").first).to_have_text("Đã duyệt")
    expect(page.locator(".signed .badge")).to_have_text("Đã ký số")
    expect(page.get_by_role("button", name="Duyệt học bạ")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert errors == []
