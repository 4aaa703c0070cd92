"""Anyone with a phone checks a diploma on the public page /verify/, without signing in:
a genuine one, a changed QR text, a revoked one, a number with the wrong birth date, and
the answer in English. No console error and no content-security-policy violation."""

import os
import re

import pytest
from playwright.sync_api import expect

from truongso.credentials import services
from truongso.credentials.pdf import credential_data
from truongso.credentials.rules.diploma_number import make_diploma_number

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("TRUONGSO_SCREENSHOTS", "")
BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


def _watch(page, problems):
    """Console errors, uncaught exceptions and CSP violations, into ``problems``.

    The site has no favicon: the browser's own request for /favicon.ico answers 404, which
    Chromium reports in the console; that is the only error let through."""

    def on_console(message):
        if message.type != "error":
            return
        if message.location.get("url", "").endswith("/favicon.ico"):
            return
        problems.append(f"{message.text} {message.location.get('url', '')}")

    page.on("console", on_console)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => console.error('CSP ' + e.violatedDirective + ' ' + e.blockedURI))"
    )


def _paste_qr(page, text):
    page.get_by_label("Nội dung mã QR").fill(text)
    page.get_by_role("button", name="Xác minh", exact=True).first.click()


def _look_up(page, number, born):
    page.get_by_label("Số hiệu văn bằng").fill(number)
    page.get_by_label("Ngày sinh của người được cấp").fill(born)
    page.get_by_role("button", name="Tra cứu", exact=True).click()


def _changed(text: str, position: int) -> str:
    """``text`` with the base45 character at ``position`` replaced by the next one."""
    old = text[position]
    new = BASE45[(BASE45.index(old) + 1) % len(BASE45)]
    return text[:position] + new + text[position + 1 :]


def test_verify_a_diploma_on_a_phone(browser_world, diploma, live_server, page_for):
    learner = browser_world.learner_an
    assert learner.personal_id == "001214012345"
    assert diploma.holder_name == "Nguyễn Văn An"
    number = diploma.diploma_number
    page = page_for(360, 740)
    problems: list[str] = []
    _watch(page, problems)
    page.goto(f"{live_server.url}/verify/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xác minh văn bằng, chứng chỉ")
    expect(page.locator(".verify-answer")).to_have_count(0)

    # (1) The genuine QR text: valid, with what the paper shows and nothing more.
    _paste_qr(page, diploma.qr_text)
    answer = page.locator("section.verify-answer")
    expect(answer).to_have_class("verify-answer valid")
    expect(answer.get_by_role("heading", level=2)).to_have_text("Hợp lệ")
    facts = answer.locator("dl.facts")
    expect(facts.locator("dt")).to_have_text(
        ["Văn bằng", "Nơi cấp", "Họ và tên", "Ngày sinh", "Xếp loại", "Số hiệu",
         "Số vào sổ gốc", "Ngày cấp"]
    )  # fmt: skip
    expect(facts.locator("dt:text-is('Họ và tên') + dd")).to_have_text("Nguyễn Văn An")
    expect(facts.locator("dt:text-is('Ngày sinh') + dd")).to_have_text("02/05/2014")
    expect(facts.locator("dt:text-is('Nơi cấp') + dd")).to_have_text("Trường THCS Ba Đình")
    # The paper prints the number spaced (series, serial, check digits); the page may show
    # it so or without the spaces, nothing else.
    printed = credential_data(diploma)["diploma_number_printed"]
    assert printed == f"{number[:5]} {number[5:12]} {number[12:]}"
    expect(facts.locator("dt:text-is('Số hiệu') + dd")).to_have_text(
        re.compile(f"^({re.escape(number)}|{re.escape(printed)})$")
    )
    expect(facts.locator("dt:text-is('Ngày cấp') + dd")).to_have_text("30/06/2025")
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "verify_phone.png"), full_page=True)
    html = page.content()
    assert "001214012345" not in html  # the personal identification number
    assert "Hà Nội" not in answer.inner_text()  # place of birth is not shown
    # Nothing sticks out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # (2) The same text with one character changed: not valid, and no name shown. The QR
    # text is compressed with a checksum, so a changed character makes it unreadable.
    middle = len(diploma.qr_text) // 2
    _paste_qr(page, _changed(diploma.qr_text, middle))
    expect(answer).to_have_class("verify-answer unknown")
    expect(answer.get_by_role("heading", level=2)).to_have_text("Không xác minh được")
    expect(answer).to_contain_text("Không đọc được nội dung đã gửi.")
    expect(answer).not_to_contain_text("Nguyễn Văn An")
    expect(answer.locator("dl.facts")).to_have_count(0)

    # (3) Revoked through the service: the same QR text now says so.
    services.credential_revoke(
        actor=browser_world.principal_a, credential=diploma, reason="Cấp nhầm"
    )
    _paste_qr(page, diploma.qr_text)
    expect(answer).to_have_class("verify-answer revoked")
    expect(answer.get_by_role("heading", level=2)).to_have_text("Đã bị thu hồi")

    # (4) The right number with a wrong birth date answers as an unknown number does.
    _look_up(page, printed, "03/05/2014")
    expect(answer).to_have_class("verify-answer unknown")
    expect(answer.get_by_role("heading", level=2)).to_have_text("Không xác minh được")
    expect(answer).not_to_contain_text("Nguyễn Văn An")
    wrong_birth = answer.inner_html()
    unknown = make_diploma_number(number[:5], 9_999_999)
    assert unknown != number
    _look_up(page, unknown, "02/05/2014")
    expect(answer).to_have_class("verify-answer unknown")
    assert answer.inner_html() == wrong_birth

    # (5) English through the language switch; the answer comes in English.
    page.locator("#lang-select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify a diploma or certificate")
    page.get_by_label("QR code content").fill(diploma.qr_text)
    page.get_by_role("button", name="Verify", exact=True).first.click()
    expect(answer).to_have_class("verify-answer revoked")
    expect(answer.get_by_role("heading", level=2)).to_have_text("Revoked")
    expect(answer.locator("p").first).to_have_text(
        "The diploma was issued by Trường THCS Ba Đình but has been revoked: it is no longer valid."
    )
    expect(answer.locator("dt").first).to_have_text("Diploma")
    expect(answer.locator("dt:text-is('Full name') + dd")).to_have_text("Nguyễn Văn An")
    expect(answer.locator("dt:text-is('Diploma number') + dd")).to_have_text(
        re.compile(f"^({re.escape(number)}|{re.escape(printed)})$")
    )

    # (6) Not one console error or content-security-policy violation on the way.
    assert problems == []
