"""Template filters of the gradebook pages."""

from __future__ import annotations

from django import template

from truongso.assessment import display

register = template.Library()


@register.filter
def rating(code) -> str:
    """Tốt, Khá, Đạt, Chưa đạt from a stored code."""
    return display.rating_text(code)


@register.filter
def average(value) -> str:
    """An average with one decimal: 7,9."""
    return display.average_text(value)
