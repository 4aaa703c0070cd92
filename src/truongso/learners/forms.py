"""Forms for learner pages. Each form only collects input; the services decide."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from truongso.academics.selectors import class_list, current_school_year
from truongso.core.models import Sex
from truongso.core.rules.codelists import ETHNICITIES_1979
from truongso.learners.models import (
    Guardian,
    Learner,
    LearnerStatus,
    PersonalIdStatus,
    PolicyCategory,
)
from truongso.learners.services import GUARDIAN_FIELDS, LEARNER_FIELDS
from truongso.units.models import Institution
from truongso.units.selectors import institution_by_code, institution_list

# The learner fields shown on the form (the code list of ethnicities is fixed: 1979).
FORM_FIELDS = tuple(name for name in LEARNER_FIELDS if name != "ethnicity_list")
# An office may have thousands of institutions: above this, the filter is a plain number.
CHOICE_LIMIT = 200


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def reason_field(required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=_("Lý do"),
        required=required,
        max_length=500,
        help_text=_("Ghi lại vì sao thay đổi; lý do được lưu trong lịch sử hồ sơ."),
    )


def clean_personal_id(value: str | None) -> str:
    """Spaces are allowed when typing ("001 214 012 345"); at most 12 digits remain."""
    number = (value or "").replace(" ", "")
    if len(number) > 12:
        raise forms.ValidationError(_("Số định danh cá nhân có 12 chữ số, không dài hơn."))
    return number


ETHNICITY_CHOICES = [("", "—")] + [
    (code, f"{code} · {name}") for code, name in ETHNICITIES_1979.items()
]


class LearnerForm(forms.ModelForm):
    """A learner's record, limited to the fields the acting user may change."""

    ethnicity_code = forms.ChoiceField(
        label=_("Dân tộc"), required=False, choices=ETHNICITY_CHOICES
    )
    personal_id = forms.CharField(
        label=_("Số định danh cá nhân"),
        required=False,
        max_length=20,
        help_text=_(
            "12 chữ số. Chữ số thứ 4 và 5–6 phải khớp với giới tính và năm sinh; "
            "nếu không khớp, hồ sơ vẫn được lưu kèm cảnh báo."
        ),
    )
    policy_categories = forms.MultipleChoiceField(
        label=_("Đối tượng chính sách"),
        required=False,
        choices=PolicyCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = reason_field()

    class Meta:
        model = Learner
        fields = list(FORM_FIELDS)
        widgets = {"date_of_birth": date_input()}
        help_texts = {
            "nationality": _("Mã quốc gia 2 chữ cái, ví dụ VN."),
        }

    def __init__(self, *args, allowed_fields=FORM_FIELDS, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name in FORM_FIELDS and name not in allowed_fields:
                del self.fields[name]

    def clean_personal_id(self):
        return clean_personal_id(self.cleaned_data.get("personal_id"))

    def clean_nationality(self):
        return (self.cleaned_data.get("nationality") or "VN").strip().upper()

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name != "reason"}


class LearnerCreateForm(LearnerForm):
    institution = forms.ModelChoiceField(label=_("Trường"), queryset=Institution.objects.none())
    current_class = forms.ModelChoiceField(label=_("Lớp"), required=False, queryset=None)
    enrolled_on = forms.DateField(
        label=_("Ngày vào trường"), required=False, widget=date_input(), initial=dt.date.today
    )
    field_order = ["institution", "current_class", "enrolled_on"]

    def __init__(self, *args, actor, managed_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institution_list(actor=actor).filter(
            pk__in=managed_ids
        )
        if len(managed_ids) == 1:
            self.fields["institution"].initial = next(iter(managed_ids))
        self.fields["current_class"].queryset = class_list(
            actor=actor, school_year=current_school_year()
        ).filter(institution_id__in=managed_ids)

    def service_fields(self) -> dict:
        skip = {"reason", "institution", "current_class", "enrolled_on"}
        return {name: self.cleaned_data[name] for name in self.fields if name not in skip}


class LearnerFilterForm(forms.Form):
    """The learner list's filters. ``selector_kwargs()`` gives the arguments of
    ``learners.selectors.learner_list`` (the Excel export reads the same query string)."""

    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=100)
    grade = forms.TypedChoiceField(
        label=_("Khối"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Tất cả"))] + [(g, str(g)) for g in range(0, 13)],
    )  # fmt: skip
    status = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", _("Tất cả"))] + LearnerStatus.choices
    )
    sex = forms.ChoiceField(
        label=_("Giới tính"), required=False, choices=[("", _("Tất cả"))] + Sex.choices
    )
    personal_id_status = forms.ChoiceField(
        label=_("Số định danh"),
        required=False,
        choices=[("", _("Tất cả"))] + PersonalIdStatus.choices,
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        institutions = list(institution_list(actor=actor)[: CHOICE_LIMIT + 1])
        if len(institutions) > CHOICE_LIMIT:
            self.fields["institution"] = forms.IntegerField(
                required=False, widget=forms.HiddenInput
            )
        elif len(institutions) > 1:
            self.fields["institution"] = forms.TypedChoiceField(
                label=_("Trường"), required=False, coerce=int, empty_value=None,
                choices=[("", _("Tất cả"))] + [(i.pk, i.name) for i in institutions],
            )  # fmt: skip
        else:
            self.fields["institution"] = forms.IntegerField(
                required=False, widget=forms.HiddenInput
            )
        institution_id = self._raw_int("institution")
        classes = class_list(actor=actor, school_year=current_school_year())
        if institution_id:
            classes = classes.filter(institution_id=institution_id)
        classes = list(classes[: CHOICE_LIMIT + 1])
        if 0 < len(classes) <= CHOICE_LIMIT:
            self.fields["class"] = forms.TypedChoiceField(
                label=_("Lớp"), required=False, coerce=int, empty_value=None,
                choices=[("", _("Tất cả"))] + [(c.pk, self._class_label(c, institution_id))
                                                for c in classes],
            )  # fmt: skip
        else:
            self.fields["class"] = forms.IntegerField(required=False, widget=forms.HiddenInput)
        self.order_fields(["q", "institution", "class", "grade", "status", "sex"])

    @staticmethod
    def _class_label(school_class, institution_id) -> str:
        if institution_id:
            return school_class.name
        return f"{school_class.name} · {school_class.institution.name}"

    def _raw_int(self, name: str) -> int | None:
        try:
            return int(self.data.get(name) or "")
        except (TypeError, ValueError):
            return None

    def selector_kwargs(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "query": data.get("q", ""),
            "institution_id": data.get("institution"),
            "class_id": data.get("class"),
            "grade": data.get("grade"),
            "status": data.get("status") or None,
            "sex": data.get("sex") or None,
            "personal_id_status": data.get("personal_id_status") or None,
        }


class GuardianForm(forms.ModelForm):
    class Meta:
        model = Guardian
        fields = list(GUARDIAN_FIELDS)

    def clean_year_of_birth(self):
        year = self.cleaned_data.get("year_of_birth")
        if year is not None and not 1900 <= year <= dt.date.today().year:
            raise forms.ValidationError(_("Năm sinh phải từ 1900 đến năm nay."))
        return year


class EnrolmentActionForm(forms.Form):
    on = forms.DateField(label=_("Ngày"), initial=dt.date.today, widget=date_input())
    reason = reason_field()


class TransferForm(EnrolmentActionForm):
    to_institution = forms.CharField(
        label=_("Mã định danh trường chuyển đến"),
        max_length=20,
        help_text=_("Hỏi trường chuyển đến mã định danh của trường (ví dụ 79000001)."),
    )
    field_order = ["to_institution", "on", "reason"]

    def clean_to_institution(self):
        code = self.cleaned_data["to_institution"]
        try:
            return institution_by_code(code=code)
        except Institution.DoesNotExist:
            raise forms.ValidationError(
                _("Không có trường nào đang hoạt động với mã %(code)s.") % {"code": code}
            )


class ChangeClassForm(EnrolmentActionForm):
    school_class = forms.ModelChoiceField(label=_("Lớp mới"), queryset=None)
    field_order = ["school_class", "on", "reason"]

    def __init__(self, *args, actor, learner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = class_list(
            actor=actor, institution_id=learner.institution_id, school_year=current_school_year()
        ).exclude(pk=learner.current_class_id or 0)


class LeaveForm(EnrolmentActionForm):
    reason = reason_field(required=True)


class ReadmitForm(EnrolmentActionForm):
    school_class = forms.ModelChoiceField(label=_("Lớp"), required=False, queryset=None)
    field_order = ["school_class", "on", "reason"]

    def __init__(self, *args, actor, learner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = class_list(
            actor=actor, institution_id=learner.institution_id, school_year=current_school_year()
        )
