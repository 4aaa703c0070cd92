from django.urls import path

from truongso.imports import oneroster_views, views

app_name = "imports"

urlpatterns = [
    path("import/", views.start, name="start"),
    path("import/template/<str:kind>/", views.template, name="template"),
    path("import/jobs/", views.jobs, name="jobs"),
    path("import/jobs/<int:pk>/", views.job, name="job"),
    path("import/jobs/<int:pk>/commit/", views.job_commit, name="job_commit"),
    path("import/jobs/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("export/<str:kind>.xlsx", views.export, name="export"),
    path("export/oneroster/", oneroster_views.oneroster_export, name="oneroster"),
]
