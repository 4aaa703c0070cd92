"""Settings for the credentials tests: a fixed public address, fast key sealing, and an
empty cache (the rate limits count in it)."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _credentials_settings(settings):
    settings.CREDENTIALS_PUBLIC_URL = "https://truongso.example"
    settings.CREDENTIALS_KEY_SECRET = "a test secret, long enough"
    settings.CREDENTIALS_SCRYPT_N = 2**10
    cache.clear()
    yield
    cache.clear()
