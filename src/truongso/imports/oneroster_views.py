"""The OneRoster 1.2 CSV export page under /data/ (thin: access and work are in
imports/oneroster.py)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from truongso.academics.selectors import current_school_year
from truongso.imports import oneroster
from truongso.web.shortcuts import int_or_none


class OneRosterForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Trường"),
        queryset=None,
        required=False,
        empty_label=_("Mọi trường trong phạm vi của tôi"),
    )
    school_year = forms.ModelChoiceField(label=_("Năm học"), queryset=None, empty_label=None)
    demographics = forms.BooleanField(
        label=_("Kèm giới tính và ngày sinh (demographics.csv)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, institutions, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        self.fields["school_year"].queryset = years
        if institutions.count() == 1:
            self.fields["institution"].required = True
            self.fields["institution"].empty_label = None


@login_required
def oneroster_export(request):
    institutions = oneroster.exportable_institutions(actor=request.user)
    if not institutions.exists():
        raise PermissionDenied
    year = current_school_year()
    initial = {
        "institution": int_or_none(request.GET.get("institution")),
        "school_year": year.pk if year else None,
        "demographics": True,
    }
    form = OneRosterForm(
        request.POST or None,
        institutions=institutions,
        years=oneroster.school_years(),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = [data["institution"]] if data["institution"] else None
        export = oneroster.oneroster_export(
            actor=request.user,
            school_year=data["school_year"],
            institutions=chosen,
            demographics=data["demographics"],
        )
        return zip_response(export)
    return render(request, "imports/oneroster.html", {"form": form})


def zip_response(export: oneroster.OneRosterExport) -> FileResponse:
    handle = export.path.open("rb")
    export.path.unlink()  # the open handle keeps the data until the response is sent
    return FileResponse(
        handle,
        as_attachment=True,
        filename=export.file_name(),
        content_type=oneroster.ZIP_TYPE,
    )
