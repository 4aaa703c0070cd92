from django.urls import path

from truongso.training import views

app_name = "training"

urlpatterns = [
    path("", views.home, name="home"),
    path("summary/", views.summary, name="summary"),
    path("summary.xlsx", views.summary_xlsx, name="summary_xlsx"),
    path("school/<int:pk>/", views.school, name="school"),
    path("school/<int:pk>/records.xlsx", views.school_xlsx, name="school_xlsx"),
    path("school/<int:pk>/appraisals/", views.appraisals, name="appraisals"),
    path("school/<int:pk>/appraisals.xlsx", views.appraisals_xlsx, name="appraisals_xlsx"),
    path("staff/<int:pk>/", views.staff, name="staff"),
    path("staff/<int:pk>/records.xlsx", views.staff_xlsx, name="staff_xlsx"),
    path("staff/<int:pk>/new/", views.record_new, name="record_new"),
    path("record/<int:pk>/", views.record_edit, name="record_edit"),
]
