from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from truongso.api import api

urlpatterns = [
    path("", include("truongso.web.urls")),
    path("accounts/", include("truongso.accounts.urls")),
    path("units/", include("truongso.units.urls")),
    path("learners/", include("truongso.learners.urls")),
    path("staff/", include("truongso.staff.urls")),
    path("classes/", include("truongso.academics.urls")),
    path("data/", include("truongso.imports.urls")),
    path("audit/", include("truongso.audit.urls")),
    path("assessment/", include("truongso.assessment.urls")),
    path("attendance/", include("truongso.attendance.urls")),
    path("credentials/", include("truongso.credentials.urls")),
    path("verify/", include("truongso.credentials.verify_urls")),
    path("report-cards/", include("truongso.reportcards.urls")),
    path("vocational/", include("truongso.vocational.urls")),
    path("health/", include("truongso.health.urls")),
    path("facilities/", include("truongso.facilities.urls")),
    path("training/", include("truongso.training.urls")),
    path("exchange/", include("truongso.exchange.urls")),
    path("statistics/", include("truongso.stats.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.STATIC_URL, document_root=settings.STATIC_ROOT)
