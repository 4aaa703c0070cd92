from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "truongso.core"
    label = "core"
    verbose_name = "Core"
