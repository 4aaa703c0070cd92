from django.urls import path

from truongso.academics import views

app_name = "academics"

urlpatterns = [
    path("", views.class_list, name="class_list"),
    path("new/", views.class_create, name="class_create"),
    path("<int:pk>/", views.class_detail, name="class_detail"),
    path("<int:pk>/edit/", views.class_edit, name="class_edit"),
    path("<int:pk>/assignments/", views.assignment_edit, name="assignment_edit"),
    path("<int:pk>/promote/", views.class_promote, name="class_promote"),
]
