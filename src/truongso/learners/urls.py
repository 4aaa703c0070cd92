from django.urls import path

from truongso.learners import views

app_name = "learners"

urlpatterns = [
    path("", views.learner_list, name="list"),
    path("new/", views.learner_create, name="create"),
    path("<int:pk>/", views.learner_detail, name="detail"),
    path("<int:pk>/edit/", views.learner_edit, name="edit"),
    path("<int:pk>/history/", views.learner_history, name="history"),
    path("<int:pk>/guardians/new/", views.guardian_edit, name="guardian_create"),
    path("<int:pk>/guardians/<int:guardian_pk>/", views.guardian_edit, name="guardian_edit"),
    path("<int:pk>/transfer/", views.enrolment_action, {"action": "transfer"}, name="transfer"),
    path(
        "<int:pk>/change-class/",
        views.enrolment_action,
        {"action": "change_class"},
        name="change_class",
    ),  # fmt: skip
    path("<int:pk>/withdraw/", views.enrolment_action, {"action": "withdraw"}, name="withdraw"),
    path("<int:pk>/drop-out/", views.enrolment_action, {"action": "drop_out"}, name="drop_out"),
    path("<int:pk>/readmit/", views.enrolment_action, {"action": "readmit"}, name="readmit"),
]
