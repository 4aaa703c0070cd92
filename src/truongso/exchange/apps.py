from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "truongso.exchange"
    label = "exchange"
    verbose_name = _("Kết nối cơ sở dữ liệu ngành")
