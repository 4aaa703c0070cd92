"""Forms for signing in and changing a password."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _


class SignInForm(forms.Form):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class OwnPasswordChangeForm(PasswordChangeForm):
    """Django's checks (old password, validators); saving goes through the service."""

    def save(self, commit=True):  # pragma: no cover - the view calls the service instead
        raise NotImplementedError("use truongso.accounts.services.password_change")
