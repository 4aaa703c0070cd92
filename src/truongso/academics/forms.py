"""Forms for class pages: class, teaching assignments, year-end promotion."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from truongso.academics.models import Grade, SchoolClass, SchoolYear
from truongso.academics.selectors import class_list
from truongso.learners.forms import date_input, reason_field
from truongso.staff.models import ACTIVE_EMPLOYMENT
from truongso.staff.selectors import staff_list
from truongso.units.selectors import institution_list


class ClassFilterForm(forms.Form):
    school_year = forms.ModelChoiceField(
        label=_("Năm học"), required=False, queryset=SchoolYear.objects.all(),
        empty_label=_("Tất cả"),
    )  # fmt: skip
    grade = forms.TypedChoiceField(
        label=_("Khối"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Tất cả"))] + Grade.choices,
    )  # fmt: skip
    institution = forms.IntegerField(required=False, widget=forms.HiddenInput)


def teachers_of(*, actor, institution_id: int):
    return staff_list(actor=actor, institution_id=institution_id).filter(
        employment_status__in=ACTIVE_EMPLOYMENT
    )


class ClassForm(forms.ModelForm):
    class Meta:
        model = SchoolClass
        fields = ["school_year", "grade", "name", "homeroom_teacher", "room"]

    def __init__(self, *args, actor, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["homeroom_teacher"].queryset = teachers_of(
            actor=actor, institution_id=institution.pk
        )
        self.fields["grade"].choices = [
            (value, label) for value, label in Grade.choices if value in institution.grades
        ]

    def clean_name(self):
        return " ".join((self.cleaned_data.get("name") or "").split())


class ClassCreateForm(ClassForm):
    institution = forms.ModelChoiceField(label=_("Trường"), queryset=None)
    field_order = ["institution"]

    def __init__(self, *args, actor, managed_ids, institution=None, **kwargs):
        institutions = institution_list(actor=actor).filter(pk__in=managed_ids)
        institution = institution or institutions.first()
        super().__init__(*args, actor=actor, institution=institution, **kwargs)
        self.fields["institution"].queryset = institutions
        self.fields["institution"].initial = institution.pk if institution else None
        if len(managed_ids) > 1:
            self.fields["grade"].choices = Grade.choices


class AssignmentForm(forms.Form):
    """One choice of teacher per subject of the class's grade."""

    def __init__(self, *args, subjects, teachers, current: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.subjects = {}
        for item in subjects:
            name = f"subject_{item.subject_id}"
            self.subjects[name] = item.subject
            self.fields[name] = forms.ModelChoiceField(
                label=item.subject.name,
                required=False,
                queryset=teachers,
                initial=current.get(item.subject_id),
                empty_label=_("— chưa phân công —"),
            )


class PromoteForm(forms.Form):
    next_class = forms.ModelChoiceField(
        label=_("Lớp lên (năm học sau)"), required=False, queryset=None,
        help_text=_("Học sinh được lên lớp sẽ chuyển vào lớp này."),
    )  # fmt: skip
    repeaters = forms.ModelMultipleChoiceField(
        label=_("Học sinh lưu ban"), required=False, queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Đánh dấu những học sinh phải học lại khối này."),
    )  # fmt: skip
    repeat_class = forms.ModelChoiceField(
        label=_("Lớp cho học sinh lưu ban"), required=False, queryset=None,
    )  # fmt: skip
    on = forms.DateField(label=_("Ngày"), initial=dt.date.today, widget=date_input())
    reason = reason_field()
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, actor, school_class, roster, **kwargs):
        super().__init__(*args, **kwargs)
        later = class_list(actor=actor, institution_id=school_class.institution_id).filter(
            school_year__starts_on__gt=school_class.school_year.starts_on
        )
        self.fields["next_class"].queryset = later.filter(grade=school_class.grade + 1)
        self.fields["repeat_class"].queryset = later.filter(grade=school_class.grade)
        self.fields["repeaters"].queryset = roster
        for name in ("next_class", "repeat_class"):
            self.fields[name].label_from_instance = lambda c: f"{c.name} ({c.school_year})"
