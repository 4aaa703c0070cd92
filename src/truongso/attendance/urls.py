from django.urls import path

from truongso.attendance import views

app_name = "attendance"

urlpatterns = [
    path("class/<int:pk>/", views.take, name="take"),
    path("class/<int:pk>/month/", views.class_month, name="class_month"),
    path("class/<int:pk>/month.xlsx", views.class_month_xlsx, name="class_month_xlsx"),
    path("school/<int:pk>/month/", views.school_month, name="school_month"),
    path("school/<int:pk>/month.xlsx", views.school_month_xlsx, name="school_month_xlsx"),
    path("school/<int:pk>/alerts/", views.alerts, name="alerts"),
]
