"""The three ways to verify on the public page: QR text, a credential file, a number."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 1_000_000
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y"]


class QrForm(forms.Form):
    way = forms.CharField(widget=forms.HiddenInput, initial="qr")
    qr = forms.CharField(
        label=_("Nội dung mã QR"),
        max_length=5000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_(
            "Quét mã QR trên văn bằng bằng điện thoại rồi dán nội dung (bắt đầu bằng VN1:)."
        ),
    )


class FileForm(forms.Form):
    way = forms.CharField(widget=forms.HiddenInput, initial="file")
    document = forms.FileField(
        label=_("Tệp văn bằng số"),
        help_text=_("Tệp .json nơi cấp phát hành, hoặc tệp PDF của văn bằng."),
    )

    def clean_document(self):
        upload = self.cleaned_data["document"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 1 MB)."))
        return upload


class NumberForm(forms.Form):
    way = forms.CharField(widget=forms.HiddenInput, initial="number")
    number = forms.CharField(
        label=_("Số hiệu văn bằng"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        help_text=_("Như in trên văn bằng; có thể gõ cả dấu cách."),
    )
    date_of_birth = forms.DateField(
        label=_("Ngày sinh của người được cấp"),
        input_formats=DATE_FORMATS,
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
        help_text=_("Ngày/tháng/năm, ví dụ 02/05/2008."),
    )
