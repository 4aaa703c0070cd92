"""Learner pages: list and search, record, edit, guardians, enrolment events, history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from truongso.accounts.access import scope_for
from truongso.audit.views import render_history
from truongso.core.rules import personal_id as pid_rules
from truongso.learners import selectors, services
from truongso.learners.forms import (
    ChangeClassForm,
    GuardianForm,
    LearnerCreateForm,
    LearnerFilterForm,
    LearnerForm,
    LeaveForm,
    ReadmitForm,
    TransferForm,
)
from truongso.learners.models import LearnerStatus
from truongso.web.shortcuts import add_service_errors, get_or_404, paginate

PERSONAL_ID_PROBLEMS = {
    pid_rules.MISSING: gettext_lazy("Chưa có số định danh cá nhân."),
    pid_rules.NOT_TWELVE_DIGITS: gettext_lazy("Số định danh cá nhân phải gồm đúng 12 chữ số."),
    pid_rules.CENTURY_SEX_MISMATCH: gettext_lazy(
        "Chữ số thứ 4 (thế kỷ sinh và giới tính) không khớp với ngày sinh và giới tính đã ghi."
    ),
    pid_rules.YEAR_MISMATCH: gettext_lazy(
        "Chữ số thứ 5–6 (hai số cuối năm sinh) không khớp với năm sinh đã ghi."
    ),
}


@login_required
def learner_list(request):
    form = LearnerFilterForm(request.GET or None, actor=request.user)
    qs = selectors.learner_list(actor=request.user, **form.selector_kwargs())
    page = paginate(request, qs)
    scope = scope_for(request.user)
    template = "learners/list.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        template = "learners/_results.html"
    return render(
        request,
        template,
        {
            "form": form,
            "page_obj": page,
            "total": page.paginator.count,
            "can_create": bool(scope.managed_institution_ids),
        },
    )


@login_required
def learner_detail(request, pk: int):
    learner = get_or_404(selectors.learner_get, actor=request.user, pk=pk)
    scope = scope_for(request.user)
    manages = scope.manages(learner.institution_id)
    return render(
        request,
        "learners/detail.html",
        {
            "learner": learner,
            "guardians": learner.guardians.all(),
            "events": selectors.learner_events(actor=request.user, learner=learner),
            "can_edit": selectors.learner_can_edit(actor=request.user, learner=learner),
            "manages": manages,
            "is_studying": learner.status == LearnerStatus.STUDYING,
            "personal_id_problems": [
                PERSONAL_ID_PROBLEMS.get(p, p) for p in learner.personal_id_problems
            ],
        },
    )


@login_required
def learner_create(request):
    scope = scope_for(request.user)
    if not scope.managed_institution_ids:
        raise PermissionDenied
    form = LearnerCreateForm(
        request.POST or None, actor=request.user, managed_ids=scope.managed_institution_ids
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            learner = services.learner_create(
                actor=request.user,
                institution=data["institution"],
                fields=form.service_fields(),
                school_class=data.get("current_class"),
                enrolled_on=data.get("enrolled_on"),
                reason=data.get("reason", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Đã thêm học sinh %(name)s, mã định danh %(code)s.")
                % {"name": learner.full_name, "code": learner.education_id},
            )
            return redirect("learners:detail", pk=learner.pk)
    return render(request, "learners/form.html", {"form": form, "learner": None})


@login_required
def learner_edit(request, pk: int):
    learner = get_or_404(selectors.learner_get, actor=request.user, pk=pk, write=True)
    scope = scope_for(request.user)
    allowed = (
        services.LEARNER_FIELDS
        if scope.manages(learner.institution_id)
        else services.HOMEROOM_EDITABLE_FIELDS
    )
    form = LearnerForm(request.POST or None, instance=learner, allowed_fields=allowed)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.service_fields().items() if k in form.changed_data}
        if not fields:
            messages.info(request, _("Không có thông tin nào thay đổi."))
            return redirect("learners:detail", pk=pk)
        try:
            services.learner_update(
                actor=request.user,
                learner=learner,
                fields=fields,
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu hồ sơ học sinh."))
            return redirect("learners:detail", pk=pk)
    return render(request, "learners/form.html", {"form": form, "learner": learner})


@login_required
def learner_history(request, pk: int):
    learner = get_or_404(selectors.learner_get, actor=request.user, pk=pk)
    entries = selectors.learner_history(actor=request.user, learner=learner)
    return render_history(request, record=learner, record_type="learner", entries=entries)


@login_required
def guardian_edit(request, pk: int, guardian_pk: int | None = None):
    learner = get_or_404(selectors.learner_get, actor=request.user, pk=pk)
    if not scope_for(request.user).manages(learner.institution_id):
        raise PermissionDenied
    guardian = None
    if guardian_pk is not None:
        guardian = learner.guardians.filter(pk=guardian_pk).first()
        if guardian is None:
            raise Http404
    form = GuardianForm(request.POST or None, instance=guardian)
    if request.method == "POST" and form.is_valid():
        try:
            services.guardian_save(
                actor=request.user,
                learner=learner,
                fields=dict(form.cleaned_data),
                guardian=learner.guardians.filter(pk=guardian_pk).first() if guardian else None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu thông tin phụ huynh."))
            return redirect("learners:detail", pk=pk)
    return render(
        request,
        "learners/guardian_form.html",
        {"form": form, "learner": learner, "guardian": guardian},
    )


ACTIONS = {
    "transfer": (TransferForm, gettext_lazy("Chuyển trường")),
    "change_class": (ChangeClassForm, gettext_lazy("Chuyển lớp")),
    "withdraw": (LeaveForm, gettext_lazy("Thôi học")),
    "drop_out": (LeaveForm, gettext_lazy("Bỏ học")),
    "readmit": (ReadmitForm, gettext_lazy("Trở lại học")),
}


def _run_action(action: str, *, actor, learner, data) -> None:
    common = {
        "actor": actor,
        "learner": learner,
        "on": data["on"],
        "reason": data.get("reason", ""),
    }
    if action == "transfer":
        services.learner_transfer(**common, to_institution=data["to_institution"])
    elif action == "change_class":
        services.learner_change_class(**common, school_class=data["school_class"])
    elif action == "withdraw":
        services.learner_withdraw(**common)
    elif action == "drop_out":
        services.learner_drop_out(**common)
    elif action == "readmit":
        services.learner_readmit(**common, school_class=data.get("school_class"))


@login_required
def enrolment_action(request, pk: int, action: str):
    learner = get_or_404(selectors.learner_get, actor=request.user, pk=pk)
    if not scope_for(request.user).manages(learner.institution_id):
        raise PermissionDenied
    form_class, title = ACTIONS[action]
    kwargs = {}
    if form_class in (ChangeClassForm, ReadmitForm):
        kwargs = {"actor": request.user, "learner": learner}
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            _run_action(action, actor=request.user, learner=learner, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Đã ghi nhận: %(action)s — %(name)s.") % {"action": title, "name": learner},
            )
            if action == "transfer":
                return redirect("learners:list")
            return redirect("learners:detail", pk=pk)
    return render(
        request,
        "learners/action.html",
        {"form": form, "learner": learner, "title": title, "action": action},
    )
