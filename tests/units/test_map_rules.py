"""Pure rules of the map: the tile origin for the CSP, the server-drawn scatter, GeoJSON."""

import math
from decimal import Decimal

import pytest

from truongso.units.rules.map import feature, feature_collection, scatter, tile_origin


@pytest.mark.parametrize(
    ("template", "origin"),
    [
        ("https://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://10.0.0.5:8080/tiles/{z}/{x}/{y}.png", "http://10.0.0.5:8080"),
        ("  https://tiles.example.org/{z}/{x}/{y}.png  ", "https://tiles.example.org"),
        ("", ""),
        ("/tiles/{z}/{x}/{y}.png", ""),
        ("ftp://tiles.example.org/{z}/{x}/{y}.png", ""),
        ("https://tiles.example.org;script-src */x", ""),
        ("https://tiles example.org/x", ""),
        ("https://'unsafe-inline'/x", ""),
    ],
)
def test_tile_origin(template, origin):
    assert tile_origin(template) == origin


def test_scatter_fits_the_points_keeps_north_up_and_centres():
    placed = scatter([(105.0, 21.0, "nw"), (106.0, 20.0, "se")], width=600, height=400, margin=0)
    shrink = math.cos(math.radians(20.5))
    # The box is 1° of latitude high and cos(20.5°) wide: the height limits the scale.
    scale = 400 / 1.0
    half_width = shrink * scale / 2
    assert [p.item for p in placed] == ["nw", "se"]
    assert placed[0].x == round(300 - half_width, 1)
    assert placed[0].y == 0.0
    assert placed[1].x == round(300 + half_width, 1)
    assert placed[1].y == 400.0


def test_scatter_of_one_point_puts_it_in_the_middle():
    assert [(p.x, p.y) for p in scatter([(Decimal("105.8"), Decimal("21.0"), 1)])] == [
        (300.0, 200.0)
    ]
    assert scatter([]) == []


def test_scatter_on_one_meridian_uses_the_height():
    placed = scatter([(105.0, 20.0, 1), (105.0, 22.0, 2)], width=600, height=400, margin=10)
    assert [(p.x, p.y) for p in placed] == [(300.0, 390.0), (300.0, 10.0)]


def test_feature_collection_reports_the_unlocated():
    point = feature(
        id=7, longitude=Decimal("105.814000"), latitude=Decimal("21.035000"), properties={"a": 1}
    )
    assert point == {
        "type": "Feature",
        "id": 7,
        "geometry": {"type": "Point", "coordinates": [105.814, 21.035]},
        "properties": {"a": 1},
    }
    assert feature_collection([point], unlocated=[{"id": 8}]) == {
        "type": "FeatureCollection",
        "features": [point],
        "unlocated": {"count": 1, "institutions": [{"id": 8}]},
    }
