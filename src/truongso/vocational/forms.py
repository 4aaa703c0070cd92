"""Forms of the vocational pages; the checks that matter are in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from truongso.vocational.models import DisciplineLevel, Module, Programme

SCORE_PREFIX = "score_"


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["code", "name", "name_en", "level", "mode", "duration_semesters",
                  "required_credits"]  # fmt: skip


class ModuleForm(forms.ModelForm):
    class Meta:
        model = Module
        fields = ["code", "name", "credits", "theory_hours", "practice_hours", "semester",
                  "compulsory"]  # fmt: skip


class CohortForm(forms.Form):
    name = forms.CharField(label=_("Tên lớp"), max_length=60)
    start_year = forms.IntegerField(label=_("Năm nhập học"), min_value=2000, max_value=2100)


class EnrolForm(forms.Form):
    semester = forms.IntegerField(
        label=_("Học kỳ"), min_value=1,
        help_text=_("Người học của lớp được đăng ký các mô-đun bắt buộc dự kiến của học kỳ này."),
    )  # fmt: skip


class AddLearnersForm(forms.Form):
    education_ids = forms.CharField(
        label=_("Mã định danh người học"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mỗi dòng một mã định danh (hoặc cách nhau bằng dấu phẩy)."),
    )

    def codes(self) -> list[str]:
        text = self.cleaned_data["education_ids"].replace(",", " ")
        return [code for code in text.split() if code]


class DisciplineForm(forms.Form):
    level = forms.ChoiceField(label=_("Hình thức kỷ luật"), choices=DisciplineLevel.choices)
    decided_on = forms.DateField(
        label=_("Ngày quyết định"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Lý do"), max_length=500)


class RetakeForm(forms.Form):
    semester = forms.IntegerField(label=_("Học lại ở học kỳ"), min_value=1)


def scores_from_post(data, enrolment_ids: list[int]) -> dict[int, str]:
    """The typed value of every cell of the score sheet (``score_<enrolment id>``)."""
    return {pk: data.get(f"{SCORE_PREFIX}{pk}", "").strip() for pk in enrolment_ids}
