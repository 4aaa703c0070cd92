from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "truongso.credentials"
    label = "credentials"
    verbose_name = "Credentials"
