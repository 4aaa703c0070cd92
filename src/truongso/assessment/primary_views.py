"""The primary gradebook page (Circular 27/2020): for the homeroom teacher, one point
of the year at a time (mid or end of term I, mid of term II, end of year): each
subject's rating and test score, the qualities and competencies at the end of each
term, the class's nomination, and each learner's end-of-year outcome and award; the
class's gradebook as .xlsx. Thin: parse input, call a scoped selector or a service."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from truongso.assessment.rules import primary_gradebook as rp
from truongso.assessment.selectors import gradebook as books
from truongso.assessment.selectors.primary import primary_book_get, primary_rows
from truongso.assessment.services.gradebook import EditConflict
from truongso.assessment.services.primary import TERM_OF, primary_cell_set
from truongso.web.shortcuts import get_or_404

PERIOD_LABELS = {
    rp.MID_1: gettext_lazy("Giữa học kỳ I"),
    rp.END_1: gettext_lazy("Cuối học kỳ I"),
    rp.MID_2: gettext_lazy("Giữa học kỳ II"),
    rp.END_2: gettext_lazy("Cuối năm học"),
}
SHORT = {"hoan_thanh_tot": "HTT", "hoan_thanh": "HT", "chua_hoan_thanh": "CHT",
         "tot": "T", "dat": "Đ", "can_co_gang": "CCG"}  # fmt: skip


def _columns(book, period):
    """(cell kind, subject or quality code, heading) of the page for a period."""
    cols = []
    for s in book.subjects:
        cols.append((rp.RATING, s.code, s.subject.name))
        if period in s.test_periods:
            cols.append((rp.TEST, s.code, _("KT %(name)s") % {"name": s.subject.name}))
    if period in rp.QUALITY_PERIODS:
        cols += [(rp.QUALITY, code, name) for code, name in rp.QUALITIES.items()]
    return cols


def _text(row, kind, code, period) -> str:
    if kind == rp.QUALITY:
        value = row.value("", kind, period, code)
    else:
        value = row.value(code, kind, period)
    if value is None:
        return ""
    return SHORT.get(value, value)


def _save(request, book, period, rows, cols) -> tuple[int, list[str], dict]:
    saved, notes, submitted = 0, [], {}
    reason = request.POST.get("reason", "")
    for row in rows:
        pk = row.learner.pk
        versions = {}
        for kind, code, _heading in cols:
            name = f"c-{pk}-{rp.cell_name(kind, period, code)}"
            if name not in request.POST:
                continue
            text = request.POST[name].strip()
            if text == _text(row, kind, code, period):
                continue
            owner = rp.QUALITY if kind == rp.QUALITY else code
            version = versions.get(owner, int(request.POST.get(f"v-{pk}-{owner}") or 0))
            where = {"quality": code} if kind == rp.QUALITY else {"subject_code": code}
            try:
                result = primary_cell_set(actor=request.user, school_class=book.school_class,
                                          learner=row.learner, kind=kind, value=text,
                                          version=version, period=period, reason=reason,
                                          **where)  # fmt: skip
            except ValidationError as error:
                submitted[name] = text
                notes.append(f"{row.learner.full_name}: {' '.join(error.messages)}")
            except EditConflict:
                notes.append(_("%(learner)s: ô vừa được người khác sửa; hãy xem lại.")
                             % {"learner": row.learner.full_name})  # fmt: skip
            else:
                saved += int(result.changed)
                versions[owner] = result.row.version if result.row else version
    return saved, notes, submitted


@login_required
def primary(request, pk: int):
    try:
        book = get_or_404(primary_book_get, actor=request.user, pk=pk)
    except books.GradebookUnavailable:
        raise Http404
    period = request.GET.get("period") or request.POST.get("period") or rp.END_2
    if period not in rp.PERIODS:
        raise Http404
    school_class = book.school_class
    term = book.terms.get(TERM_OF[period])
    closure = books.term_closure_get(school_class, term) if term else None
    editable = closure is None or book.manager
    rows = primary_rows(book)
    cols = _columns(book, period)
    notes: list[str] = []
    submitted: dict = {}
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        saved, notes, submitted = _save(request, book, period, rows, cols)
        if saved:
            messages.success(request, _("Đã lưu %(n)s ô.") % {"n": saved})
        if not notes:
            return redirect(f"{request.path}?period={period}")
        rows = primary_rows(book)
    shown = []
    for row in rows:
        pk_ = row.learner.pk
        cells = []
        for kind, code, heading in cols:
            name = f"c-{pk_}-{rp.cell_name(kind, period, code)}"
            cells.append({"name": name, "label": heading,
                          "text": submitted.get(name, _text(row, kind, code, period)),
                          "owner": rp.QUALITY if kind == rp.QUALITY else code})  # fmt: skip
        result = row.result
        shown.append({
            "learner": row.learner, "cells": cells,
            "versions": [(f"v-{pk_}-{s.code}", row.version(s.code)) for s in book.subjects]
            + [(f"v-{pk_}-{rp.QUALITY}", row.version(rp.QUALITY))],
            "outcome": result.get_outcome_display() if result and result.outcome else "",
            "award": result.get_award_display() if result and result.award else "",
        })  # fmt: skip
    return render(
        request,
        "assessment/primary.html",
        {"book": book, "school_class": school_class, "period": period,
         "periods": list(PERIOD_LABELS.items()), "columns": cols, "rows": shown,
         "editable": editable, "closure": closure, "notes": notes},
        status=400 if notes else 200,
    )  # fmt: skip


@login_required
def primary_export(request, pk: int):
    """The class's primary gradebook as .xlsx: one sheet per point of the year."""
    try:
        book = get_or_404(primary_book_get, actor=request.user, pk=pk)
    except books.GradebookUnavailable:
        raise Http404
    rows = primary_rows(book)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for period, label in PERIOD_LABELS.items():
        sheet = workbook.create_sheet(str(label))
        cols = _columns(book, period)
        sheet.append([book.school_class.institution.name])
        school_class = book.school_class
        title = _("Lớp %(name)s – Năm học %(year)s")
        sheet.append([title % {"name": school_class.name, "year": school_class.school_year.name}])
        headers = [_("STT"), _("Họ và tên"), *[str(h) for _k, _c, h in cols]]
        if period == rp.END_2:
            headers += [_("Kết quả cuối năm"), _("Khen thưởng")]
        sheet.append(headers)
        for number, row in enumerate(rows, start=1):
            values = [number, row.learner.full_name]
            for kind, code, _heading in cols:
                text = _text(row, kind, code, period)
                values.append(int(text) if kind == rp.TEST and text else text)
            if period == rp.END_2:
                result = row.result
                values += [
                    result.get_outcome_display() if result and result.outcome else "",
                    result.get_award_display() if result and result.award else "",
                ]
            sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"danh-gia-{book.school_class.name}-{book.school_class.school_year.name}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
