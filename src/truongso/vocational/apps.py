from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VocationalConfig(AppConfig):
    name = "truongso.vocational"
    label = "vocational"
    verbose_name = _("Giáo dục nghề nghiệp")
