"""The map of institutions: scoped GeoJSON (page and API), filters, institutions without
coordinates, the page with and without Leaflet, and the tile host in the CSP."""

from decimal import Decimal

import pytest
from django.test import Client, override_settings

from tests.api.conftest import ApiClient
from truongso.accounts.tokens import api_token_create
from truongso.units import views
from truongso.units.models import Institution, Ownership
from truongso.web.middleware import POLICY, policy

DATA = "/units/map/data.geojson"


@pytest.fixture
def mapped(world):
    """Schools A and B have coordinates; A2 (primary, same province as A) has none."""
    Institution.objects.filter(pk=world.school_a.pk).update(
        latitude=Decimal("21.035000"), longitude=Decimal("105.814000")
    )
    Institution.objects.filter(pk=world.school_b.pk).update(
        latitude=Decimal("10.776000"), longitude=Decimal("106.700000")
    )
    return world


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _geojson(user, **params) -> dict:
    response = _client(user).get(DATA, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return response.json()


def _names(data: dict) -> list[str]:
    return [f["properties"]["name"] for f in data["features"]]


def _unlocated(data: dict) -> list[str]:
    return [i["name"] for i in data["unlocated"]["institutions"]]


def test_feature_holds_point_name_code_kind_ownership_and_page(mapped):
    data = _geojson(mapped.principal_a)
    assert data["type"] == "FeatureCollection"
    assert data["features"] == [
        {
            "type": "Feature",
            "id": mapped.school_a.pk,
            "geometry": {"type": "Point", "coordinates": [105.814, 21.035]},
            "properties": {
                "id": mapped.school_a.pk,
                "code": "01000001",
                "name": "Trường THCS Ba Đình",
                "kind": "lower_secondary",
                "kind_label": "Trung học cơ sở",
                "ownership": "1",
                "ownership_label": "Công lập",
                "url": f"/units/institutions/{mapped.school_a.pk}/",
            },
        }
    ]
    assert data["unlocated"] == {"count": 0, "institutions": []}


def test_principal_sees_only_their_school(mapped):
    data = _geojson(mapped.principal_b)
    assert _names(data) == ["Trường THCS Sài Gòn"]
    assert _unlocated(data) == []


def test_province_officer_sees_their_province_and_its_schools_without_coordinates(mapped):
    data = _geojson(mapped.province_p1)
    assert _names(data) == ["Trường THCS Ba Đình"]
    assert data["unlocated"]["count"] == 1
    assert data["unlocated"]["institutions"][0]["code"] == "01000002"
    assert _unlocated(data) == ["Trường Tiểu học Kim Đồng"]


def test_ministry_sees_every_province_and_filters_by_province(mapped):
    assert _names(_geojson(mapped.ministry)) == ["Trường THCS Ba Đình", "Trường THCS Sài Gòn"]
    data = _geojson(mapped.ministry, province=mapped.p2.pk)
    assert _names(data) == ["Trường THCS Sài Gòn"]
    assert data["unlocated"]["count"] == 0


def test_province_filter_is_only_for_national_users(mapped):
    # A province officer has no province field: the parameter is ignored, not obeyed.
    data = _geojson(mapped.province_p1, province=mapped.p2.pk)
    assert _names(data) == ["Trường THCS Ba Đình"]


def test_filter_by_level(mapped):
    Institution.objects.filter(pk=mapped.school_a2.pk).update(
        latitude=Decimal("21.030000"), longitude=Decimal("105.820000")
    )
    user = mapped.province_p1
    assert _names(_geojson(user)) == ["Trường THCS Ba Đình", "Trường Tiểu học Kim Đồng"]
    assert _names(_geojson(user, kind="primary")) == ["Trường Tiểu học Kim Đồng"]
    assert _names(_geojson(user, kind="lower_secondary")) == ["Trường THCS Ba Đình"]
    assert _names(_geojson(user, kind="upper_secondary")) == []


def test_filter_by_ownership(mapped):
    Institution.objects.filter(pk=mapped.school_b.pk).update(ownership=Ownership.PRIVATE)
    user = mapped.ministry
    assert _names(_geojson(user, ownership="3")) == ["Trường THCS Sài Gòn"]
    assert _names(_geojson(user, ownership="1")) == ["Trường THCS Ba Đình"]
    assert _unlocated(_geojson(user, ownership="1")) == ["Trường Tiểu học Kim Đồng"]


def test_closed_institutions_are_not_on_the_map(mapped):
    Institution.objects.filter(pk=mapped.school_b.pk).update(is_active=False)
    assert _names(_geojson(mapped.ministry)) == ["Trường THCS Ba Đình"]


def test_bad_filter_is_a_400_naming_the_field(mapped):
    response = _client(mapped.province_p1).get(DATA, {"kind": "university"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["kind"]


def test_someone_without_a_role_sees_nothing(mapped):
    data = _geojson(mapped.nobody)
    assert data["features"] == []
    assert data["unlocated"] == {"count": 0, "institutions": []}


def test_data_needs_signing_in(mapped):
    response = Client().get(DATA)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


# The API -----------------------------------------------------------------------------


def _api(user) -> ApiClient:
    _token, raw = api_token_create(actor=user, user=user, name="tests")
    return ApiClient(raw)


def test_api_map_is_scoped_and_gives_absolute_page_urls(mapped):
    response = _api(mapped.province_p1).get("/institutions/map")
    assert response.status_code == 200
    data = response.json()
    assert _names(data) == ["Trường THCS Ba Đình"]
    assert data["features"][0]["geometry"] == {"type": "Point", "coordinates": [105.814, 21.035]}
    assert data["features"][0]["properties"]["url"] == (
        f"http://testserver/units/institutions/{mapped.school_a.pk}/"
    )
    assert _unlocated(data) == ["Trường Tiểu học Kim Đồng"]
    assert _names(_api(mapped.principal_b).get("/institutions/map").json()) == [
        "Trường THCS Sài Gòn"
    ]


def test_api_map_filters(mapped):
    client = _api(mapped.ministry)
    assert _names(client.get("/institutions/map", {"province": mapped.p2.pk}).json()) == [
        "Trường THCS Sài Gòn"
    ]
    data = client.get("/institutions/map", {"kind": "primary"}).json()
    assert _names(data) == []
    assert _unlocated(data) == ["Trường Tiểu học Kim Đồng"]
    assert client.get("/institutions/map", {"kind": "university"}).status_code == 422
    assert client.get("/institutions/map", {"province": 999999}).status_code == 422


def test_api_map_needs_a_token(mapped):
    assert ApiClient().get("/institutions/map").status_code == 401


# The page ----------------------------------------------------------------------------


def test_page_with_leaflet_points_the_script_at_the_filtered_data(mapped, monkeypatch):
    monkeypatch.setattr(views, "leaflet_available", lambda: True)
    response = _client(mapped.province_p1).get("/units/map/", {"kind": "lower_secondary"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-geojson="/units/map/data.geojson?kind=lower_secondary"' in html
    assert "/static/vendor/leaflet/leaflet.js" in html
    assert "/static/js/map.js" in html
    assert "<svg" not in html
    assert response.context["located_total"] == 1
    assert response.context["unlocated_total"] == 0


def test_page_without_leaflet_draws_the_points_and_lists_those_without_coordinates(
    mapped, monkeypatch
):
    monkeypatch.setattr(views, "leaflet_available", lambda: False)
    response = _client(mapped.ministry).get("/units/map/")
    html = response.content.decode()
    assert "leaflet.js" not in html
    assert "js/map.js" not in html
    assert html.count("<circle ") == 2
    drawing = response.context["drawing"]
    # Hà Nội is north (up, smaller y) and west (left, smaller x) of Hồ Chí Minh City.
    by_code = {p.item.code: (p.x, p.y) for p in drawing}
    assert by_code["01000001"][0] < by_code["79000001"][0]
    assert by_code["01000001"][1] < by_code["79000001"][1]
    assert f'href="/units/institutions/{mapped.school_a.pk}/" class="map-point"' in html
    assert [i.name for i in response.context["unlocated"]] == ["Trường Tiểu học Kim Đồng"]
    assert response.context["unlocated_total"] == 1
    assert "1 cơ sở chưa có toạ độ" in html
    legend = {item["kind"]: item["count"] for item in response.context["legend"]}
    assert legend["lower_secondary"] == 2
    assert legend["primary"] == 0


def test_province_select_only_for_national_users(mapped):
    national = _client(mapped.ministry).get("/units/map/")
    assert 'name="province"' in national.content.decode()
    office = _client(mapped.province_p1).get("/units/map/")
    assert 'name="province"' not in office.content.decode()


def test_menu_links_to_the_map_for_offices(mapped):
    html = _client(mapped.province_p1).get("/").content.decode()
    assert 'href="/units/map/"' in html


# The content-security policy ----------------------------------------------------------


def test_csp_without_tile_server_allows_only_this_origin_for_images(mapped):
    response = _client(mapped.province_p1).get("/units/map/")
    assert response["Content-Security-Policy"] == POLICY
    assert "img-src 'self' data: blob:; " in POLICY


@override_settings(
    MAP_TILE_URL="https://{s}.tiles.example.org/osm/{z}/{x}/{y}.png",
    MAP_TILE_ATTRIBUTION="© Người đóng góp OpenStreetMap",
)
def test_csp_allows_the_configured_tile_host_and_the_page_passes_it_on(mapped, monkeypatch):
    monkeypatch.setattr(views, "leaflet_available", lambda: True)
    response = _client(mapped.province_p1).get("/units/map/")
    csp = response["Content-Security-Policy"]
    assert "img-src 'self' data: blob: https://*.tiles.example.org; " in csp
    assert csp.count("tiles.example.org") == 1
    assert csp == policy("https://{s}.tiles.example.org/osm/{z}/{x}/{y}.png")
    html = response.content.decode()
    assert 'data-tile-url="https://{s}.tiles.example.org/osm/{z}/{x}/{y}.png"' in html
    assert 'data-tile-attribution="© Người đóng góp OpenStreetMap"' in html
    assert "map-blank" not in html


@override_settings(MAP_TILE_URL="https://tiles.example.org; script-src *")
def test_csp_ignores_a_malformed_tile_url(mapped):
    response = _client(mapped.province_p1).get("/units/map/")
    assert response["Content-Security-Policy"] == POLICY
