from django.urls import path

from truongso.reportcards import views

app_name = "reportcards"

urlpatterns = [
    path("", views.home, name="home"),
    path("school/<int:pk>/", views.school, name="school"),
    path("school/<int:pk>/classes.xlsx", views.school_xlsx, name="school_xlsx"),
    path("class/<int:pk>/", views.school_class, name="class"),
    path("class/<int:pk>/report-cards.xlsx", views.class_xlsx, name="class_xlsx"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
]
