"""Template filters for the register and the verification page."""

from django import template

from truongso.credentials.rules.diploma_number import printed_diploma_number

register = template.Library()


@register.filter
def printed_number(number: str) -> str:
    """A diploma number as the paper prints it: ``01C25 0000001 43``."""
    return printed_diploma_number(number) if number else ""
