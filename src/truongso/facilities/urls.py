from django.urls import path

from truongso.facilities import views

app_name = "facilities"

urlpatterns = [
    path("", views.home, name="home"),
    path("office/", views.office, name="office"),
    path("office.xlsx", views.office_xlsx, name="office_xlsx"),
    path("lists/", views.lists, name="lists"),
    path("lists/upload/", views.list_upload, name="list_upload"),
    path("lists/<int:pk>/", views.list_detail, name="list_detail"),
    path("lists/<int:pk>.xlsx", views.list_xlsx, name="list_xlsx"),
    path("norms/", views.norms, name="norms"),
    path("norms.xlsx", views.norms_all_xlsx, name="norms_xlsx"),
    path("norms/<int:pk>/", views.norm_edit, name="norm_edit"),
    path("school/<int:pk>/", views.school, name="school"),
    path("school/<int:pk>/utilities/", views.utilities, name="utilities"),
    path("school/<int:pk>/gaps/", views.gaps, name="gaps"),
    path("school/<int:pk>/gaps.xlsx", views.gaps_xlsx, name="gaps_xlsx"),
    path("school/<int:pk>/norms.xlsx", views.norms_xlsx, name="school_norms_xlsx"),
    path("school/<int:pk>/<slug:kind>/", views.records, name="records"),
    path("school/<int:pk>/<slug:kind>.xlsx", views.records_xlsx, name="records_xlsx"),
    path("school/<int:pk>/<slug:kind>/new/", views.record_new, name="record_new"),
    path("school/<int:pk>/<slug:kind>/<int:record>/", views.record_edit, name="record_edit"),
]
