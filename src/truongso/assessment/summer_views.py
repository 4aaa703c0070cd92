"""Pages after the school year and for upper secondary classes: the summer re-tests
and conduct training of a class (a form per learner, and the list as .xlsx), and the
learners' elective subjects (a table of learners × electives).

Thin: parse input, call a scoped selector or a service, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from truongso.assessment import display, exports
from truongso.assessment.forms import CONDUCT_CHOICES
from truongso.assessment.rules.electives import ELECTIVE_COUNT
from truongso.assessment.selectors import gradebook as books
from truongso.assessment.selectors import summer as summer_selectors
from truongso.assessment.services.electives import elective_choices_set
from truongso.assessment.services.gradebook import EditConflict
from truongso.assessment.services.summer import summer_result_set
from truongso.web.shortcuts import get_or_404, int_or_none

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _summer_save(request, school_class, rows) -> tuple[int, dict[int, str]]:
    saved, problems = 0, {}
    reason = request.POST.get("reason", "")
    for row in rows:
        pk = row.learner.pk
        version = int_or_none(request.POST.get(f"v-{pk}"))
        if version is None:
            continue
        retests = {
            item.code: request.POST[f"r-{pk}-{item.code}"]
            for item, _result in row.subjects
            if f"r-{pk}-{item.code}" in request.POST
        }
        conduct = request.POST.get(f"k-{pk}") if row.trained else None
        try:
            result = summer_result_set(actor=request.user, school_class=school_class,
                                       learner=row.learner, retests=retests, conduct=conduct,
                                       version=version, reason=reason)  # fmt: skip
        except ValidationError as error:
            problems[pk] = " ".join(error.messages)
        except EditConflict:
            problems[pk] = _("Kết quả sau hè của học sinh này vừa được người khác sửa; hãy xem "
                             "lại.")  # fmt: skip
        else:
            saved += int(result.changed)
    return saved, problems


@login_required
def summer(request, pk: int):
    """The learners of the class sent to the summer and a form to enter the re-test
    results and the conduct after training."""
    school_class = get_or_404(books.homeroom_class_get, actor=request.user, pk=pk)
    try:
        books.class_rules(school_class)
    except books.GradebookUnavailable:
        raise Http404
    terms = books.class_terms(school_class)
    closure = books.term_closure_get(school_class, terms[2]) if 2 in terms else None
    editable = closure is None or books.manages(request.user, school_class)
    rows = summer_selectors.summer_rows(actor=request.user, school_class=school_class)
    problems: dict[int, str] = {}
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        saved, problems = _summer_save(request, school_class, rows)
        if saved:
            messages.success(request, _("Đã lưu kết quả sau hè của %(n)s học sinh.") % {"n": saved})
        if not problems:
            return redirect(request.path)
        rows = summer_selectors.summer_rows(actor=request.user, school_class=school_class)
    shown = [
        {
            "row": row,
            "problem": problems.get(row.learner.pk, ""),
            "subjects": [
                {
                    "code": item.code,
                    "name": item.subject.name,
                    "year": display.result_text(result),
                    "value": request.POST.get(f"r-{row.learner.pk}-{item.code}")
                    if row.learner.pk in problems
                    else display.cell_text(
                        "mid_term" if item.scored else "rating", _stored(row.retest(item.code))
                    ),
                }
                for item, result in row.subjects
            ],
        }  # fmt: skip
        for row in rows
    ]
    return render(
        request,
        "assessment/summer.html",
        {"school_class": school_class, "rows": shown, "editable": editable, "closure": closure,
         "choices": CONDUCT_CHOICES},
        status=400 if problems else 200,
    )  # fmt: skip


def _stored(value):
    from truongso.assessment.services.results import summer_value

    return None if value is None else summer_value(value)


@login_required
def summer_export(request, pk: int):
    school_class = get_or_404(books.homeroom_class_get, actor=request.user, pk=pk)
    try:
        content = exports.summer_workbook(actor=request.user, school_class=school_class)
    except books.GradebookUnavailable:
        raise Http404
    response = HttpResponse(content, content_type=XLSX)
    filename = f"kiem-tra-lai-{school_class.name}-{school_class.school_year.name}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def electives(request, pk: int):
    """Each learner's elective subjects: a table of learners × electives."""
    school_class = get_or_404(books.homeroom_class_get, actor=request.user, pk=pk)
    try:
        data = summer_selectors.class_electives(actor=request.user, school_class=school_class)
    except books.GradebookUnavailable:
        raise Http404
    except school_class.DoesNotExist:
        raise Http404
    problems: dict[int, str] = {}
    if request.method == "POST":
        saved = 0
        for row in data.rows:
            name = f"e-{row.learner.pk}"
            if f"seen-{row.learner.pk}" not in request.POST:
                continue
            try:
                result = elective_choices_set(actor=request.user, school_class=school_class,
                                              learner=row.learner,
                                              subject_codes=request.POST.getlist(name))  # fmt: skip
            except ValidationError as error:
                problems[row.learner.pk] = " ".join(error.messages)
            else:
                saved += int(result is not None)
        if saved:
            messages.success(request, _("Đã lưu môn lựa chọn của %(n)s học sinh.") % {"n": saved})
        if not problems:
            return redirect(request.path)
    by_pk = {s.pk: s for s in data.subjects}
    rows = [
        {"learner": row.learner, "problem": problems.get(row.learner.pk, ""),
         "cells": [
             {"code": s.code, "name": s.name,
              "checked": (s.code in request.POST.getlist(f"e-{row.learner.pk}"))
              if row.learner.pk in problems else s.pk in row.chosen}
             for s in data.subjects],
         "follows_class": not row.chosen}
        for row in data.rows
    ]  # fmt: skip
    return render(
        request,
        "assessment/electives.html",
        {"school_class": school_class, "data": data, "rows": rows, "count": ELECTIVE_COUNT,
         "assigned": [by_pk[pk].name for pk in data.assigned if pk in by_pk]},
        status=400 if problems else 200,
    )  # fmt: skip
