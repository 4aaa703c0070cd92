"""Charts drawn on the server as SVG: no script, no library, no inline style (only SVG
presentation attributes, which the content-security policy allows). Each function
returns safe markup with a title and a description for screen readers."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

BAR = "#1f5fa8"
TARGET = "#c0392b"
GRID = "#d5dbe3"


def _html(template: str, *args) -> SafeString:
    """format_html with floats written with one decimal (SVG coordinates)."""
    values = [f"{a:.1f}" if isinstance(a, float) else a for a in args]
    return format_html(template.replace("{:.1f}", "{}"), *values)


def _fmt(value) -> str:
    if isinstance(value, Decimal | float):
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{value:,}".replace(",", ".")


def bar_chart(
    title: str, items: list[tuple[str, int | Decimal]], *, width: int = 320
) -> SafeString:
    """Vertical bars, one per (label, value)."""
    height, top, bottom = 180, 18, 28
    if not items:
        return mark_safe("")
    peak = max((v for _l, v in items), default=0) or 1
    step = width / len(items)
    bar = step * 0.6
    parts = [
        _html(
            '<line x1="0" y1="{}" x2="{}" y2="{}" stroke="{}"/>',
            height - bottom,
            width,
            height - bottom,
            GRID,
        )  # fmt: skip
    ]
    for i, (label, value) in enumerate(items):
        h = (height - top - bottom) * float(value) / float(peak)
        x = i * step + (step - bar) / 2
        y = height - bottom - h
        parts.append(_html(
            '<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}">'
            "<title>{}: {}</title></rect>"
            '<text x="{:.1f}" y="{:.1f}" font-size="11" text-anchor="middle">{}</text>'
            '<text x="{:.1f}" y="{}" font-size="11" text-anchor="middle">{}</text>',
            x, y, bar, h, BAR, label, _fmt(value), x + bar / 2, y - 4, _fmt(value),
            x + bar / 2, height - bottom + 16, label,
        ))  # fmt: skip
    return _svg(title, width, height, parts)


def line_chart(
    title: str, points: list[tuple[str, int | Decimal]], *, width: int = 320
) -> SafeString:
    """A line through (label, value) points: a trend over years."""
    height, top, bottom, side = 180, 20, 28, 24
    if not points:
        return mark_safe("")
    peak = max(float(v) for _l, v in points) or 1
    step = (width - 2 * side) / max(len(points) - 1, 1)
    coords = [
        (side + i * step, height - bottom - (height - top - bottom) * float(v) / peak)
        for i, (_l, v) in enumerate(points)
    ]
    parts = [
        _html(
            '<line x1="0" y1="{}" x2="{}" y2="{}" stroke="{}"/>',
            height - bottom,
            width,
            height - bottom,
            GRID,
        ),  # fmt: skip
        _html(
            '<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>',
            BAR,
            " ".join(f"{x:.1f},{y:.1f}" for x, y in coords),
        ),  # fmt: skip
    ]
    for (label, value), (x, y) in zip(points, coords, strict=True):
        parts.append(_html(
            '<circle cx="{:.1f}" cy="{:.1f}" r="3.5" fill="{}"><title>{}: {}</title></circle>'
            '<text x="{:.1f}" y="{:.1f}" font-size="11" text-anchor="middle">{}</text>'
            '<text x="{:.1f}" y="{}" font-size="10" text-anchor="middle">{}</text>',
            x, y, BAR, label, _fmt(value), x, y - 7, _fmt(value), x, height - bottom + 16, label,
        ))  # fmt: skip
    return _svg(title, width, height, parts)


def target_bar(title: str, value: Decimal | None, target_2025, target_2030) -> SafeString:
    """A horizontal bar 0–100 % with the two targets marked."""
    width, height = 300, 34
    parts = [_html('<rect x="0" y="8" width="{}" height="14" fill="{}"/>', width, GRID)]
    if value is not None:
        w = width * min(max(float(value), 0), 100) / 100
        parts.append(_html('<rect x="0" y="8" width="{:.1f}" height="14" fill="{}"/>',
                                 w, BAR))  # fmt: skip
    for target, label in ((target_2025, "2025"), (target_2030, "2030")):
        x = width * float(target) / 100
        x = min(x, width - 1)
        parts.append(_html(
            '<line x1="{:.1f}" y1="2" x2="{:.1f}" y2="28" stroke="{}" stroke-width="2">'
            "<title>{}: {}%</title></line>", x, x, TARGET, label, target,
        ))  # fmt: skip
    return _svg(title, width, height, parts)


def _svg(title: str, width: int, height: int, parts: list) -> SafeString:
    body = "".join(str(p) for p in parts)
    return mark_safe(  # noqa: S308 - every part is built with format_html
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )
