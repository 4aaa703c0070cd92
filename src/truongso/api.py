"""The API root: /api/v1/ mounts each app's router.

OpenAPI 3 at /api/v1/openapi.json, interactive docs at /api/v1/docs (served from
django-ninja's own static files, nothing from a CDN). Every endpoint needs a bearer
token (``Authorization: Bearer <token>``) or, for the docs' "try it out", the
signed-in browser's session with its CSRF token. Errors: see core/api_errors.py.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestValidationError

from truongso.academics.api import router as academics_router
from truongso.accounts.api import BearerTokenAuth, SessionAuth
from truongso.accounts.api import router as accounts_router
from truongso.attendance.api import router as attendance_router
from truongso.core.api_errors import (
    django_errors,
    message_bad_body,
    message_forbidden,
    message_not_found,
    message_unauthorized,
    pydantic_errors,
    validation_body,
)
from truongso.credentials.api import router as credentials_router
from truongso.exchange.api import router as exchange_router
from truongso.facilities.api import router as facilities_router
from truongso.health.api import router as health_router
from truongso.learners.api import router as learners_router
from truongso.reportcards.api import router as reportcards_router
from truongso.staff.api import router as staff_router
from truongso.stats.api import router as stats_router
from truongso.training.api import router as training_router
from truongso.units.api import router as units_router
from truongso.vocational.api import router as vocational_router

DESCRIPTION = """
The API of Trường Số. Authenticate with `Authorization: Bearer <token>`; a token is
created on the page *Mã truy cập API* (/accounts/api-tokens/) or with
`manage.py api_token create`. Every answer is limited to what the token's account may
see, as on the pages.

Lists are paginated with a cursor: `?limit=` (1–500, default 50) and
`?cursor=<next_cursor of the previous page>`; each answer is
`{"items": [...], "next_cursor": "..." | null}`.

Errors: 401 no or bad token; 403 not allowed; 404 not found or not yours to see;
422 invalid input, with `errors` naming each field and its messages.
"""

api = NinjaAPI(
    title="Trường Số API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[BearerTokenAuth(), SessionAuth()],
    docs=Swagger(
        settings={
            "validatorUrl": None,
            "tryItOutEnabled": False,
            "persistAuthorization": False,
            "displayRequestDuration": True,
        }
    ),
)


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    response = api.create_response(request, {"detail": message_unauthorized()}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(HttpError)
def _http_error(request, exc):
    detail = message_bad_body() if exc.status_code == 400 else str(exc)
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": message_forbidden()}, status=403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": message_not_found()}, status=404)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return api.create_response(request, validation_body(django_errors(exc)), status=422)


@api.exception_handler(RequestValidationError)
def _invalid_request(request, exc):
    return api.create_response(request, validation_body(pydantic_errors(exc.errors)), status=422)


api.add_router("/", accounts_router)
api.add_router("/", units_router)
api.add_router("/", academics_router)
api.add_router("/", learners_router)
api.add_router("/", staff_router)
api.add_router("/credentials/", credentials_router)
api.add_router("/report-cards", reportcards_router)
api.add_router("/attendance", attendance_router)
api.add_router("/vocational/", vocational_router)
api.add_router("/health/", health_router)
api.add_router("/facilities/", facilities_router)
api.add_router("/training/", training_router)
api.add_router("/exchange/", exchange_router)
api.add_router("/statistics/", stats_router)
