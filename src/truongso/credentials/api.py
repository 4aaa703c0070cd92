"""API: public verification (no token), the same checks as the page /verify/."""

from __future__ import annotations

import json

from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError

from truongso.core.api_errors import ErrorOut, ValidationErrorOut
from truongso.credentials import messages, ratelimit, verify
from truongso.credentials.schemas import VerifyIn, VerifyOut

router = Router(tags=["credentials"])


def _out(finding) -> dict:
    return {
        "answer": finding.answer.value,
        "reason": finding.reason,
        "title": messages.title(finding),
        "message": messages.explanation(finding),
        "credential_id": finding.credential_id if finding.genuine else None,
        "issuer": finding.issuer_id if finding.genuine else None,
        "status_checked": finding.status_checked,
        "status_as_of": finding.status_as_of,
        "credential": finding.shown.as_json() if finding.genuine and finding.shown else None,
    }


@router.post(
    "/verify",
    auth=None,
    response={200: VerifyOut, 422: ValidationErrorOut, 429: ErrorOut},
    summary="Verify a diploma or certificate (no token needed)",
    description=(
        "Send exactly one of: `qr` (the QR text), `credential` (the signed JSON), or "
        "`diploma_number` with `date_of_birth`. The answer shows no more than the paper. "
        "A wrong date of birth and an unknown number get the same answer. Limited per "
        "client address (429 when exceeded)."
    ),
)
def verify_credential(request, payload: VerifyIn):
    ways = [
        name
        for name, present in (
            ("qr", payload.qr is not None),
            ("credential", payload.credential is not None),
            ("diploma_number", payload.diploma_number is not None),
        )
        if present
    ]
    if len(ways) != 1:
        return Status(
            422,
            {
                "detail": _("Dữ liệu không hợp lệ."),
                "errors": {"__all__": [_("Gửi đúng một trong: qr, credential, diploma_number.")]},
            },
        )
    if ways == ["diploma_number"] and payload.date_of_birth is None:
        return Status(
            422,
            {
                "detail": _("Dữ liệu không hợp lệ."),
                "errors": {"date_of_birth": [_("Cần ngày sinh (YYYY-MM-DD) cùng số hiệu.")]},
            },
        )
    allowed = ratelimit.allow(request)
    if ways == ["diploma_number"]:
        allowed = ratelimit.allow(request, ratelimit.LOOKUP) and allowed
    if not allowed:
        raise HttpError(429, _("Quá nhiều yêu cầu xác minh; hãy thử lại sau ít phút."))
    if payload.qr is not None:
        finding = verify.verify_qr(payload.qr)
    elif payload.credential is not None:
        document = payload.credential
        text = document if isinstance(document, str) else json.dumps(document)
        finding = verify.verify_document(text)
    else:
        finding = verify.verify_number(payload.diploma_number, payload.date_of_birth)
    return Status(200, _out(finding))
