"""Forms for the credential pages. Each form only collects input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from truongso.academics.models import SchoolClass
from truongso.core.models import Sex
from truongso.credentials.models import CredentialStatus, CredentialType, Relation
from truongso.units.models import Institution


class KeyCreateForm(forms.Form):
    """Create (or rotate) the signing key of an institution the actor manages."""

    institution = forms.ModelChoiceField(
        label=_("Cơ sở giáo dục"), queryset=Institution.objects.none(), required=False,
        empty_label=_("Khóa gốc của hệ thống"),
    )  # fmt: skip
    reason = forms.CharField(label=_("Lý do"), max_length=500, required=False)

    def __init__(self, *args, institutions, allow_root: bool, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["institution"]
        field.queryset = institutions
        field.required = not allow_root
        if not allow_root:
            field.empty_label = None


class KeyRevokeForm(forms.Form):
    revoked_from = forms.DateTimeField(
        label=_("Thu hồi từ thời điểm"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_(
            "Để trống: từ bây giờ. Nếu khóa bị lộ từ trước, ghi thời điểm bị lộ: chữ ký của "
            "khóa từ thời điểm đó trở đi không còn được công nhận."
        ),
    )
    reason = forms.CharField(label=_("Lý do"), max_length=500)


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo họ tên hoặc số hiệu"), required=False)
    institution = forms.ModelChoiceField(
        label=_("Cơ sở giáo dục"), queryset=Institution.objects.none(), required=False
    )
    credential_type = forms.ModelChoiceField(
        label=_("Loại văn bằng"), queryset=CredentialType.objects.all(), required=False,
        to_field_name="code",
    )  # fmt: skip
    year = forms.IntegerField(label=_("Năm cấp"), required=False, min_value=1950, max_value=2100)
    status = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", "—"), *CredentialStatus.choices]
    )

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions

    def selector_kwargs(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "query": data.get("q") or "",
            "institution_id": data["institution"].pk if data.get("institution") else None,
            "type_code": data["credential_type"].code if data.get("credential_type") else None,
            "year": data.get("year"),
            "status": data.get("status") or None,
        }


class IssueForm(forms.Form):
    """Start an issuance: the shared details, and where the candidates come from."""

    institution = forms.ModelChoiceField(
        label=_("Cơ sở giáo dục"), queryset=Institution.objects.none(), empty_label=None
    )
    credential_type = forms.ModelChoiceField(
        label=_("Loại văn bằng, chứng chỉ"), queryset=CredentialType.objects.none(),
        empty_label=None,
    )  # fmt: skip
    issue_date = forms.DateField(label=_("Ngày cấp"), widget=date_input())
    graduation_year = forms.IntegerField(label=_("Năm tốt nghiệp"), min_value=1950)
    signer_name = forms.CharField(label=_("Người ký (họ và tên)"), max_length=150)
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=100)
    upload = forms.FileField(
        label=_("Danh sách người được cấp (Excel, OpenDocument hoặc CSV)"),
        required=False,
        help_text=_(
            "Các cột: Họ và tên, Ngày sinh (ngày/tháng/năm), Giới tính, Nơi sinh, Xếp loại, "
            "Ngành, Ngành tiếng Anh, Mã định danh (để gắn với hồ sơ học sinh). Hai cột đầu "
            "là bắt buộc."
        ),
    )
    school_class = forms.ModelChoiceField(
        label=_("Hoặc lấy danh sách từ một lớp"), queryset=SchoolClass.objects.none(),
        required=False,
    )  # fmt: skip

    def __init__(self, *args, institutions, types, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        self.fields["credential_type"].queryset = types
        self.fields["school_class"].queryset = classes

    def clean(self):
        data = super().clean()
        if bool(data.get("upload")) == bool(data.get("school_class")):
            raise forms.ValidationError(_("Hãy tải lên một tệp danh sách hoặc chọn một lớp."))
        return data


class StatusActionForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Lý do được ghi vào sổ gốc và nhật ký."),
    )  # fmt: skip


class ReplaceForm(forms.Form):
    """Reissue or amend: the corrected fields, the new issue date and signer, the reason."""

    relation = forms.ChoiceField(
        label=_("Hình thức"),
        choices=[
            (Relation.REISSUE, Relation.REISSUE.label),
            (Relation.AMENDMENT, Relation.AMENDMENT.label),
        ],
        widget=forms.RadioSelect,
    )
    holder_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    date_of_birth = forms.DateField(label=_("Ngày sinh"), widget=date_input())
    sex = forms.ChoiceField(label=_("Giới tính"), choices=[("", "—"), *Sex.choices], required=False)
    place_of_birth = forms.CharField(label=_("Nơi sinh"), max_length=200, required=False)
    classification = forms.CharField(label=_("Xếp loại"), max_length=60, required=False)
    field_of_study = forms.CharField(label=_("Ngành, nghề"), max_length=200, required=False)
    field_of_study_en = forms.CharField(
        label=_("Ngành, nghề (tiếng Anh)"), max_length=200, required=False
    )
    issue_date = forms.DateField(label=_("Ngày cấp"), widget=date_input())
    signer_name = forms.CharField(label=_("Người ký (họ và tên)"), max_length=150)
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=100)
    reason = forms.CharField(label=_("Lý do"), max_length=500)

    CHANGEABLE = (
        "holder_name", "date_of_birth", "sex", "place_of_birth", "classification",
        "field_of_study", "field_of_study_en",
    )  # fmt: skip

    def changes(self, original) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in self.CHANGEABLE
            if data.get(name) not in (None,) and data[name] != getattr(original, name)
        }
