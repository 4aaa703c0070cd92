from django import template

from truongso.stats.layout import state_label

register = template.Library()


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def stats_state(state):
    return state_label(state)


@register.filter
def number(value):
    """Thousands with a dot, decimals with a comma (Vietnamese), "—" for no value."""
    if value is None or value == "":
        return "—"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value).replace(".", ",")


@register.filter
def part_figure(part, name):
    from truongso.stats.dashboard import main_figures

    return main_figures(part.figures).get(name)


@register.filter
def level_label(name):
    from truongso.units.models import InstitutionKind

    return dict(InstitutionKind.choices).get(name, name)
