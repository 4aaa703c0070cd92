"""Gradebook pages: a class's gradebooks, the grid of one subject (a form that works
without JavaScript; gradebook.js saves each cell as it changes through ``cell``),
conduct and absences, results with the .xlsx export, term closure, the comment bank,
and a learner's results for their guardian.

Thin: parse input, call a scoped selector or a service, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from truongso.academics.models import Term
from truongso.assessment import display, exports
from truongso.assessment import messages as texts
from truongso.assessment.forms import (
    CONDUCT_CHOICES,
    SCOPE_SCHOOL,
    CommentPhraseForm,
    TermCloseForm,
    TermReopenForm,
    grid_name,
    version_name,
)
from truongso.assessment.models import Period
from truongso.assessment.rules import gradebook as rules_gradebook
from truongso.assessment.selectors import gradebook as books
from truongso.assessment.selectors import results as result_selectors
from truongso.assessment.services import (
    EditConflict,
    absences_set,
    comment_phrase_add,
    comment_phrase_delete,
    conduct_set,
    score_set,
    term_close,
    term_reopen,
)
from truongso.assessment.services.results import missing_from_json
from truongso.assessment.templatetags.gradebook_grid import Grid
from truongso.web.shortcuts import get_or_404, int_or_none


def _unavailable(request, school_class, error: ValidationError):
    return render(
        request,
        "assessment/unavailable.html",
        {"school_class": school_class, "message": error.messages[0]},
    )


def _term(request, terms: dict[int, Term]) -> Term:
    number = int_or_none(request.POST.get("term") or request.GET.get("term"))
    if number not in terms:
        number = books.current_term_number(terms)
    if number not in terms:
        raise Http404
    return terms[number]


def _missing(result, names: dict[str, str]) -> str:
    if result is None or not result.missing:
        return ""
    return "; ".join(texts.missing_items_text(missing_from_json(result.missing), names))


def _when(value) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT") if value else ""


# --- a class's gradebooks ---------------------------------------------------------


def _is_primary(school_class) -> bool:
    from truongso.assessment.selectors.primary import primary_rules

    try:
        primary_rules(school_class)
    except books.GradebookUnavailable:
        return False
    return True


@login_required
def class_gradebooks(request, pk: int):
    try:
        books_of_class = get_or_404(books.gradebook_class_get, actor=request.user, pk=pk)
    except books.GradebookUnavailable as error:
        school_class = get_or_404(books.homeroom_class_get, actor=request.user, pk=pk)
        if error.code == "not_secondary" and _is_primary(school_class):
            return redirect("assessment:primary", pk=pk)
        return _unavailable(request, school_class, error)
    school_class = books_of_class.school_class
    terms = books.class_terms(school_class)
    closures = [(term, books.term_closure_get(school_class, term)) for term in terms.values()]
    reopen = [
        TermReopenForm(initial={"closure": closure.pk}, prefix=f"reopen{closure.pk}")
        for _term_, closure in closures
        if closure is not None
    ]
    return render(
        request,
        "assessment/class_gradebooks.html",
        {
            "school_class": school_class,
            "books": books_of_class,
            "terms": terms,
            "closures": closures,
            "close_form": TermCloseForm(initial={"term": books.current_term_number(terms)}),
            "reopen_forms": reopen,
        },
    )


@login_required
@require_POST
def term_close_view(request, pk: int):
    school_class = get_or_404(books.homeroom_class_get, actor=request.user, pk=pk)
    terms = books.class_terms(school_class)
    form = TermCloseForm(request.POST)
    if form.is_valid() and form.cleaned_data["term"] in terms:
        term = terms[form.cleaned_data["term"]]
        whole = form.cleaned_data["scope"] == SCOPE_SCHOOL
        try:
            term_close(actor=request.user, institution=school_class.institution, term=term,
                       school_class=None if whole else school_class,
                       note=form.cleaned_data["note"])  # fmt: skip
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                (_("Đã khóa sổ %(term)s toàn trường.") if whole
                 else _("Đã khóa sổ %(term)s lớp %(name)s."))
                % {"term": term, "name": school_class.name},
            )  # fmt: skip
    else:
        messages.error(request, _("Hãy chọn học kỳ và phạm vi khóa sổ."))
    return redirect("assessment:class_gradebooks", pk=pk)


@login_required
@require_POST
def term_reopen_view(request, pk: int):
    school_class = get_or_404(books.homeroom_class_get, actor=request.user, pk=pk)
    closure_pk = int_or_none(request.POST.get("closure"))
    closure = get_or_404(books.term_closure_by_pk, actor=request.user, pk=closure_pk)
    if closure.institution_id != school_class.institution_id:
        raise Http404
    try:
        term_reopen(actor=request.user, closure=closure, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã mở lại sổ điểm %(term)s.") % {"term": closure.term})
    return redirect("assessment:class_gradebooks", pk=pk)


# --- one subject's grid -----------------------------------------------------------


def _grid(book, rows, term, editable, submitted, problems) -> Grid:
    """What the grid's body shows (templatetags.gradebook_grid). Subject names are read
    only when a result has something missing to name."""
    names: dict[str, str] | None = None

    def missing(result) -> str:
        nonlocal names
        if result is None or not result.missing:
            return ""
        if names is None:
            names = result_selectors.subject_names()
        return _missing(result, names)

    year = term.number == 2
    results = [
        (display.result_text(row.term_result), missing(row.term_result),
         display.result_text(row.year_result) if year else "",
         missing(row.year_result) if year else "")
        for row in rows
    ]  # fmt: skip
    fields = book.subject.fields
    return Grid(rows=rows, fields=fields, results=results, editable=editable,
                scored=book.subject.scored, term_number=term.number,
                colspan=len(fields) + 4, submitted=submitted, problems=problems)  # fmt: skip


def _conflict_text(error: EditConflict, learner_name: str, field: str) -> str:
    who = str(error.updated_by) if error.updated_by else _("người khác")
    return _(
        "%(learner)s, cột %(column)s: %(who)s đã sửa thành “%(stored)s” (lúc %(at)s) trong lúc "
        "bạn nhập “%(attempted)s”. Giá trị đã lưu được giữ; nhập lại nếu muốn thay."
    ) % {
        "learner": learner_name, "column": display.column_label(field), "who": who,
        "stored": display.cell_text(field, error.stored) or "∅",
        "attempted": display.cell_text(field, error.attempted) or "∅",
        "at": _when(error.updated_at),
    }  # fmt: skip


def _save_grid(request, book, term, rows):
    """Save the cells of a submitted grid that differ from what is stored. Returns
    (saved count, problems by cell, submitted texts to show again, messages)."""
    problems: dict[tuple[int, str], str] = {}
    submitted: dict[tuple[int, str], str] = {}
    notes: list[str] = []
    saved = 0
    reason = request.POST.get("reason", "")
    for row in rows:
        version = int_or_none(request.POST.get(version_name(row.learner.pk)))
        if version is None:
            continue
        for field in book.subject.fields:
            name = grid_name(row.learner.pk, field)
            if name not in request.POST:
                continue
            text = request.POST[name]
            if text.strip() == display.cell_text(field, row.cells[field]):
                continue
            key = (row.learner.pk, field)
            try:
                result = score_set(actor=request.user, school_class=book.school_class,
                                   subject=book.subject.subject, term=term, learner=row.learner,
                                   field=field, value=text, version=version, reason=reason,
                                   context=book.context)  # fmt: skip
            except ValidationError as error:
                message = " ".join(error.messages)
                problems[key], submitted[key] = message, text
                notes.append(f"{row.learner.full_name}, {display.column_label(field)}: {message}")
            except EditConflict as error:
                problems[key] = _conflict_text(error, row.learner.full_name, field)
                notes.append(problems[key])
            else:
                if result.changed:
                    saved += 1
                    version = result.row.version
    return saved, problems, submitted, notes


@login_required
def gradebook(request, pk: int, subject: str):
    try:
        book = get_or_404(books.gradebook_get, actor=request.user, class_pk=pk,
                          subject_code=subject)  # fmt: skip
    except books.GradebookUnavailable:
        raise Http404
    school_class = book.school_class
    terms = book.context.terms
    term = _term(request, terms)
    closure = books.term_closure_get(school_class, term)
    editable = book.can_write and (closure is None or book.manager)
    rows = books.gradebook_rows(gradebook=book, term=term)
    problems: dict = {}
    submitted: dict = {}
    notes: list[str] = []
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        try:
            saved, problems, submitted, notes = _save_grid(request, book, term, rows)
        except PermissionDenied:
            raise
        if not problems:
            messages.success(request, _("Đã lưu %(n)s ô.") % {"n": saved})
            return redirect(f"{request.path}?term={term.number}")
        if saved:
            messages.success(request, _("Đã lưu %(n)s ô.") % {"n": saved})
        rows = books.gradebook_rows(gradebook=book, term=term)
    phrases = [p.text for p in books.comment_phrases(
        actor=request.user, institution_id=school_class.institution_id,
        subject_id=book.subject.subject.pk)]  # fmt: skip
    phrases += [p for p in rules_gradebook.DEFAULT_COMMENT_PHRASES if p not in phrases]
    return render(
        request,
        "assessment/gradebook.html",
        {
            "book": book,
            "school_class": school_class,
            "subject": book.subject,
            "terms": terms,
            "term": term,
            "closure": closure,
            "editable": editable,
            "columns": [
                (display.column_label(f), display.column_title(f), f) for f in book.subject.fields
            ],  # fmt: skip
            "grid": _grid(book, rows, term, editable, submitted, problems),
            "notes": notes,
            "phrases": phrases,
        },
        status=400 if problems else 200,
    )


def _json_error(message: str, status: int, **extra) -> JsonResponse:
    return JsonResponse({"ok": False, "error": message, **extra}, status=status)


@login_required
@require_POST
def gradebook_cell(request, pk: int, subject: str):
    """Save one cell (gradebook.js): JSON with the value as stored, the row's new
    version and the row's averages; 409 with both values on a conflict."""
    try:
        book = books.gradebook_get(actor=request.user, class_pk=pk, subject_code=subject)
    except (ObjectDoesNotExist, books.GradebookUnavailable):
        return _json_error(_("Không tìm thấy sổ điểm này."), 404)
    term = book.context.terms.get(int_or_none(request.POST.get("term")))
    learner_id = int_or_none(request.POST.get("learner"))
    version = int_or_none(request.POST.get("version"))
    field = request.POST.get("field", "")
    if term is None or learner_id is None or version is None or not field:
        return _json_error(_("Thiếu học kỳ, học sinh, ô hoặc phiên bản."), 400)
    try:
        saved = score_set(actor=request.user, school_class=book.school_class,
                          subject=book.subject.subject, term=term, learner=learner_id,
                          field=field, value=request.POST.get("value", ""), version=version,
                          reason=request.POST.get("reason", ""), context=book.context)  # fmt: skip
    except PermissionDenied as error:
        message = str(error) or _("Bạn không có quyền sửa sổ điểm này.")
        return _json_error(message, 403)
    except ValidationError as error:
        where = next(iter(error.message_dict), "") if hasattr(error, "error_dict") else ""
        return _json_error(" ".join(error.messages), 400, field=where)
    except EditConflict as error:
        return _json_error(
            _("Ô này vừa được %(who)s sửa thành “%(stored)s” trong lúc bạn nhập “%(attempted)s”.")
            % {"who": str(error.updated_by or _("người khác")),
               "stored": display.cell_text(field, error.stored) or "∅",
               "attempted": display.cell_text(field, error.attempted) or "∅"},
            409,
            conflict=True,
            stored=display.cell_text(field, error.stored),
            attempted=display.cell_text(field, error.attempted),
            version=error.stored_version,
            by=str(error.updated_by or ""),
            at=_when(error.updated_at),
        )  # fmt: skip
    names = {s.code: s.subject.name for s in book.context.subjects}
    stored = books.subject_results_get(
        learner_id=learner_id, subject_id=book.subject.subject.pk,
        school_year_id=book.school_class.school_year_id, periods=(term.number, Period.YEAR),
    )  # fmt: skip
    results = {
        key: {"text": display.result_text(stored.get(period)),
              "missing": _missing(stored.get(period), names)}
        for key, period in (("term", term.number), ("year", Period.YEAR))
    }  # fmt: skip
    return JsonResponse({
        "ok": True,
        "field": field,
        "value": display.cell_text(field, saved.value),
        "changed": saved.changed,
        "version": saved.row.version if saved.row is not None else version,
        "term_result": results["term"],
        "year_result": results["year"],
    })  # fmt: skip


@login_required
def phrases(request, pk: int, subject: str):
    """The school's comment bank for a subject: add and remove phrases."""
    try:
        book = get_or_404(books.gradebook_get, actor=request.user, class_pk=pk,
                          subject_code=subject)  # fmt: skip
    except books.GradebookUnavailable:
        raise Http404
    institution_id = book.school_class.institution_id
    form = CommentPhraseForm(request.POST or None)
    if request.method == "POST":
        delete = int_or_none(request.POST.get("delete"))
        try:
            if delete is not None:
                phrase = get_or_404(books.comment_phrase_get, actor=request.user, pk=delete)
                comment_phrase_delete(actor=request.user, phrase=phrase)
                messages.success(request, _("Đã xóa nhận xét mẫu."))
                return redirect(request.path)
            if form.is_valid():
                every = form.cleaned_data["every_subject"]
                comment_phrase_add(actor=request.user, institution_id=institution_id,
                                   subject=None if every else book.subject.subject,
                                   text=form.cleaned_data["text"])  # fmt: skip
                messages.success(request, _("Đã thêm nhận xét mẫu."))
                return redirect(request.path)
        except ValidationError as error:
            form.add_error("text", error.messages)
    return render(
        request,
        "assessment/phrases.html",
        {
            "book": book,
            "school_class": book.school_class,
            "form": form,
            "phrases": books.comment_phrases(
                actor=request.user,
                institution_id=institution_id,
                subject_id=book.subject.subject.pk,
            ),  # fmt: skip
            "defaults": rules_gradebook.DEFAULT_COMMENT_PHRASES,
        },
    )


# --- conduct and absences ---------------------------------------------------------


def _save_homeroom(request, school_class, term, rows):
    notes: list[str] = []
    saved = 0
    reason = request.POST.get("reason", "")
    for row in rows:
        lid = row.learner.pk
        conduct, absences = row.conduct, row.absences
        level = request.POST.get(f"k-{lid}")
        comment = request.POST.get(f"n-{lid}")
        if level is not None and (
            level != (conduct.level if conduct else "")
            or (comment or "").strip() != (conduct.comment if conduct else "")
        ):
            try:
                result = conduct_set(actor=request.user, school_class=school_class, term=term,
                                     learner=row.learner, level=level, comment=comment or "",
                                     version=int_or_none(request.POST.get(f"vk-{lid}")) or 0,
                                     reason=reason)  # fmt: skip
                saved += int(result.changed)
            except ValidationError as error:
                notes.append(f"{row.learner.full_name}: {' '.join(error.messages)}")
            except EditConflict:
                notes.append(_("%(learner)s: kết quả rèn luyện vừa được người khác sửa; hãy "
                               "xem lại.") % {"learner": row.learner.full_name})  # fmt: skip
        excused = request.POST.get(f"p-{lid}")
        unexcused = request.POST.get(f"u-{lid}")
        stored = (absences.days_excused, absences.days_unexcused) if absences else (0, 0)
        if excused is None or unexcused is None:
            continue
        if (excused.strip() or "0", unexcused.strip() or "0") == tuple(map(str, stored)):
            continue
        try:
            result = absences_set(actor=request.user, school_class=school_class, term=term,
                                  learner=row.learner, days_excused=excused,
                                  days_unexcused=unexcused,
                                  version=int_or_none(request.POST.get(f"va-{lid}")) or 0,
                                  reason=reason)  # fmt: skip
            saved += int(result.changed)
        except ValidationError as error:
            notes.append(f"{row.learner.full_name}: {' '.join(error.messages)}")
        except EditConflict:
            notes.append(_("%(learner)s: số ngày nghỉ vừa được người khác sửa; hãy xem lại.")
                         % {"learner": row.learner.full_name})  # fmt: skip
    return saved, notes


@login_required
def homeroom(request, pk: int):
    """Conduct and days absent of each learner of the class for a term."""
    school_class = get_or_404(books.homeroom_class_get, actor=request.user, pk=pk)
    try:
        books.class_rules(school_class)
    except books.GradebookUnavailable as error:
        return _unavailable(request, school_class, error)
    terms = books.class_terms(school_class)
    term = _term(request, terms)
    closure = books.term_closure_get(school_class, term)
    editable = closure is None or books.manages(request.user, school_class)
    rows = books.homeroom_rows(actor=request.user, school_class=school_class, term=term)
    notes: list[str] = []
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        try:
            saved, notes = _save_homeroom(request, school_class, term, rows)
        except PermissionDenied:
            raise
        if saved:
            messages.success(request, _("Đã lưu %(n)s thay đổi.") % {"n": saved})
        if not notes:
            if not saved:
                messages.info(request, _("Không có gì thay đổi."))
            return redirect(f"{request.path}?term={term.number}")
        rows = books.homeroom_rows(actor=request.user, school_class=school_class, term=term)
    return render(
        request,
        "assessment/homeroom.html",
        {
            "school_class": school_class,
            "terms": terms,
            "term": term,
            "closure": closure,
            "editable": editable,
            "rows": rows,
            "notes": notes,
            "choices": CONDUCT_CHOICES,
        },
        status=400 if notes else 200,
    )


# --- results ----------------------------------------------------------------------


def _period(request) -> int:
    period = int_or_none(request.GET.get("period"))
    return period if period in (Period.YEAR, Period.TERM_1, Period.TERM_2) else Period.YEAR


@login_required
def results(request, pk: int):
    school_class = get_or_404(books.homeroom_class_get, actor=request.user, pk=pk)
    period = _period(request)
    try:
        data = result_selectors.class_results(actor=request.user, school_class=school_class,
                                              period=period)  # fmt: skip
    except books.GradebookUnavailable as error:
        return _unavailable(request, school_class, error)
    names = {s.code: s.subject.name for s in data.subjects}
    rows = []
    for row in data.rows:
        result = row.result
        rows.append({
            "learner": row.learner,
            "subjects": [display.result_text(row.subjects[s.code]) for s in data.subjects],
            "learning": display.rating_text(result.learning) if result else "",
            "adjusted": bool(result and result.learning_base
                             and result.learning_base != result.learning),
            "conduct": display.rating_text(result.conduct) if result else "",
            "days_absent": result.days_absent if result else "",
            "promotion": result.get_promotion_display() if result and period == 0 else "",
            "retests": ", ".join(names.get(c, c) for c in result.retest_subjects)
            if result and period == 0 else "",
            "award": result.get_award_display() if result and period == 0 else "",
            "missing": _missing(result, names),
        })  # fmt: skip
    levels = [(code, display.rating_text(code)) for code in ("tot", "kha", "dat", "chua_dat")]
    return render(
        request,
        "assessment/results.html",
        {
            "school_class": school_class,
            "data": data,
            "rows": rows,
            "period": period,
            "periods": Period.choices,
            "levels": levels,
            "names": names,
        },
    )


@login_required
def results_export(request, pk: int):
    """The class's sổ điểm and results as an .xlsx workbook."""
    school_class = get_or_404(books.homeroom_class_get, actor=request.user, pk=pk)
    try:
        content = exports.class_workbook(actor=request.user, school_class=school_class)
    except books.GradebookUnavailable:
        raise Http404
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"so-diem-{school_class.name}-{school_class.school_year.name}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def learner_results(request, pk: int):
    """A learner's results: for their guardian (and the school)."""
    learner, years = get_or_404(result_selectors.learner_results_get, actor=request.user, pk=pk)
    names = result_selectors.subject_names()
    shown = []
    for year in years:
        shown.append({
            "school_year": year.school_year,
            "school_class": year.school_class,
            "subjects": [
                (subject, [display.result_text(by_period[p]) for p in (1, 2, 0)])
                for subject, by_period in year.subjects
            ],
            "periods": [
                (label, year.periods.get(p)) for p, label in
                ((1, _("Học kỳ I")), (2, _("Học kỳ II")), (0, _("Cả năm")))
            ],
            "year": year.periods.get(0),
            "missing": _missing(year.periods.get(0), names),
        })  # fmt: skip
    return render(request, "assessment/learner_results.html", {"learner": learner,
                                                               "years": shown})  # fmt: skip
