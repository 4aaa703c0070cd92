"""Pages of vocational programmes: thin, the rules live in services and selectors.

Every record is fetched through a scoped selector (a record out of scope is a 404);
writes need the institution's managers (the services check it again)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from truongso.accounts.access import scope_for
from truongso.vocational import exports, selectors, services
from truongso.vocational.forms import (
    AddLearnersForm,
    CohortForm,
    DisciplineForm,
    EnrolForm,
    ModuleForm,
    ProgrammeForm,
    RetakeForm,
    scores_from_post,
)
from truongso.vocational.messages import downgrade_texts, graduation_text
from truongso.web.shortcuts import add_service_errors, get_or_404, int_or_none, paginate


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _manages(request, institution_id: int) -> bool:
    return scope_for(request.user).manages(institution_id)


def _require_manager(request, institution_id: int) -> None:
    if not _manages(request, institution_id):
        raise PermissionDenied


# --- programmes ------------------------------------------------------------------


@login_required
def home(request):
    institutions = selectors.vocational_institutions(actor=request.user)
    institution_id = int_or_none(request.GET.get("institution"))
    query = request.GET.get("q", "").strip()
    programmes = selectors.programme_list(
        actor=request.user, institution_id=institution_id, query=query
    )
    managed = [i for i in institutions if _manages(request, i.pk)]
    form = ProgrammeForm()
    if request.method == "POST":
        institution = next(
            (i for i in managed if i.pk == int_or_none(request.POST.get("institution"))), None
        )
        if institution is None:
            raise PermissionDenied
        form = ProgrammeForm(request.POST)
        if form.is_valid():
            try:
                programme = services.programme_create(
                    actor=request.user, institution=institution, fields=form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Đã thêm chương trình %(name)s.") % {
                    "name": programme.name})  # fmt: skip
                return redirect("vocational:programme", programme.pk)
    return render(
        request,
        "vocational/home.html",
        {
            "page_obj": paginate(request, programmes),
            "institutions": institutions,
            "institution_id": institution_id,
            "query": query,
            "managed": managed,
            "form": form,
        },
    )


@login_required
def home_xlsx(request):
    programmes = selectors.programme_list(
        actor=request.user, institution_id=int_or_none(request.GET.get("institution"))
    )
    return _xlsx(exports.programmes_workbook(programmes), "chuong-trinh-dao-tao")


@login_required
def programme_detail(request, pk: int):
    programme = get_or_404(selectors.programme_get, actor=request.user, pk=pk)
    manages = _manages(request, programme.institution_id)
    module_form, cohort_form = ModuleForm(), CohortForm()
    if request.method == "POST":
        if not manages:
            raise PermissionDenied
        if request.POST.get("action") == "module":
            module_form = ModuleForm(request.POST)
            if module_form.is_valid():
                try:
                    services.module_create(
                        actor=request.user, programme=programme, fields=module_form.cleaned_data
                    )
                except ValidationError as error:
                    add_service_errors(module_form, error)
                else:
                    messages.success(request, _("Đã thêm mô-đun."))
                    return redirect("vocational:programme", pk)
        else:
            cohort_form = CohortForm(request.POST)
            if cohort_form.is_valid():
                try:
                    cohort = services.cohort_create(
                        actor=request.user, programme=programme, **cohort_form.cleaned_data
                    )
                except ValidationError as error:
                    add_service_errors(cohort_form, error)
                else:
                    return redirect("vocational:cohort", cohort.pk)
    modules = selectors.programme_modules(actor=request.user, programme=programme)
    return render(
        request,
        "vocational/programme.html",
        {
            "programme": programme,
            "page_obj": paginate(request, modules, per_page=50),
            "cohorts": selectors.cohort_list(actor=request.user, programme=programme),
            "manages": manages,
            "module_form": module_form,
            "cohort_form": cohort_form,
        },
    )


@login_required
def programme_xlsx(request, pk: int):
    programme = get_or_404(selectors.programme_get, actor=request.user, pk=pk)
    modules = selectors.programme_modules(actor=request.user, programme=programme)
    return _xlsx(exports.modules_workbook(programme, modules), f"mo-dun-{programme.code}")


# --- cohorts ---------------------------------------------------------------------


@login_required
def cohort_detail(request, pk: int):
    cohort = get_or_404(selectors.cohort_get, actor=request.user, pk=pk)
    manages = _manages(request, cohort.institution_id)
    enrol_form, add_form = EnrolForm(), AddLearnersForm()
    if request.method == "POST":
        if not manages:
            raise PermissionDenied
        if request.POST.get("action") == "enrol":
            enrol_form = EnrolForm(request.POST)
            if enrol_form.is_valid():
                try:
                    made = services.cohort_enrol_semester(
                        actor=request.user, cohort=cohort,
                        semester=enrol_form.cleaned_data["semester"],
                    )  # fmt: skip
                except ValidationError as error:
                    add_service_errors(enrol_form, error)
                else:
                    messages.success(request, _("Đã đăng ký %(n)s lượt học mô-đun.") % {"n": made})
                    return redirect("vocational:cohort", pk)
        else:
            add_form = AddLearnersForm(request.POST)
            if add_form.is_valid():
                codes = add_form.codes()
                found = {
                    lr.education_id: lr
                    for lr in selectors.addable_learners(actor=request.user, cohort=cohort).filter(
                        education_id__in=codes
                    )
                }
                unknown = [c for c in codes if c not in found]
                if unknown:
                    add_form.add_error(
                        "education_ids",
                        _("Không có người học của trường (chưa thuộc lớp) với mã: %(codes)s.")
                        % {"codes": ", ".join(unknown)},
                    )
                else:
                    added = services.cohort_add_learners(
                        actor=request.user, cohort=cohort, learners=found.values()
                    )
                    messages.success(request, _("Đã thêm %(n)s người học vào lớp.") % {"n": added})
                    return redirect("vocational:cohort", pk)
    learners = selectors.cohort_learners(actor=request.user, cohort=cohort)
    return render(
        request,
        "vocational/cohort.html",
        {
            "cohort": cohort,
            "programme": cohort.programme,
            "page_obj": paginate(request, learners),
            "modules": selectors.cohort_modules(actor=request.user, cohort=cohort),
            "manages": manages,
            "enrol_form": enrol_form,
            "add_form": add_form,
        },
    )


def _sheet(request, pk: int, module_pk: int):
    cohort = get_or_404(selectors.cohort_get, actor=request.user, pk=pk)
    module = get_or_404(selectors.module_get, actor=request.user, pk=module_pk)
    if module.programme_id != cohort.programme_id:
        raise PermissionDenied
    return cohort, module


@login_required
def scores(request, pk: int, module_pk: int):
    cohort, module = _sheet(request, pk, module_pk)
    manages = _manages(request, cohort.institution_id)
    enrolments = selectors.score_sheet(actor=request.user, cohort=cohort, module=module)
    errors: dict[str, list[str]] = {}
    typed: dict[int, str] = {}
    if request.method == "POST":
        if not manages:
            raise PermissionDenied
        typed = scores_from_post(request.POST, [e.pk for e in enrolments])
        try:
            changed = services.module_scores_record(
                actor=request.user, cohort=cohort, module=module, scores=typed,
                reason=request.POST.get("reason", "").strip(),
            )  # fmt: skip
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {
                "__all__": error.messages}  # fmt: skip
        else:
            messages.success(request, _("Đã lưu điểm (%(n)s thay đổi).") % {"n": changed})
            return redirect("vocational:scores", pk, module_pk)
    rows = []
    for e in enrolments:
        shown = typed.get(e.pk, "" if e.score is None else str(e.score))
        rows.append({"enrolment": e, "value": shown, "errors": errors.get(f"score_{e.pk}", [])})
    return render(
        request,
        "vocational/scores.html",
        {
            "cohort": cohort,
            "module": module,
            "rows": rows,
            "errors": [m for key, msgs in errors.items() for m in msgs],
            "manages": manages,
        },
        status=400 if errors else 200,
    )


@login_required
def scores_xlsx(request, pk: int, module_pk: int):
    cohort, module = _sheet(request, pk, module_pk)
    enrolments = selectors.score_sheet(actor=request.user, cohort=cohort, module=module)
    return _xlsx(
        exports.score_sheet_workbook(cohort, module, enrolments), f"diem-{cohort.pk}-{module.code}"
    )


@login_required
@require_POST
def retake(request, pk: int, enrolment_pk: int):
    cohort = get_or_404(selectors.cohort_get, actor=request.user, pk=pk, write=True)
    enrolment = get_or_404(
        selectors.enrolment_get, actor=request.user, cohort=cohort, pk=enrolment_pk, write=True
    )
    form = RetakeForm(request.POST)
    if form.is_valid():
        try:
            services.module_retake(
                actor=request.user, enrolment=enrolment,
                semester=form.cleaned_data["semester"],
            )  # fmt: skip
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã đăng ký học lại."))
    else:
        messages.error(request, _("Hãy nhập học kỳ học lại (một số từ 1)."))
    return redirect("vocational:scores", pk, enrolment.module_id)


# --- results ---------------------------------------------------------------------


def _transcript(request, pk: int, learner_pk: int):
    cohort = get_or_404(selectors.cohort_get, actor=request.user, pk=pk)
    learner = get_or_404(selectors.cohort_learner_get, actor=request.user, cohort=cohort,
                         pk=learner_pk)  # fmt: skip
    return cohort, learner


@login_required
def transcript(request, pk: int, learner_pk: int):
    cohort, learner = _transcript(request, pk, learner_pk)
    manages = _manages(request, cohort.institution_id)
    form = DisciplineForm()
    if request.method == "POST":
        if not manages:
            raise PermissionDenied
        form = DisciplineForm(request.POST)
        if form.is_valid():
            try:
                services.discipline_record(
                    actor=request.user, cohort=cohort, learner=learner, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Đã ghi quyết định kỷ luật."))
                return redirect("vocational:transcript", pk, learner_pk)
    result = selectors.learner_transcript(actor=request.user, cohort=cohort, learner=learner)
    return render(
        request,
        "vocational/transcript.html",
        {
            "cohort": cohort,
            "learner": learner,
            "t": result,
            "status": graduation_text(result),
            "downgrades": downgrade_texts(result.classification),
            "discipline": selectors.learner_discipline(
                actor=request.user, cohort=cohort, learner=learner
            ),
            "manages": manages,
            "form": form,
        },
    )


@login_required
def transcript_xlsx(request, pk: int, learner_pk: int):
    cohort, learner = _transcript(request, pk, learner_pk)
    result = selectors.learner_transcript(actor=request.user, cohort=cohort, learner=learner)
    return _xlsx(exports.transcript_workbook(result), f"bang-diem-{learner.education_id}")


@login_required
def graduation(request, pk: int):
    cohort = get_or_404(selectors.cohort_get, actor=request.user, pk=pk)
    rows = selectors.graduation_list(actor=request.user, cohort=cohort)
    only = request.GET.get("only")
    if only == "eligible":
        rows = [r for r in rows if r.eligible]
    page = paginate(request, rows)
    return render(
        request,
        "vocational/graduation.html",
        {
            "cohort": cohort,
            "page_obj": page,
            "rows": [(t, graduation_text(t)) for t in page.object_list],
            "only": only,
            "eligible_count": sum(1 for r in rows if r.eligible),
            "manages": _manages(request, cohort.institution_id),
        },
    )


@login_required
def graduation_xlsx(request, pk: int):
    cohort = get_or_404(selectors.cohort_get, actor=request.user, pk=pk)
    rows = selectors.graduation_list(actor=request.user, cohort=cohort)
    if request.GET.get("only") == "eligible":
        rows = [r for r in rows if r.eligible]
    return _xlsx(
        exports.graduation_workbook(cohort, rows, graduation_text), f"xet-tot-nghiep-{cohort.pk}"
    )
