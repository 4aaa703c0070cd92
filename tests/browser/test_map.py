"""A province officer opens the map of institutions: one marker per institution of the
province with coordinates, on a blank background (no tile server), the one without
coordinates listed below; filtering by level changes the markers. No console error and
no content-security-policy violation."""

import os
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.world import PASSWORD
from truongso.units.models import Institution, InstitutionKind

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("TRUONGSO_SCREENSHOTS", "")
MARKERS = "#institution-map path.map-marker"


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _sign_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/sign-in/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")


def _watch(page, problems):
    def on_console(message):
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            problems.append(f"{message.text} {message.location.get('url', '')}")

    page.on("console", on_console)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => console.error('CSP ' + e.violatedDirective + ' ' + e.blockedURI))"
    )


@pytest.fixture
def mapped_world(browser_world):
    w = browser_world
    located = {
        w.school_a: ("21.035000", "105.814000"),
        w.school_a2: ("21.030000", "105.840000"),
        w.school_b: ("10.776000", "106.700000"),  # another province: not on P1's map
    }
    for school, (lat, lon) in located.items():
        Institution.objects.filter(pk=school.pk).update(
            latitude=Decimal(lat), longitude=Decimal(lon)
        )
    Institution.objects.create(
        code="01000003", name="Trường THPT Phan Đình Phùng", search_name="truong thpt pdp",
        kind=InstitutionKind.UPPER_SECONDARY, grade_from=10, grade_to=12, commune=w.c1,
        province=w.p1, managing_unit=w.p1,
    )  # fmt: skip
    return w


def _leaflet_or_skip():
    from django.contrib.staticfiles import finders

    if not finders.find("vendor/leaflet/leaflet.js"):
        pytest.skip("Leaflet not fetched (scripts/fetch-assets); the map is drawn by the server")


@pytest.mark.parametrize("size", [(360, 740), (1280, 800)], ids=["phone", "desktop"])
def test_province_officer_sees_one_marker_per_school_and_filters_by_level(
    mapped_world, live_server, page_for, size
):
    _leaflet_or_skip()
    page = page_for(*size)
    problems: list[str] = []
    _watch(page, problems)
    _sign_in(page, live_server.url, "so_hanoi")
    page.get_by_role("link", name="Bản đồ trường").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bản đồ trường")

    markers = page.locator(MARKERS)
    expect(markers).to_have_count(2)
    expect(page.locator("#institution-map")).to_have_attribute("data-markers", "2")
    expect(page.locator("#institution-map")).to_have_class(re.compile(r"\bmap-blank\b"))
    expect(page.locator("#institution-map .leaflet-tile")).to_have_count(0)
    expect(page.locator(f"{MARKERS}.kind-primary")).to_have_count(1)
    expect(page.locator(f"{MARKERS}.kind-lower_secondary")).to_have_count(1)
    # The legend gives the colour of each level, with its count.
    expect(page.locator('.map-legend [data-kind="primary"]')).to_contain_text("Tiểu học (1)")
    # The school without coordinates is listed, not dropped.
    unlocated = page.locator("#unlocated")
    expect(unlocated.get_by_role("heading")).to_have_text("1 cơ sở chưa có toạ độ")
    expect(unlocated.get_by_role("link")).to_have_text(["Trường THPT Phan Đình Phùng"])
    _shot(page, f"map-{size[0]}x{size[1]}")

    # A marker's popup links to the school's page.
    page.locator(f"{MARKERS}.kind-primary").click(force=True)
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Tiểu học · Công lập")
    expect(popup.get_by_role("link", name="Trường Tiểu học Kim Đồng")).to_have_attribute(
        "href", f"/units/institutions/{mapped_world.school_a2.pk}/"
    )

    # Filter by level: only the primary school remains.
    page.get_by_label("Cấp học").select_option("primary")
    page.get_by_role("button", name="Lọc", exact=True).click()
    expect(page).to_have_url(re.compile(r"kind=primary"))
    expect(page.locator(MARKERS)).to_have_count(1)
    expect(page.locator(f"{MARKERS}.kind-primary")).to_have_count(1)
    expect(page.locator("#unlocated").get_by_role("heading")).to_have_text("0 cơ sở chưa có toạ độ")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= size[0]
    assert problems == []
