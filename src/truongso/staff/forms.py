"""Forms for staff pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from truongso.academics.models import Subject
from truongso.learners.forms import (
    CHOICE_LIMIT,
    ETHNICITY_CHOICES,
    clean_personal_id,
    date_input,
    reason_field,
)
from truongso.staff.models import EmploymentStatus, Position, Qualification, StaffMember
from truongso.staff.services import STAFF_FIELDS
from truongso.units.selectors import institution_list

FORM_FIELDS = tuple(name for name in STAFF_FIELDS if name != "ethnicity_list")


class StaffForm(forms.ModelForm):
    ethnicity_code = forms.ChoiceField(
        label=_("Dân tộc"), required=False, choices=ETHNICITY_CHOICES
    )
    personal_id = forms.CharField(label=_("Số định danh cá nhân"), required=False, max_length=20)
    subjects = forms.ModelMultipleChoiceField(
        label=_("Môn dạy"),
        required=False,
        queryset=Subject.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )
    reason = reason_field()

    class Meta:
        model = StaffMember
        fields = [*FORM_FIELDS, "subjects"]
        widgets = {"date_of_birth": date_input(), "hired_on": date_input()}

    def clean_personal_id(self):
        return clean_personal_id(self.cleaned_data.get("personal_id"))

    def clean_nationality(self):
        return (self.cleaned_data.get("nationality") or "VN").strip().upper()

    def service_fields(self) -> dict:
        skip = {"reason", "institution"}
        return {name: self.cleaned_data[name] for name in self.fields if name not in skip}


class StaffCreateForm(StaffForm):
    institution = forms.ModelChoiceField(label=_("Trường"), queryset=None)
    field_order = ["institution"]

    def __init__(self, *args, actor, managed_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institution_list(actor=actor).filter(
            pk__in=managed_ids
        )
        if len(managed_ids) == 1:
            self.fields["institution"].initial = next(iter(managed_ids))


class StaffFilterForm(forms.Form):
    """Filters of the staff list; ``selector_kwargs()`` gives staff_list's arguments."""

    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=100)
    position = forms.ChoiceField(
        label=_("Chức vụ"), required=False, choices=[("", _("Tất cả"))] + Position.choices
    )
    employment_status = forms.ChoiceField(
        label=_("Tình trạng"),
        required=False,
        choices=[("", _("Tất cả"))] + EmploymentStatus.choices,
    )
    qualification = forms.ChoiceField(
        label=_("Trình độ"), required=False, choices=[("", _("Tất cả"))] + Qualification.choices
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        institutions = list(institution_list(actor=actor)[: CHOICE_LIMIT + 1])
        if 1 < len(institutions) <= CHOICE_LIMIT:
            self.fields["institution"] = forms.TypedChoiceField(
                label=_("Trường"), required=False, coerce=int, empty_value=None,
                choices=[("", _("Tất cả"))] + [(i.pk, i.name) for i in institutions],
            )  # fmt: skip
        else:
            self.fields["institution"] = forms.IntegerField(
                required=False, widget=forms.HiddenInput
            )
        self.order_fields(["q", "institution"])

    def selector_kwargs(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "query": data.get("q", ""),
            "institution_id": data.get("institution"),
            "position": data.get("position") or None,
            "employment_status": data.get("employment_status") or None,
            "qualification": data.get("qualification") or None,
        }
