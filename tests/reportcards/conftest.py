"""Report cards are signed when approved: the known world's first school gets a signing
key (sealed with a cheap scrypt cost) for every test that uses the world."""

import pytest


@pytest.fixture(autouse=True)
def _signing_key(request, settings):
    settings.CREDENTIALS_PUBLIC_URL = "https://truongso.example"
    settings.CREDENTIALS_KEY_SECRET = "a test secret, long enough"
    settings.CREDENTIALS_SCRYPT_N = 2**10
    if "world" in request.fixturenames:
        from truongso.credentials.services import issuer_key_create

        world = request.getfixturevalue("world")
        issuer_key_create(actor=world.principal_a, institution=world.school_a)
