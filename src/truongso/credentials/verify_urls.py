from django.urls import path

from truongso.credentials import verify_views

app_name = "verify"

urlpatterns = [
    path("", verify_views.verify_page, name="page"),
]
