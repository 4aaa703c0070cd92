import pytest
from django.test import Client


@pytest.fixture
def client_for():
    """A test client signed in as ``user`` (no password round trip)."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
