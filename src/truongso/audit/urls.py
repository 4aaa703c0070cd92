from django.urls import path

from truongso.audit import views

app_name = "audit"

urlpatterns = [
    path("<str:record_type>/<int:object_id>/", views.record, name="record"),
]
