from django.urls import path

from truongso.exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.status, name="status"),
    path("push/", views.push, name="push"),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("conflicts/<int:pk>/", views.conflict, name="conflict"),
]
