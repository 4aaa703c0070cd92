"""What the node publishes for verifiers, without an account: the key registry, DID
documents, a JWKS, status lists and the register log. All read-only, cacheable JSON."""

from __future__ import annotations

import json

from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from truongso.credentials import selectors
from truongso.credentials.models import CredentialType, IssuerKey, StatusList
from truongso.units.models import Institution

CACHE_SECONDS = 300


def _json(data, *, max_age: int = CACHE_SECONDS) -> HttpResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    return _public(response, max_age)


def _public(response: HttpResponse, max_age: int) -> HttpResponse:
    response["Cache-Control"] = f"public, max-age={max_age}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def key_registry(request):
    body = selectors.registry_body()
    if body is None:
        raise Http404
    return _public(HttpResponse(body, content_type="application/json"), CACHE_SECONDS)


@require_GET
def node_did(request):
    try:
        return _json(selectors.node_did_document())
    except IssuerKey.DoesNotExist:
        raise Http404


@require_GET
def institution_did(request, code: str):
    try:
        return _json(selectors.institution_did_document(code=code))
    except Institution.DoesNotExist:
        raise Http404


@require_GET
def jwks(request):
    return _json(selectors.jwks())


@require_GET
def log_checkpoint(request):
    checkpoint = selectors.latest_checkpoint()
    if checkpoint is None:
        raise Http404
    response = HttpResponse(checkpoint.note, content_type="text/plain; charset=utf-8")
    return _public(response, 60)


@require_GET
def log_entries(request):
    try:
        start = max(int(request.GET.get("start", 0)), 0)
        limit = min(max(int(request.GET.get("limit", 1000)), 1), 1000)
    except ValueError:
        start, limit = 0, 1000
    entries = [
        {"index": e.index, "leaf_hash": e.leaf_hash, "entry": json.loads(e.body)}
        for e in selectors.log_entries(start=start, limit=limit)
    ]
    return _json({"start": start, "entries": entries}, max_age=60)


@require_GET
def status_list(request, code: str, year: int, purpose: str, sequence: int):
    try:
        body = selectors.status_list_document(
            code=code, year=year, purpose=purpose, sequence=sequence
        )
    except StatusList.DoesNotExist:
        raise Http404
    # Short cache: a revocation must reach verifiers soon.
    return _public(HttpResponse(body, content_type="application/json"), 60)


@require_GET
def credential_type(request, code: str):
    try:
        kind = selectors.credential_type_get(code=code)
    except CredentialType.DoesNotExist:
        raise Http404
    return _json(
        {
            "id": request.build_absolute_uri(),
            "type": ["Achievement"],
            "achievementType": kind.achievement_type,
            "name": kind.title,
            "description": kind.description,
            "criteria": {"narrative": kind.criteria},
        },
        max_age=3600,
    )
