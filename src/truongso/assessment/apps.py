from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "truongso.assessment"
    label = "assessment"
    verbose_name = _("Đánh giá kết quả học tập")
