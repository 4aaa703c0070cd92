"""The rows of the gradebook grid, rendered in Python: 45 learners × up to eight cells
each with their attributes made some 5,000 template lookups a page, half of the page's
time (bench/gradebook_page.py). The markup is the one the template had."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape as e
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from truongso.assessment.rules import gradebook as rules_gradebook

register = template.Library()

_ENDS_TERM = (rules_gradebook.END_OF_TERM, rules_gradebook.END_OF_TERM_RATING)


@register.simple_tag
def gradebook_rows(rows, editable: bool, scored: bool, term_number: int, colspan: int) -> str:
    """The ``<tr>`` of each learner (rows from ``views._grid_rows``)."""
    if not rows:
        return mark_safe(  # noqa: S308 - escaped
            f'<tr><td colspan="{e(colspan)}">{e(_("Lớp chưa có học sinh."))}</td></tr>'
        )
    moved = f' <span class="badge muted">{e(_("đã chuyển"))}</span>'
    score_input = f'inputmode="{"decimal" if scored else "text"}" size="3" maxlength="4"'
    out: list[str] = []
    for row in rows:
        name = e(row["learner"].full_name)
        version = e(row["version"])
        out.append(
            f'<tr data-learner="{e(row["learner"].pk)}" data-version="{version}" '
            f'data-name="{name}">\n'
            f'<td class="num">{e(row["number"])}</td>\n'
            f'<th scope="row" class="learner">{name}{"" if row["current"] else moved}\n'
            f'<input type="hidden" name="{e(row["version_name"])}" value="{version}"></th>\n'
        )
        for cell in row["cells"]:
            out.append(_cell(cell, name, editable, score_input))
            if cell["field"] in _ENDS_TERM:
                out.append(
                    f'<td class="num avg" data-result="term" title="{e(row["term_missing"])}">'
                    f"{e(row['term_result'])}</td>\n"
                )
                if term_number == 2:
                    out.append(
                        f'<td class="num avg" data-result="year" '
                        f'title="{e(row["year_missing"])}">{e(row["year_result"])}</td>\n'
                    )
        out.append("</tr>\n")
    return SafeString("".join(out))


def _cell(cell: dict, name: str, editable: bool, score_input: str) -> str:
    comment, problem = cell["comment"], cell["problem"]
    css = ("comment-col" if comment else "num") + (" has-problem" if problem else "")
    if not editable:
        return f'<td class="{css}">{e(cell["text"])}</td>\n'
    text = e(cell["text"])
    attributes = 'list="gradebook-phrases" maxlength="500"' if comment else score_input
    if problem:
        attributes += f' aria-invalid="true" title="{e(problem)}"'
    classes = "cell" + (" comment" if comment else "") + (" invalid" if problem else "")
    return (
        f'<td class="{css}"><input class="{classes}" name="{e(cell["name"])}" value="{text}" '
        f'data-field="{e(cell["field"])}" data-saved="{text}" autocomplete="off" '
        f'aria-label="{e(cell["label"])} – {name}" {attributes}></td>\n'
    )
