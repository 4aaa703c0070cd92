"""Reading the posted pages into the services' arguments."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from truongso.health.models import Vaccine

# Column → field name prefix on the entry sheet (one input per learner and column).
PREFIXES = {
    "height": "h_",
    "weight": "w_",
    "vision_left": "vl_",
    "vision_right": "vr_",
    "dental": "d_",
    "notes": "n_",
}


def rows_from_post(data, learner_ids: list[int]) -> dict[int, dict[str, str]]:
    return {
        learner_id: {
            column: str(data.get(f"{prefix}{learner_id}", ""))
            for column, prefix in PREFIXES.items()
        }
        for learner_id in learner_ids
    }


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Tên đợt khám"), max_length=150)
    date = forms.DateField(label=_("Ngày khám"), widget=forms.DateInput(attrs={"type": "date"}))
    classes = forms.MultipleChoiceField(
        label=_("Các lớp"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, classes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classes"].choices = [(str(c.pk), c.name) for c in classes]


class VaccinationForm(forms.Form):
    vaccine = forms.ChoiceField(label=_("Vắc xin"), choices=Vaccine.choices)
    dose = forms.IntegerField(label=_("Mũi thứ"), min_value=1, max_value=10, initial=1)
    date = forms.DateField(label=_("Ngày tiêm"), widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label=_("Ghi chú"), max_length=200, required=False)


class InsuranceCardForm(forms.Form):
    number = forms.CharField(label=_("Số thẻ BHYT"), max_length=20)
    valid_from = forms.DateField(
        label=_("Có giá trị từ"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_to = forms.DateField(
        label=_("Có giá trị đến"), widget=forms.DateInput(attrs={"type": "date"})
    )
