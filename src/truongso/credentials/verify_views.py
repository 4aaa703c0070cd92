"""The public verification page (/verify/): no account, no more personal data shown than
the paper shows, a per-address limit. Thin: the checks are in ``verify``."""

from __future__ import annotations

import functools
import re

from django.contrib.staticfiles import finders
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from truongso.credentials import messages, ratelimit, verify
from truongso.credentials.rules.data_integrity import MAX_JSON_BYTES
from truongso.credentials.verifier import Finding
from truongso.credentials.verify_forms import FileForm, NumberForm, QrForm

# The QR text as it appears in a PDF this node made (the PDF carries it as a keyword).
QR_IN_PDF = re.compile(rb"VN1:[0-9A-Z $%*+\-./:]{20,4292}")

# The QR decoder the page's camera scanning uses where the browser has no BarcodeDetector;
# optional (scripts/fetch-assets copies it).
QR_DECODER = "vendor/jsqr/jsQR.js"


@functools.cache
def qr_decoder_available() -> bool:
    return bool(finders.find(QR_DECODER))


def answer_context(finding: Finding) -> dict:
    return {
        "finding": finding,
        "answer": finding.answer.value,
        "answer_title": messages.title(finding),
        "answer_text": messages.explanation(finding),
        "shown": finding.shown if finding.genuine else None,
    }


def _from_file(upload) -> Finding:
    data = upload.read(MAX_JSON_BYTES + 1)
    if data.startswith(b"%PDF"):
        found = QR_IN_PDF.search(data)
        if found:
            return verify.verify_qr(found.group(0).decode("ascii").rstrip())
    return verify.verify_document(data)


@require_http_methods(["GET", "POST"])
def verify_page(request):
    way = request.POST.get("way", "") if request.method == "POST" else ""
    forms = {
        "qr": QrForm(request.POST if way == "qr" else None),
        "file": FileForm(request.POST, request.FILES) if way == "file" else FileForm(),
        "number": NumberForm(
            request.POST if way == "number" else None,
            initial={"number": request.GET.get("n", "")[:40]},
        ),
    }
    context = {
        "forms": forms,
        "way": way or "qr",
        "qr_decoder": QR_DECODER if qr_decoder_available() else "",
    }
    status = 200
    form = forms.get(way)
    if form is not None:
        allowed = ratelimit.allow(request)
        if way == "number":
            allowed = ratelimit.allow(request, ratelimit.LOOKUP) and allowed
        if not allowed:
            context["limited"] = _(
                "Bạn đã xác minh quá nhiều lần trong thời gian ngắn. Hãy thử lại sau ít phút."
            )
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            if way == "qr":
                finding = verify.verify_qr(data["qr"])
            elif way == "file":
                finding = _from_file(data["document"])
            else:
                finding = verify.verify_number(data["number"], data["date_of_birth"])
            context.update(answer_context(finding))
    response = render(request, "credentials/verify.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response
