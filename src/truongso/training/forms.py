"""Forms of the training pages: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from truongso.training.models import TrainingRecord
from truongso.training.selectors import KIND_FILTERS
from truongso.training.services import RECORD_FIELDS


class TrainingRecordForm(forms.Form):
    """The fields of a training record; the service checks them (dates, hours) so the
    page and the API give the same messages."""

    def __init__(self, *args, instance: TrainingRecord | None = None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", forms.models.model_to_dict(instance, RECORD_FIELDS))
        super().__init__(*args, **kwargs)
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        self.fields.update(
            forms.fields_for_model(TrainingRecord, fields=RECORD_FIELDS, widgets=widgets)
        )
        self.fields["reason"] = forms.CharField(
            label=_("Lý do sửa (nếu sửa)"), required=False, max_length=500
        )

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in RECORD_FIELDS}


def kind_choices():
    from truongso.training.models import kind_fields

    labels = dict(kind_fields())
    return [("", _("Mọi loại"))] + [(name, labels[name]) for name in KIND_FILTERS]


class RecordFilterForm(forms.Form):
    q = forms.CharField(label=_("Họ tên"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Loại bồi dưỡng"), required=False)
    year = forms.ModelChoiceField(label=_("Năm học"), required=False, queryset=None,
                                  empty_label=_("Mọi năm học"))  # fmt: skip

    def __init__(self, *args, **kwargs):
        from truongso.academics.models import SchoolYear

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()
        self.fields["year"].queryset = SchoolYear.objects.order_by("-starts_on")

    def selector_kwargs(self) -> dict:
        if not self.is_valid():
            return {}
        return {
            "query": self.cleaned_data.get("q") or "",
            "kind": self.cleaned_data.get("kind") or "",
            "school_year": self.cleaned_data.get("year"),
        }
