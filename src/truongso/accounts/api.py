"""API authentication (bearer tokens, or the browser's session with CSRF) and the
caller's own account and tokens."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.pagination import paginate
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from truongso.accounts.schemas import ApiTokenCreatedOut, ApiTokenCreateIn, ApiTokenOut, MeOut
from truongso.accounts.tokens import (
    api_token_authenticate,
    api_token_create,
    api_token_get,
    api_token_list,
    api_token_revoke,
)
from truongso.core.api_errors import ErrorOut, ValidationErrorOut, get_or_404
from truongso.core.api_pagination import CursorPagination


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``. A token that is unknown, revoked, or whose
    account is inactive is refused outright (401), even with a session cookie."""

    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_authenticate(token)
        if user is None:
            raise AuthenticationError
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in browser's session (for the interactive docs). Requests that change
    data must carry the CSRF token (header ``X-CSRFToken``)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        # CSRF is checked in authenticate(), only once a session user is known, so an
        # anonymous request is answered 401 rather than a CSRF failure.
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if check_csrf(request):
            raise HttpError(403, _("Thiếu mã CSRF hoặc mã không đúng (tiêu đề X-CSRFToken)."))
        return user


router = Router(tags=["account"])


@router.get("/me", response=MeOut, summary="The signed-in account and its roles")
def me(request):
    user = request.auth
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "roles": list(user.role_assignments.order_by("pk")),
    }


@router.get("/tokens", response=list[ApiTokenOut], summary="My API tokens")
@paginate(CursorPagination, ordering=("-created_at", "-pk"))
def tokens(request):
    return api_token_list(actor=request.auth)


@router.post(
    "/tokens",
    response={201: ApiTokenCreatedOut, 422: ValidationErrorOut},
    summary="Create an API token (its text is shown only in this answer)",
)
def token_create(request, payload: ApiTokenCreateIn):
    token, raw = api_token_create(actor=request.auth, user=request.auth, name=payload.name)
    token.token = raw
    return Status(201, token)


@router.post(
    "/tokens/{token_id}/revoke",
    response={200: ApiTokenOut, 404: ErrorOut},
    summary="Revoke one of my API tokens",
)
def token_revoke(request, token_id: int):
    token = get_or_404(api_token_get, actor=request.auth, pk=token_id)
    return api_token_revoke(actor=request.auth, token=token)
