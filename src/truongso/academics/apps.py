from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcademicsConfig(AppConfig):
    name = "truongso.academics"
    label = "academics"
    verbose_name = _("Năm học, môn học và lớp học")
