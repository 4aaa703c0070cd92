from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearnersConfig(AppConfig):
    name = "truongso.learners"
    label = "learners"
    verbose_name = _("Học sinh")
