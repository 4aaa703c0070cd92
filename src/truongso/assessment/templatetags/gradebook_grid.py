"""The rows of the gradebook grid, rendered in Python: 45 learners × up to eight cells
each with their attributes made some 5,000 template lookups a page, half of the page's
time (bench/gradebook_page.py). The markup is the one the template had.

What does not change from row to row (a column's label, its input's attributes, how
its value is shown) is worked out once per column; each cell is then one f-string,
every text in it escaped with ``html.escape`` (what Django's ``escape`` does, without
its lazy-string wrapper, which cost more than the escaping).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from truongso.assessment import display
from truongso.assessment.forms import grid_name, version_name
from truongso.assessment.rules import gradebook as rules_gradebook

register = template.Library()

_ENDS_TERM = (rules_gradebook.END_OF_TERM, rules_gradebook.END_OF_TERM_RATING)
_RATINGS = (rules_gradebook.RATING, *rules_gradebook.RATING_FIELDS)


@dataclass
class Grid:
    """What the grid's body shows: the rows (selectors.gradebook.gradebook_rows), the
    cells' fields in column order, the texts of each row's results (term and year, each
    with what is missing), and, after a submitted form, the texts typed back and the
    problems by (learner id, field)."""

    rows: list
    fields: tuple[str, ...]
    results: list[tuple[str, str, str, str]]
    editable: bool
    scored: bool
    term_number: int
    colspan: int
    submitted: dict[tuple[int, str], str] = field(default_factory=dict)
    problems: dict[tuple[int, str], str] = field(default_factory=dict)


def score_text(value: Any, separator: str) -> str:
    """``display.score_text`` with the decimal separator looked up once per page."""
    if value is None:
        return ""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", separator)


def _texts(field_name: str, separator: str) -> Callable[[Any], str]:
    """How the stored values of a column are shown (``display.cell_text``)."""
    if field_name in _RATINGS:
        return lambda value: "" if value is None else display.rating_text(value, short=True)
    if field_name == rules_gradebook.COMMENT:
        return lambda value: "" if value is None else str(value)
    return lambda value: score_text(value, separator)


@register.simple_tag
def gradebook_rows(grid: Grid) -> str:
    """The ``<tr>`` of each learner."""
    if not grid.rows:
        return SafeString(
            f'<tr><td colspan="{escape(str(grid.colspan))}">'
            f"{escape(_('Lớp chưa có học sinh.'))}</td></tr>"
        )
    separator = display._separator()
    moved = f' <span class="badge muted">{escape(_("đã chuyển"))}</span>'
    score_input = f'inputmode="{"decimal" if grid.scored else "text"}" size="3" maxlength="4"'
    columns = []
    for name in grid.fields:
        comment = name == rules_gradebook.COMMENT
        columns.append((
            name,
            _texts(name, separator),
            "comment-col" if comment else "num",
            "cell comment" if comment else "cell",
            'list="gradebook-phrases" maxlength="500"' if comment else score_input,
            escape(display.column_label(name)),
            name in _ENDS_TERM,
        ))  # fmt: skip
    editable, year = grid.editable, grid.term_number == 2
    submitted, problems = grid.submitted, grid.problems
    out: list[str] = []
    for number, (row, results) in enumerate(zip(grid.rows, grid.results, strict=True), start=1):
        learner = row.learner
        name = escape(learner.full_name)
        version = escape(str(row.version))
        out.append(
            f'<tr data-learner="{learner.pk}" data-version="{version}" data-name="{name}">\n'
            f'<td class="num">{number}</td>\n'
            f'<th scope="row" class="learner">{name}{"" if row.current else moved}\n'
            f'<input type="hidden" name="{escape(version_name(learner.pk))}" '
            f'value="{version}"></th>\n'
        )
        cells = row.cells
        for field_name, shown, css, classes, attributes, label, ends in columns:
            key = (learner.pk, field_name)
            text = escape(submitted[key] if key in submitted else shown(cells[field_name]))
            problem = problems.get(key, "") if problems else ""
            if not editable:
                out.append(f'<td class="{css}{" has-problem" if problem else ""}">{text}</td>\n')
            elif problem:
                out.append(
                    f'<td class="{css} has-problem"><input class="{classes} invalid" '
                    f'name="{escape(grid_name(learner.pk, field_name))}" value="{text}" '
                    f'data-field="{field_name}" data-saved="{text}" autocomplete="off" '
                    f'aria-label="{label} – {name}" {attributes} aria-invalid="true" '
                    f'title="{escape(problem)}"></td>\n'
                )
            else:
                out.append(
                    f'<td class="{css}"><input class="{classes}" '
                    f'name="{escape(grid_name(learner.pk, field_name))}" value="{text}" '
                    f'data-field="{field_name}" data-saved="{text}" autocomplete="off" '
                    f'aria-label="{label} – {name}" {attributes}></td>\n'
                )
            if ends:
                term_text, term_missing, year_text, year_missing = results
                out.append(
                    f'<td class="num avg" data-result="term" title="{escape(term_missing)}">'
                    f"{escape(term_text)}</td>\n"
                )
                if year:
                    out.append(
                        f'<td class="num avg" data-result="year" '
                        f'title="{escape(year_missing)}">{escape(year_text)}</td>\n'
                    )
        out.append("</tr>\n")
    return SafeString("".join(out))
