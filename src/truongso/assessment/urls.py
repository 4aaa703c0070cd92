from django.urls import path

from truongso.assessment import primary_views, summer_views, views

app_name = "assessment"

urlpatterns = [
    path("classes/<int:pk>/", views.class_gradebooks, name="class_gradebooks"),
    path("classes/<int:pk>/subjects/<str:subject>/", views.gradebook, name="gradebook"),
    path("classes/<int:pk>/subjects/<str:subject>/cell/", views.gradebook_cell, name="cell"),
    path("classes/<int:pk>/subjects/<str:subject>/phrases/", views.phrases, name="phrases"),
    path("classes/<int:pk>/conduct/", views.homeroom, name="homeroom"),
    path("classes/<int:pk>/results/", views.results, name="results"),
    path("classes/<int:pk>/results.xlsx", views.results_export, name="results_export"),
    path("classes/<int:pk>/close/", views.term_close_view, name="term_close"),
    path("classes/<int:pk>/reopen/", views.term_reopen_view, name="term_reopen"),
    path("learners/<int:pk>/", views.learner_results, name="learner_results"),
    path("classes/<int:pk>/summer/", summer_views.summer, name="summer"),
    path("classes/<int:pk>/summer.xlsx", summer_views.summer_export, name="summer_export"),
    path("classes/<int:pk>/electives/", summer_views.electives, name="electives"),
    path("classes/<int:pk>/primary/", primary_views.primary, name="primary"),
    path("classes/<int:pk>/primary.xlsx", primary_views.primary_export, name="primary_export"),
]
