"""Abstract models shared by the person-holding apps (learners, staff)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from truongso.core.rules.codelists import ETHNICITY_LIST_1979, ethnicity_name
from truongso.core.rules.personal_id import check_personal_id


class Sex(models.TextChoices):
    MALE = "M", _("Nam")
    FEMALE = "F", _("Nữ")


class PersonIdentity(models.Model):
    """Identity fields of a person: name, birth, sex, national number, ethnicity."""

    full_name = models.CharField(_("họ và tên"), max_length=150)
    # Folded (lower case, no diacritics) copy of full_name for search.
    search_name = models.CharField(max_length=150, editable=False, db_index=True)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices)
    personal_id = models.CharField(
        _("số định danh cá nhân"), max_length=12, blank=True, default="", db_index=True
    )
    ethnicity_code = models.CharField(_("dân tộc (mã)"), max_length=4, blank=True, default="")
    ethnicity_list = models.CharField(
        _("danh mục dân tộc"), max_length=20, blank=True, default=ETHNICITY_LIST_1979
    )
    nationality = models.CharField(_("quốc tịch"), max_length=2, default="VN")
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True, default="")
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True, default="")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.full_name

    @property
    def ethnicity_name(self) -> str:
        return ethnicity_name(self.ethnicity_code, self.ethnicity_list) or ""

    @property
    def personal_id_problems(self) -> tuple[str, ...]:
        return check_personal_id(self.personal_id, self.date_of_birth, self.sex).problems
