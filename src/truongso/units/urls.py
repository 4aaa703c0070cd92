from django.urls import path

from truongso.units import views

app_name = "units"

urlpatterns = [
    path("", views.browser, name="browser"),
    path("<int:unit_id>/", views.browser, name="browser"),
    path("map/", views.institution_map, name="map"),
    path("map/data.geojson", views.institution_map_data, name="map_data"),
    path("institutions/", views.institution_list, name="institution_list"),
    path("institutions/<int:pk>/", views.institution_detail, name="institution_detail"),
    path("institutions/<int:pk>/edit/", views.institution_edit, name="institution_edit"),
]
