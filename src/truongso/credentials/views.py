"""Pages of the credentials app for schools and offices: signing keys, the register."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from truongso.accounts.access import scope_for
from truongso.credentials import selectors, services
from truongso.credentials.forms import KeyCreateForm, KeyRevokeForm
from truongso.units.models import Institution
from truongso.web.shortcuts import add_service_errors, get_or_404


def _key_institutions(user):
    """Institutions whose keys the user may create: their own as principal; every one
    for the node's operators."""
    if user.is_superuser:
        return Institution.objects.filter(is_active=True).order_by("name")
    scope = scope_for(user)
    return Institution.objects.filter(pk__in=scope.principal_institution_ids).order_by("name")


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
