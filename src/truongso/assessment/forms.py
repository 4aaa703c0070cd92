"""Forms of the gradebook pages. The grid itself (one input per cell) is read by the
view from the submitted names ``c-<learner>-<field>`` and ``v-<learner>``: the
services validate every value."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from truongso.assessment.models import Rating

SCOPE_CLASS = "class"
SCOPE_SCHOOL = "school"


class TermCloseForm(forms.Form):
    term = forms.TypedChoiceField(label=_("Học kỳ"), coerce=int, choices=[(1, _("Học kỳ I")),
                                  (2, _("Học kỳ II"))])  # fmt: skip
    scope = forms.ChoiceField(
        label=_("Khóa sổ cho"),
        choices=[(SCOPE_CLASS, _("Chỉ lớp này")), (SCOPE_SCHOOL, _("Toàn trường"))],
        initial=SCOPE_CLASS,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=500)


class TermReopenForm(forms.Form):
    closure = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Lý do mở lại"), max_length=500)


class CommentPhraseForm(forms.Form):
    text = forms.CharField(label=_("Nhận xét mẫu"), max_length=300)
    every_subject = forms.BooleanField(label=_("Dùng cho mọi môn học"), required=False)


CONDUCT_CHOICES = [("", "—"), *Rating.choices]


def grid_name(learner_id: int, field: str) -> str:
    """The name of a gradebook cell's input."""
    return f"c-{learner_id}-{field}"


def version_name(learner_id: int, kind: str = "") -> str:
    """The name of the hidden input holding a row's version."""
    return f"v{kind}-{learner_id}"
