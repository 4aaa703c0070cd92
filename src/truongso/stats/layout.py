"""The figures of a report laid out as the form prints them: for each indicator, rows
(the values of the layout's row dimension, and a total row) and columns (filters on
the other dimensions, from the catalogue)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from truongso.stats.models import Indicator
from truongso.stats.rules.cells import Figures, matches, plain, sort_values, split_key

TOTAL_COLUMN = {"code": "total", "label": "Tổng số", "filter": {}}


def value_label(dim: str, value: str) -> str:
    from truongso.assessment.models.gradebook import Rating
    from truongso.assessment.models.results import Promotion
    from truongso.staff.models import Position, Qualification
    from truongso.units.models import InstitutionKind, Ownership

    if value in ("-", ""):
        return _("Chưa rõ")
    if dim == "grade":
        return _("Khối %(n)s") % {"n": value}
    if dim == "age":
        return _("%(n)s tuổi") % {"n": value}
    lists = {
        "kind": InstitutionKind, "ownership": Ownership, "position": Position,
        "qualification": Qualification, "level": Rating, "decision": Promotion,
    }  # fmt: skip
    if dim in lists:
        return str(dict(lists[dim].choices).get(value, value))
    if dim == "sex":
        return {"M": _("Nam"), "F": _("Nữ")}.get(value, value)
    return value


@dataclass
class Table:
    indicator: Indicator
    columns: list[dict]
    rows: list[tuple[str, str, list]]  # (row value, label, cells by column)
    total: list
    manual: bool = False


def table(indicator: Indicator, cells: dict | None, *, manual: bool = False) -> Table:
    dims = list(indicator.disaggregation or [])
    layout = indicator.layout or {}
    columns = layout.get("columns") or [TOTAL_COLUMN]
    row_dim = layout.get("rows") if layout.get("rows") in dims else None
    cells = cells or {}
    split = [(split_key(k, dims), v) for k, v in cells.items()]

    def sums(extra: dict) -> list:
        out = []
        for column in columns:
            wanted = {**column.get("filter", {}), **extra}
            out.append(plain(sum((v for d, v in split if matches(d, wanted)), 0)))
        return out

    rows = []
    if row_dim:
        for value in sort_values({d.get(row_dim, "-") for d, _v in split}):
            rows.append((value, value_label(row_dim, value), sums({row_dim: value})))
    return Table(indicator=indicator, columns=columns, rows=rows, total=sums({}), manual=manual)


def tables(indicators: list[Indicator], figures: Figures, manual: dict | None = None) -> list:
    manual = manual or {}
    return [
        table(i, figures.get(i.code), manual=i.code in manual and i.is_manual)
        for i in indicators
        if i.code in figures or i.is_manual
    ]


def state_label(state: str) -> str:
    from truongso.stats.models import ReportStatus

    if state == "none":
        return _("Chưa lập")
    return str(dict(ReportStatus.choices).get(state, state))
