"""Thin forms: they parse input; the services check and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from truongso.facilities.models import (
    Building,
    Condition,
    EquipmentCondition,
    EquipmentItem,
    Norm,
    Room,
    RoomType,
    Site,
    TeacherHousing,
    ToiletBlock,
    Utilities,
)
from truongso.facilities.services import FIELDS, NORM_FIELDS, UTILITY_FIELDS

MODELS = {"sites": Site, "buildings": Building, "rooms": Room, "housing": TeacherHousing,
          "toilets": ToiletBlock, "equipment": EquipmentItem}  # fmt: skip
PARENTS = {"buildings": ("site", "sites"), "rooms": ("building", "buildings"),
           "housing": ("site", "sites"), "toilets": ("site", "sites"),
           "equipment": ("room", "rooms")}  # fmt: skip


def record_form_class(kind: str) -> type[forms.ModelForm]:
    model = MODELS[kind]
    widgets = {"certificate_issued_on": forms.DateInput(attrs={"type": "date"})}
    meta = type("Meta", (), {"model": model, "fields": FIELDS[kind], "widgets": widgets})
    return type(f"{model.__name__}Form", (forms.ModelForm,), {"Meta": meta})


def record_form(kind: str, *, data=None, instance=None, parents=None, list_items=None):
    """The form of one kind; ``parents`` is the queryset of the school's sites, buildings
    or rooms for the foreign key; ``list_items`` the (code, label) of the minimum lists."""
    form = record_form_class(kind)(data=data, instance=instance)
    if kind in PARENTS and parents is not None:
        form.fields[PARENTS[kind][0]].queryset = parents
    if kind == "equipment":
        form.fields["list_item_code"] = forms.ChoiceField(
            label=_("Thiết bị theo danh mục tối thiểu"),
            choices=[("", _("— Ngoài danh mục —"))] + list(list_items or []),
            required=False,
            initial=instance.list_item_code if instance else "",
        )
        form.fields["name"].required = False
        form.fields["name"].help_text = _("Để trống để lấy tên trong danh mục.")
        form.fields["room"].empty_label = _("Kho chung")
    return form


class UtilitiesForm(forms.ModelForm):
    class Meta:
        model = Utilities
        fields = UTILITY_FIELDS


class NormForm(forms.ModelForm):
    class Meta:
        model = Norm
        fields = NORM_FIELDS
        help_texts = {
            "kinds": _("Mã cấp học, cách nhau bởi dấu phẩy, ví dụ primary,lower_secondary; "
                       "để trống: mọi cấp học."),
        }  # fmt: skip


class EquipmentListUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh mục (.csv hoặc .xlsx)"),
        help_text=_("Định dạng: xem hướng dẫn. Tệp có lỗi thì không nạp dòng nào."),
    )


class RecordFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo tên"), required=False, max_length=100)
    condition = forms.ChoiceField(label=_("Tình trạng"), required=False)
    room_type = forms.ChoiceField(
        label=_("Loại phòng"), required=False, choices=[("", _("Tất cả"))] + RoomType.choices
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        conditions = EquipmentCondition.choices if kind == "equipment" else Condition.choices
        self.fields["condition"].choices = [("", _("Tất cả"))] + conditions
        if kind != "rooms":
            del self.fields["room_type"]
        if kind in ("sites",):
            del self.fields["condition"]

    def selector_kwargs(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}
