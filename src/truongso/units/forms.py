"""Forms for the unit browser and institution pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from truongso.units.models import Institution, InstitutionKind, Ownership


class DateFilterForm(forms.Form):
    on = forms.DateField(
        label=_("Cây đơn vị theo ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Ví dụ 30/09/2024 để xem 63 tỉnh và các quận/huyện trước khi sáp nhập."),
    )


class InstitutionFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo tên"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Cấp học"), required=False, choices=[("", _("Tất cả"))] + InstitutionKind.choices
    )
    ownership = forms.ChoiceField(
        label=_("Loại hình"), required=False, choices=[("", _("Tất cả"))] + Ownership.choices
    )
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)


class InstitutionForm(forms.ModelForm):
    website = forms.URLField(
        label=_("Trang web"), required=False, max_length=200, assume_scheme="https"
    )
    reason = forms.CharField(label=_("Lý do thay đổi"), required=False, max_length=500)

    class Meta:
        model = Institution
        fields = [
            "name", "kind", "grade_from", "grade_to", "ownership", "address", "phone",
            "email", "website", "latitude", "longitude", "is_active",
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        low, high = data.get("grade_from"), data.get("grade_to")
        if low is not None and high is not None and low > high:
            self.add_error("grade_to", _("Khối cuối phải không nhỏ hơn khối đầu."))
        for name in ("grade_from", "grade_to"):
            value = data.get(name)
            if value is not None and value > 12:
                self.add_error(name, _("Khối phải từ 0 (mầm non) đến 12."))
        return data


class MapFilterForm(forms.Form):
    """Filters of the map of institutions; the province only for national users."""

    kind = forms.ChoiceField(
        label=_("Cấp học"), required=False, choices=[("", _("Tất cả"))] + InstitutionKind.choices
    )
    ownership = forms.ChoiceField(
        label=_("Loại hình"), required=False, choices=[("", _("Tất cả"))] + Ownership.choices
    )

    def __init__(self, *args, provinces=None, **kwargs):
        super().__init__(*args, **kwargs)
        if provinces is not None:
            self.fields["province"] = forms.ModelChoiceField(
                label=_("Tỉnh/thành phố"),
                required=False,
                queryset=provinces,
                empty_label=_("Tất cả"),
            )

    def filters(self) -> dict:
        """The valid filters as selector arguments (an invalid one is left out)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "kind": data.get("kind") or None,
            "ownership": data.get("ownership") or None,
            "province": data.get("province"),
        }
