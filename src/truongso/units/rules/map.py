"""The map of institutions: pure rules (no Django).

- ``tile_origin``: the origin of a tile server's URL template, for the content-security
  policy (only that host may serve images besides this one).
- ``scatter``: places points given by longitude and latitude in a picture, for the map
  drawn by the server when the map library is not installed.
- ``feature`` and ``feature_collection``: GeoJSON (RFC 7946) of the institutions.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# A host name with an optional {s} (subdomain) placeholder and an optional port.
_HOST = re.compile(r"^(\{s\}\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:[0-9]{1,5})?$")


def tile_origin(url_template: str) -> str:
    """``https://{s}.tile.example.org/{z}/{x}/{y}.png`` → ``https://*.tile.example.org``.

    An empty string for an empty or malformed template (so nothing unexpected can enter
    the policy: no spaces, quotes or semicolons)."""
    url = (url_template or "").strip()
    for scheme in ("https", "http"):
        prefix = f"{scheme}://"
        if url.startswith(prefix):
            host = url[len(prefix) :].split("/", 1)[0]
            if not _HOST.match(host):
                return ""
            return f"{scheme}://{host.replace('{s}.', '*.')}"
    return ""


@dataclass(frozen=True)
class Placed:
    """A point placed in a picture: x to the right, y downwards, in picture units."""

    x: float
    y: float
    item: Any


def scatter(
    points: Sequence[tuple[float, float, Any]],
    *,
    width: float = 600,
    height: float = 400,
    margin: float = 16,
) -> list[Placed]:
    """Place ``(longitude, latitude, item)`` points in a ``width`` × ``height`` picture.

    Equirectangular projection with longitudes shortened by the cosine of the middle
    latitude (so a province keeps its shape), scaled to fit inside the margin and
    centred; north is up. A single point (or points at one place) sits in the centre."""
    if not points:
        return []
    lons = [float(p[0]) for p in points]
    lats = [float(p[1]) for p in points]
    middle = (min(lats) + max(lats)) / 2
    shrink = math.cos(math.radians(middle))
    xs = [lon * shrink for lon in lons]
    span_x = max(xs) - min(xs)
    span_y = max(lats) - min(lats)
    inner_w, inner_h = width - 2 * margin, height - 2 * margin
    if span_x == 0 and span_y == 0:
        scale = 0.0
    elif span_x == 0:
        scale = inner_h / span_y
    elif span_y == 0:
        scale = inner_w / span_x
    else:
        scale = min(inner_w / span_x, inner_h / span_y)
    centre_x = (max(xs) + min(xs)) / 2
    centre_y = (max(lats) + min(lats)) / 2
    return [
        Placed(
            x=round(width / 2 + (x - centre_x) * scale, 1),
            y=round(height / 2 - (lat - centre_y) * scale, 1),
            item=point[2],
        )
        for x, lat, point in zip(xs, lats, points, strict=True)
    ]


def _number(value: Decimal | float) -> float:
    return float(value)


def feature(
    *,
    id: int,
    longitude: Decimal | float,
    latitude: Decimal | float,
    properties: dict[str, Any],
) -> dict[str, Any]:
    """A GeoJSON Point feature (coordinates are longitude, then latitude)."""
    return {
        "type": "Feature",
        "id": id,
        "geometry": {
            "type": "Point",
            "coordinates": [_number(longitude), _number(latitude)],
        },
        "properties": properties,
    }


def feature_collection(
    features: Iterable[dict[str, Any]], *, unlocated: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    """A FeatureCollection of the located institutions; those without coordinates are
    reported in the foreign member ``unlocated`` (count and list), not dropped."""
    return {
        "type": "FeatureCollection",
        "features": list(features),
        "unlocated": {"count": len(unlocated), "institutions": list(unlocated)},
    }
