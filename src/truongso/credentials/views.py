"""Pages of the credentials app for schools and offices: signing keys, the register."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from truongso.academics.selectors import class_list, class_roster
from truongso.credentials import conf, selectors, services
from truongso.credentials.forms import (
    IssueForm,
    KeyCreateForm,
    KeyRevokeForm,
    RegisterFilterForm,
    ReplaceForm,
    StatusActionForm,
)
from truongso.credentials.models import CredentialType, IssuanceBatch
from truongso.credentials.pdf import credential_pdf
from truongso.credentials.qr import qr_svg
from truongso.credentials.services.batches import SEX_LABELS
from truongso.credentials.tasks import issuance_batch_issue_task
from truongso.units.selectors import institution_list
from truongso.web.shortcuts import add_service_errors, get_or_404, paginate

# A batch with more rows than this is issued by the worker, not in the request.
BACKGROUND_ROWS = 300


def _key_institutions(user):
    """Institutions whose keys the user may create: their own as principal; every one
    for the node's operators."""
    if user.is_superuser:
        return institution_list(actor=user).filter(is_active=True).order_by("name")
    return selectors.issuing_institutions(actor=user)


@login_required
def key_list(request):
    institutions = _key_institutions(request.user)
    can_create = request.user.is_superuser or institutions.exists()
    form = None
    if can_create:
        form = KeyCreateForm(
            request.POST or None, institutions=institutions, allow_root=request.user.is_superuser
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                key = services.issuer_key_create(
                    actor=request.user,
                    institution=form.cleaned_data["institution"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Đã tạo khóa ký %(key)s.") % {"key": key.key_id})
                return redirect("credentials:key_list")
    keys = selectors.issuer_key_list(actor=request.user)
    return render(request, "credentials/key_list.html", {"keys": keys, "form": form})


@login_required
def key_revoke(request, pk: int):
    key = get_or_404(selectors.issuer_key_get, actor=request.user, pk=pk)
    form = KeyRevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.issuer_key_revoke(
                actor=request.user,
                key=key,
                reason=form.cleaned_data["reason"],
                revoked_from=form.cleaned_data["revoked_from"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã thu hồi khóa %(key)s.") % {"key": key.key_id})
            return redirect("credentials:key_list")
    return render(request, "credentials/key_revoke.html", {"key": key, "form": form})


# --- The register -------------------------------------------------------------------------


@login_required
def register(request):
    form = RegisterFilterForm(
        request.GET or None,
        institutions=selectors.readable_institutions(actor=request.user),
    )
    qs = selectors.credential_list(actor=request.user, **form.selector_kwargs())
    page = paginate(request, qs)
    return render(
        request,
        "credentials/register.html",
        {
            "form": form,
            "page_obj": page,
            "total": page.paginator.count,
            "can_issue": selectors.issuing_institutions(actor=request.user).exists(),
            "batches": selectors.batch_list(actor=request.user)[:5],
        },
    )


@login_required
def credential_detail(request, pk: int):
    credential = get_or_404(selectors.credential_get, actor=request.user, pk=pk)
    return render(
        request,
        "credentials/detail.html",
        {
            "credential": credential,
            "can_change": selectors.credential_can_change(
                actor=request.user, credential=credential
            ),
            "replacements": credential.replacements.all(),
            "history": selectors.credential_history(actor=request.user, credential=credential)[:20],
            "verify_url": conf.verify_url(),
        },
    )


@login_required
def credential_json(request, pk: int):
    credential = get_or_404(selectors.credential_get, actor=request.user, pk=pk)
    response = HttpResponse(credential.document, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="van-bang-{credential.diploma_number}.json"'
    )
    return response


@login_required
def credential_qr(request, pk: int):
    credential = get_or_404(selectors.credential_get, actor=request.user, pk=pk)
    return HttpResponse(qr_svg(credential.qr_text), content_type="image/svg+xml")


ACTIONS = {
    "revoke": (services.credential_revoke, gettext_lazy("Thu hồi, hủy bỏ văn bằng")),
    "suspend": (services.credential_suspend, gettext_lazy("Tạm đình chỉ văn bằng")),
    "reinstate": (services.credential_reinstate, gettext_lazy("Khôi phục văn bằng")),
}


@login_required
def credential_action(request, pk: int, action: str):
    credential = get_or_404(selectors.credential_get, actor=request.user, pk=pk, write=True)
    service, title = ACTIONS[action]
    form = StatusActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, credential=credential, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã ghi vào sổ gốc: %(action)s.") % {"action": title})
            return redirect("credentials:detail", pk=pk)
    return render(
        request,
        "credentials/action.html",
        {"credential": credential, "form": form, "title": title, "action": action},
    )


@login_required
def credential_replace(request, pk: int):
    credential = get_or_404(selectors.credential_get, actor=request.user, pk=pk, write=True)
    initial = {name: getattr(credential, name) for name in ReplaceForm.CHANGEABLE}
    initial.update(
        relation="reissue",
        issue_date=timezone.localdate(),
        signer_name=credential.signer_name,
        signer_title=credential.signer_title,
    )
    form = ReplaceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.credential_replace(
                actor=request.user,
                original=credential,
                relation=data["relation"],
                changes=form.changes(credential),
                reason=data["reason"],
                issue_date=data["issue_date"],
                signer_name=data["signer_name"],
                signer_title=data["signer_title"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Đã cấp văn bằng số hiệu %(number)s thay cho %(old)s.")
                % {"number": new.diploma_number, "old": credential.diploma_number},
            )
            return redirect("credentials:detail", pk=new.pk)
    return render(request, "credentials/replace.html", {"credential": credential, "form": form})


# --- Issuing ------------------------------------------------------------------------------


@login_required
def issue_start(request):
    institutions = selectors.issuing_institutions(actor=request.user)
    if not institutions.exists():
        raise PermissionDenied
    types = CredentialType.objects.filter(
        code__in=[
            kind.code
            for institution in institutions
            for kind in services.credential_types_for(institution)
        ]
    )
    classes = class_list(actor=request.user).filter(institution__in=institutions)
    today = timezone.localdate()
    form = IssueForm(
        request.POST or None,
        request.FILES or None,
        institutions=institutions,
        types=types,
        classes=classes,
        initial={
            "issue_date": today,
            "graduation_year": today.year,
            "signer_name": request.user.full_name,
            "signer_title": _("Hiệu trưởng"),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        issuance = services.Issuance(
            credential_type=data["credential_type"],
            issue_date=data["issue_date"],
            graduation_year=data["graduation_year"],
            signer_name=data["signer_name"],
            signer_title=data["signer_title"],
        )
        try:
            if data.get("upload"):
                batch = services.issuance_batch_from_file(
                    actor=request.user, institution=data["institution"], issuance=issuance,
                    upload=data["upload"],
                )  # fmt: skip
            else:
                school_class = data["school_class"]
                batch = services.issuance_batch_from_learners(
                    actor=request.user, institution=data["institution"], issuance=issuance,
                    learners=class_roster(actor=request.user, school_class=school_class),
                    source=_("Lớp %(name)s") % {"name": school_class.name},
                )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("credentials:batch", pk=batch.pk)
    return render(request, "credentials/issue.html", {"form": form})


@login_required
def batch_detail(request, pk: int):
    batch = get_or_404(selectors.batch_get, actor=request.user, pk=pk)
    can_issue = (
        selectors.issuing_institutions(actor=request.user).filter(pk=batch.institution_id).exists()
    )
    if request.method == "POST":
        if not can_issue:
            raise PermissionDenied
        try:
            if request.POST.get("action") == "cancel":
                services.issuance_batch_cancel(actor=request.user, batch=batch)
                messages.info(request, _("Đã hủy đợt cấp."))
                return redirect("credentials:register")
            if len(batch.rows) > BACKGROUND_ROWS:
                issuance_batch_issue_task.enqueue(batch.pk, request.user.pk)
                messages.info(request, _("Đang cấp văn bằng; trang sẽ cập nhật khi xong."))
                return redirect("credentials:batch", pk=batch.pk)
            issued = services.issuance_batch_issue(actor=request.user, batch=batch)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("credentials:batch", pk=batch.pk)
        messages.success(request, _("Đã cấp %(n)s văn bằng.") % {"n": len(issued)})
        return redirect(f"{reverse('credentials:register')}?year={batch.issue_date.year}")
    problems_by_row: dict = {}
    for problem in batch.problems:
        problems_by_row.setdefault(problem["row"], []).append(problem)
    rows = [{**row, "problems": problems_by_row.get(row.get("row"), [])} for row in batch.rows]
    return render(
        request,
        "credentials/batch.html",
        {
            "batch": batch,
            "rows": rows,
            "file_problems": problems_by_row.get(None, []),
            "can_issue": can_issue and batch.state == IssuanceBatch.State.DRAFT,
            "errors": sum(1 for p in batch.problems if p["severity"] == "error"),
            "warnings": sum(1 for p in batch.problems if p["severity"] == "warning"),
            "sex_labels": SEX_LABELS,
        },
    )


@login_required
def credential_pdf_download(request, pk: int):
    credential = get_or_404(selectors.credential_get, actor=request.user, pk=pk)
    response = HttpResponse(credential_pdf(credential), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="van-bang-{credential.diploma_number}.pdf"'
    return response
