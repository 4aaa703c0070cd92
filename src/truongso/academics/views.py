"""Class pages: list, roster, create and edit, teaching assignments, year-end promotion."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from truongso.academics import selectors, services
from truongso.academics.forms import (
    AssignmentForm,
    ClassCreateForm,
    ClassFilterForm,
    ClassForm,
    PromoteForm,
    teachers_of,
)
from truongso.accounts.access import scope_for
from truongso.learners import services as learner_services
from truongso.learners.models import EnrolmentEventKind
from truongso.units.selectors import institution_get
from truongso.web.shortcuts import add_service_errors, get_or_404, int_or_none, paginate


@login_required
def class_list(request):
    data = request.GET.copy()
    if "school_year" not in data:
        year = selectors.current_school_year()
        if year is not None:
            data["school_year"] = str(year.pk)
    form = ClassFilterForm(data)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.class_list(
        actor=request.user,
        institution_id=filters.get("institution"),
        school_year=filters.get("school_year"),
        grade=filters.get("grade"),
    )
    return render(
        request,
        "academics/class_list.html",
        {
            "form": form,
            "page_obj": paginate(request, qs),
            "can_create": bool(scope_for(request.user).managed_institution_ids),
        },
    )


@login_required
def class_detail(request, pk: int):
    school_class = get_or_404(selectors.class_get, actor=request.user, pk=pk)
    scope = scope_for(request.user)
    roster = selectors.class_roster(actor=request.user, school_class=school_class)
    return render(
        request,
        "academics/class_detail.html",
        {
            "school_class": school_class,
            "page_obj": paginate(request, roster, per_page=60),
            "assignments": selectors.class_assignments(
                actor=request.user, school_class=school_class
            ),
            "manages": scope.manages(school_class.institution_id),
            "is_homeroom": pk in scope.homeroom_class_ids,
        },
    )


@login_required
def class_create(request):
    scope = scope_for(request.user)
    if not scope.managed_institution_ids:
        raise PermissionDenied
    chosen = None
    institution_id = int_or_none(request.POST.get("institution") or request.GET.get("institution"))
    if institution_id in scope.managed_institution_ids:
        chosen = get_or_404(institution_get, actor=request.user, pk=institution_id)
    form = ClassCreateForm(
        request.POST or None,
        actor=request.user,
        managed_ids=scope.managed_institution_ids,
        institution=chosen,
        initial={"school_year": selectors.current_school_year()},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        institution = data.pop("institution")
        try:
            school_class = services.class_create(
                actor=request.user, institution=institution, fields=data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã tạo lớp %(name)s.") % {"name": school_class.name})
            return redirect("academics:class_detail", pk=school_class.pk)
    return render(request, "academics/class_form.html", {"form": form, "school_class": None})


@login_required
def class_edit(request, pk: int):
    school_class = get_or_404(selectors.class_get, actor=request.user, pk=pk, write=True)
    form = ClassForm(
        request.POST or None,
        instance=school_class,
        actor=request.user,
        institution=school_class.institution,
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.class_update(
                actor=request.user,
                school_class=get_or_404(selectors.class_get, actor=request.user, pk=pk, write=True),
                fields=fields,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu lớp."))
            return redirect("academics:class_detail", pk=pk)
    return render(
        request, "academics/class_form.html", {"form": form, "school_class": school_class}
    )


@login_required
def assignment_edit(request, pk: int):
    school_class = get_or_404(selectors.class_get, actor=request.user, pk=pk, write=True)
    assignments = selectors.class_assignments(actor=request.user, school_class=school_class)
    current = {a.subject_id: a.staff_member_id for a in assignments}
    form = AssignmentForm(
        request.POST or None,
        subjects=selectors.grade_subjects(grade=school_class.grade),
        teachers=teachers_of(actor=request.user, institution_id=school_class.institution_id),
        current=current,
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.class_assignments_set(
                actor=request.user,
                school_class=school_class,
                teachers={
                    subject: form.cleaned_data.get(name) for name, subject in form.subjects.items()
                },
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã cập nhật %(n)s phân công giảng dạy.") % {"n": changed})
            return redirect("academics:class_detail", pk=pk)
    return render(
        request, "academics/assignment_form.html", {"form": form, "school_class": school_class}
    )


@login_required
def class_promote(request, pk: int):
    """Year-end promotion: choose the next-year class, tick repeaters, confirm."""
    school_class = get_or_404(selectors.class_get, actor=request.user, pk=pk, write=True)
    roster = selectors.class_roster(actor=request.user, school_class=school_class)
    form = PromoteForm(
        request.POST or None, actor=request.user, school_class=school_class, roster=roster
    )
    final = school_class.grade >= school_class.institution.grade_to
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        repeaters = {learner.pk for learner in data["repeaters"]}
        if data.get("confirm"):
            try:
                counts = learner_services.class_promote(
                    actor=request.user,
                    school_class=school_class,
                    next_class=data.get("next_class"),
                    repeat_class=data.get("repeat_class"),
                    repeater_ids=repeaters,
                    on=data["on"],
                    reason=data.get("reason", ""),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Đã xét lên lớp: %(promote)s lên lớp, %(repeat)s lưu ban, "
                      "%(complete)s hoàn thành cấp học.")
                    % {
                        "promote": counts.get(EnrolmentEventKind.PROMOTE, 0),
                        "repeat": counts.get(EnrolmentEventKind.REPEAT, 0),
                        "complete": counts.get(EnrolmentEventKind.COMPLETE_LEVEL, 0),
                    },
                )  # fmt: skip
                return redirect("academics:class_detail", pk=pk)
        else:
            try:
                counts = learner_services.class_promote(
                    actor=request.user,
                    school_class=school_class,
                    next_class=data.get("next_class"),
                    repeat_class=data.get("repeat_class"),
                    repeater_ids=repeaters,
                    on=data["on"],
                    dry_run=True,
                )
            except ValidationError as error:
                add_service_errors(form, error)
                return render(
                    request,
                    "academics/class_promote.html",
                    {"form": form, "school_class": school_class, "preview": None, "final": final},
                )
            preview = {
                "total": sum(counts.values()),
                "repeat": counts.get(EnrolmentEventKind.REPEAT, 0),
                "promote": counts.get(EnrolmentEventKind.PROMOTE, 0),
                "complete": counts.get(EnrolmentEventKind.COMPLETE_LEVEL, 0),
            }
            form.data = form.data.copy()
            form.data["confirm"] = "on"
            return render(
                request,
                "academics/class_promote.html",
                {"form": form, "school_class": school_class, "preview": preview,
                 "final": final, "repeaters": data["repeaters"]},
            )  # fmt: skip
    return render(
        request,
        "academics/class_promote.html",
        {"form": form, "school_class": school_class, "preview": None, "final": final},
    )
