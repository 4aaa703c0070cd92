"""Helpers for the API tests: a token per user and a client that sends it."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from truongso.accounts.tokens import api_token_create

BASE = "/api/v1"


class ApiClient:
    """Sends requests to /api/v1 with ``Authorization: Bearer <token>`` of a user."""

    def __init__(self, token: str | None = None):
        self.client = Client()
        self.token = token

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, params: dict | None = None):
        return self.client.get(BASE + path, params or {}, headers=self._headers())

    def post(self, path: str, data: dict | None = None):
        return self.client.post(
            BASE + path, json.dumps(data or {}), content_type="application/json",
            headers=self._headers(),
        )  # fmt: skip

    def patch(self, path: str, data: dict | None = None):
        return self.client.patch(
            BASE + path, json.dumps(data or {}), content_type="application/json",
            headers=self._headers(),
        )  # fmt: skip


@pytest.fixture
def api_as(world):
    """``api_as(world.principal_a)`` → a client authenticated with a fresh token of that user."""
    clients: dict[int, ApiClient] = {}

    def make(user) -> ApiClient:
        if user.pk not in clients:
            _token, raw = api_token_create(actor=user, user=user, name="tests")
            clients[user.pk] = ApiClient(raw)
        return clients[user.pk]

    return make


def walk(client: ApiClient, path: str, params: dict | None = None, limit: int = 2) -> list[dict]:
    """Every item of a paginated list, following next_cursor page by page."""
    items: list[dict] = []
    cursor = None
    for _page in range(1000):
        query = dict(params or {}, limit=limit)
        if cursor:
            query["cursor"] = cursor
        response = client.get(path, query)
        assert response.status_code == 200, response.content
        body = response.json()
        assert len(body["items"]) <= limit
        items.extend(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("pagination did not end")
