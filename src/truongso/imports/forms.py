"""Forms of the import pages (thin: the checks are in the services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from truongso.imports.models import CommitMode, ImportKind

ACCEPT = ".xlsx,.xls,.ods,.csv,.txt"


class ImportStartForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("Trường"), queryset=None)
    kind = forms.ChoiceField(label=_("Loại dữ liệu"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("Tệp"),
        help_text=_("Excel (.xlsx, .xls), OpenDocument (.ods) hoặc CSV (.csv)."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        if institutions.count() == 1:
            self.fields["institution"].initial = institutions.first().pk
            self.fields["institution"].widget = forms.HiddenInput()


class CommitForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Cách ghi"), choices=CommitMode.choices, widget=forms.RadioSelect,
        initial=CommitMode.VALID_ROWS,
    )  # fmt: skip
