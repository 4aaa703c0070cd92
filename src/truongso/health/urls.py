from django.urls import path

from truongso.health import views

app_name = "health"

urlpatterns = [
    path("", views.home, name="home"),
    path("schools.xlsx", views.offices_xlsx, name="offices_xlsx"),
    path("school/<int:pk>/", views.school, name="school"),
    path("school/<int:pk>/summary.xlsx", views.school_xlsx, name="school_xlsx"),
    path("school/<int:pk>/campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaign/<int:pk>/", views.campaign, name="campaign"),
    path("campaign/<int:pk>/class/<int:class_pk>/", views.entry, name="entry"),
    path("campaign/<int:pk>/class/<int:class_pk>.xlsx", views.entry_xlsx, name="entry_xlsx"),
    path("class/<int:pk>/", views.class_view, name="class"),
    path("class/<int:pk>.xlsx", views.class_xlsx, name="class_xlsx"),
    path("learner/<int:pk>/", views.learner, name="learner"),
    path("learner/<int:pk>.xlsx", views.learner_xlsx, name="learner_xlsx"),
    path("learner/<int:pk>/vaccinations/", views.vaccination_add, name="vaccination_add"),
    path(
        "learner/<int:pk>/vaccinations/<int:vaccination_pk>/delete/",
        views.vaccination_delete,
        name="vaccination_delete",
    ),
    path("learner/<int:pk>/insurance/", views.insurance, name="insurance"),
]
