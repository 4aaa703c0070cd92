"""Growth charts as SVG drawn on the server (no script, no external library, no inline
style: presentation attributes only, so the content-security policy is kept).

A chart shows the WHO −2, 0 and +2 SD curves of one indicator for the learner's sex
over the ages of their checkups (widened by a year each side), and the learner's own
measurements as dots joined by a line."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from truongso.health.rules import growth as g

WIDTH, HEIGHT = 340, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 12, 30
DAYS_PER_MONTH = Decimal("30.4375")


@dataclass(frozen=True)
class Point:
    months: int
    value: Decimal


def _age_at_month(month: int) -> g.Age:
    if month <= 60:
        return g.Age(g.WHO_2006, min(int(month * DAYS_PER_MONTH), g.LAST_DAY_2006), month)
    return g.Age(g.WHO_2007, 0, month)


def growth_svg(
    *, indicator: str, sex: str, points: list[Point], title: str, unit: str, legend: dict
) -> str:
    """The chart as an ``<svg>`` element (text already escaped). ``legend`` gives the
    translated names of the curves: {"median", "sd2", "child", "age"}."""
    if not points or sex not in ("M", "F"):
        return ""
    low = max(0, min(p.months for p in points) - 12)
    high = min(g.LAST_MONTH_2007, max(p.months for p in points) + 12)
    step = 1 if high - low <= 72 else 3
    months = list(range(low, high + 1, step))
    if months[-1] != high:
        months.append(high)
    curves = {k: [] for k in (-2, 0, 2)}
    for month in months:
        lms = g.lms_for(indicator, sex, _age_at_month(month))
        for k in curves:
            curves[k].append((month, lms.sd(k)))
    values = [v for curve in curves.values() for _m, v in curve] + [p.value for p in points]
    y_min, y_max = float(min(values)), float(max(values))
    pad = (y_max - y_min) * 0.05 or 1
    y_min, y_max = y_min - pad, y_max + pad

    def x(month: float) -> float:
        return LEFT + (month - low) / max(high - low, 1) * (WIDTH - LEFT - RIGHT)

    def y(value) -> float:
        return TOP + (y_max - float(value)) / (y_max - y_min) * (HEIGHT - TOP - BOTTOM)

    def path(pairs) -> str:
        return " ".join(f"{x(m):.1f},{y(v):.1f}" for m, v in pairs)

    parts = [
        f'<svg class="growth-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<rect x="{LEFT}" y="{TOP}" width="{WIDTH - LEFT - RIGHT}" '
        f'height="{HEIGHT - TOP - BOTTOM}" fill="#fafbfd" stroke="#d0d7e2"/>',
    ]
    # Axis ticks: every year on x, five steps on y.
    for month in range((low + 11) // 12 * 12, high + 1, 12):
        parts.append(
            f'<line x1="{x(month):.1f}" y1="{TOP}" x2="{x(month):.1f}" '
            f'y2="{HEIGHT - BOTTOM}" stroke="#e3e8ef"/>'
            f'<text x="{x(month):.1f}" y="{HEIGHT - BOTTOM + 12}" font-size="9" '
            f'text-anchor="middle" fill="#555">{month // 12}</text>'
        )
    for i in range(6):
        value = y_min + (y_max - y_min) * i / 5
        parts.append(
            f'<text x="{LEFT - 4}" y="{y(value) + 3:.1f}" font-size="9" text-anchor="end" '
            f'fill="#555">{value:.0f}</text>'
        )
    parts.append(
        f'<text x="{(LEFT + WIDTH - RIGHT) / 2:.0f}" y="{HEIGHT - 4}" font-size="9" '
        f'text-anchor="middle" fill="#555">{escape(legend["age"])}</text>'
        f'<text x="4" y="{TOP + 8}" font-size="9" fill="#555">{escape(unit)}</text>'
    )
    for k, colour, dash in ((-2, "#c0392b", "4 3"), (0, "#1e7d32", ""), (2, "#c0392b", "4 3")):
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<polyline points="{path(curves[k])}" fill="none" stroke="{colour}" '
            f'stroke-width="1.2"{dash_attr}/>'
        )
        m, v = curves[k][-1]
        label = legend["median"] if k == 0 else f"{k:+d} SD"
        parts.append(
            f'<text x="{x(m) - 2:.1f}" y="{y(v) - 3:.1f}" font-size="8" text-anchor="end" '
            f'fill="{colour}">{escape(label)}</text>'
        )
    ordered = sorted(points, key=lambda p: p.months)
    if len(ordered) > 1:
        parts.append(
            f'<polyline points="{path((p.months, p.value) for p in ordered)}" fill="none" '
            f'stroke="#1f5fa8" stroke-width="1.5"/>'
        )
    for p in ordered:
        parts.append(
            f'<circle cx="{x(p.months):.1f}" cy="{y(p.value):.1f}" r="3" fill="#1f5fa8">'
            f"<title>{escape(legend['child'])}: {p.value} {escape(unit)}</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)
