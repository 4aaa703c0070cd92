from django.urls import path

from truongso.stats import views

app_name = "stats"

urlpatterns = [
    path("", views.home, name="home"),
    path("rounds/open/", views.round_open, name="round_open"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/completeness.xlsx", views.completeness_xlsx, name="completeness_xlsx"),
    path("rounds/<int:pk>/prepare/", views.report_prepare, name="report_prepare"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/manual/", views.report_manual, name="report_manual"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:pk>/approve/", views.report_approve, name="report_approve"),
    path("reports/<int:pk>/return/", views.report_return, name="report_return"),
    path("reports/<int:pk>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("reports/<int:pk>/dhis2.json", views.report_dhis2, name="report_dhis2"),
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("population/", views.population, name="population"),
    path("population.xlsx", views.population_xlsx, name="population_xlsx"),
]
