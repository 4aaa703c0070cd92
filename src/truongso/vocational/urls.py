from django.urls import path

from truongso.vocational import views

app_name = "vocational"

urlpatterns = [
    path("", views.home, name="home"),
    path("programmes.xlsx", views.home_xlsx, name="home_xlsx"),
    path("programme/<int:pk>/", views.programme_detail, name="programme"),
    path("programme/<int:pk>/modules.xlsx", views.programme_xlsx, name="programme_xlsx"),
    path("cohort/<int:pk>/", views.cohort_detail, name="cohort"),
    path("cohort/<int:pk>/module/<int:module_pk>/", views.scores, name="scores"),
    path(
        "cohort/<int:pk>/module/<int:module_pk>/scores.xlsx",
        views.scores_xlsx,
        name="scores_xlsx",
    ),
    path("cohort/<int:pk>/retake/<int:enrolment_pk>/", views.retake, name="retake"),
    path("cohort/<int:pk>/learner/<int:learner_pk>/", views.transcript, name="transcript"),
    path(
        "cohort/<int:pk>/learner/<int:learner_pk>/transcript.xlsx",
        views.transcript_xlsx,
        name="transcript_xlsx",
    ),
    path("cohort/<int:pk>/graduation/", views.graduation, name="graduation"),
    path("cohort/<int:pk>/graduation.xlsx", views.graduation_xlsx, name="graduation_xlsx"),
]
