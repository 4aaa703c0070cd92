"""The page where a signed-in person creates and revokes their own API tokens.

Thin: the rules live in accounts.tokens."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from truongso.accounts.models import ApiToken
from truongso.accounts.tokens import (
    api_token_create,
    api_token_get,
    api_token_list,
    api_token_revoke,
)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Tên mã truy cập"),
        max_length=100,
        help_text=gettext_lazy("Để nhớ mã dùng cho việc gì, ví dụ “Đồng bộ với Sở”."),
    )


@login_required
@never_cache
def api_tokens(request):
    """List my tokens; on POST create one and show its text this once."""
    form = ApiTokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = api_token_create(
                actor=request.user, user=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            form.add_error("name" if "name" in getattr(exc, "error_dict", {}) else None, exc)
        else:
            created = {"token": token, "raw": raw}
            form = ApiTokenForm()
    context = {
        "form": form,
        "created": created,
        "tokens": api_token_list(actor=request.user),
        "api_base": request.build_absolute_uri("/api/v1/"),
    }
    return render(request, "accounts/api_tokens.html", context)


@login_required
@require_POST
def api_token_revoke_view(request, pk: int):
    try:
        token = api_token_get(actor=request.user, pk=pk)
    except ApiToken.DoesNotExist:
        raise Http404
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Đã thu hồi mã truy cập “%(name)s”.") % {"name": token.name})
    return redirect("accounts:api_tokens")
