"""Forms for the credential pages. Each form only collects input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from truongso.units.models import Institution


class KeyCreateForm(forms.Form):
    """Create (or rotate) the signing key of an institution the actor manages."""

    institution = forms.ModelChoiceField(
        label=_("Cơ sở giáo dục"), queryset=Institution.objects.none(), required=False,
        empty_label=_("Khóa gốc của hệ thống"),
    )  # fmt: skip
    reason = forms.CharField(label=_("Lý do"), max_length=500, required=False)

    def __init__(self, *args, institutions, allow_root: bool, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["institution"]
        field.queryset = institutions
        field.required = not allow_root
        if not allow_root:
            field.empty_label = None


class KeyRevokeForm(forms.Form):
    revoked_from = forms.DateTimeField(
        label=_("Thu hồi từ thời điểm"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_(
            "Để trống: từ bây giờ. Nếu khóa bị lộ từ trước, ghi thời điểm bị lộ: chữ ký của "
            "khóa từ thời điểm đó trở đi không còn được công nhận."
        ),
    )
    reason = forms.CharField(label=_("Lý do"), max_length=500)
