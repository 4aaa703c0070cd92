"""Playwright (sync API) in Debian's Chromium against pytest-django's live server."""

import asyncio
import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the
# test itself are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        message = "Chromium is not installed at /usr/bin/chromium (apt-get install chromium)"
        if os.environ.get("TRUONGSO_REQUIRE_ALL") == "1":
            pytest.fail(message)  # CI: nothing may be skipped
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # A test elsewhere in the run may leave an event loop marked as running in this
    # thread; nothing runs it, but Playwright's sync API refuses to start beside it.
    stale_loop = asyncio._get_running_loop()
    asyncio._set_running_loop(None)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    asyncio._set_running_loop(stale_loop)


# What data migrations put in the database. A transactional test (every browser test)
# empties the tables when it ends, so the next one puts this back first; each function
# is idempotent.
SEEDS = (
    ("truongso.assessment.migrations.0002_builtin_rule_sets", "load"),
    ("truongso.credentials.migrations.0003_credential_types", "create_types"),
    ("truongso.facilities.migrations.0002_default_norms", "add_norms"),
    ("truongso.stats.migrations.0002_load_catalogue", "load"),
)


def reseed() -> None:
    import importlib

    from django.apps import apps

    for module, function in SEEDS:
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture
def browser_world(transactional_db):
    from tests.world import build_world

    reseed()
    return build_world()


@pytest.fixture
def page_for(chromium, live_server):
    """A new page of the given size; closed after the test."""
    contexts = []

    def make(width=1280, height=800):
        context = chromium.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def diploma(browser_world, settings, tmp_path):
    """A lower-secondary diploma of school A's learner An, signed with a new key."""
    import datetime as dt

    from django.core.cache import cache

    from truongso.credentials import services
    from truongso.credentials.models import CredentialType
    from truongso.credentials.services import Candidate, Issuance

    settings.CREDENTIALS_PUBLIC_URL = "https://truongso.example"
    settings.CREDENTIALS_KEY_SECRET = "a test secret, long enough"
    settings.CREDENTIALS_SCRYPT_N = 2**10
    settings.CREDENTIALS_CACHE_DIR = tmp_path / "credentials-cache"
    cache.clear()  # the per-address limits count in the cache
    w = browser_world
    services.issuer_key_create(actor=w.principal_a, institution=w.school_a)
    learner = w.learner_an
    [credential] = services.credential_issue(
        actor=w.principal_a,
        institution=w.school_a,
        issuance=Issuance(
            credential_type=CredentialType.objects.get(code="lower_secondary_diploma"),
            issue_date=dt.date(2025, 6, 30),
            graduation_year=2025,
            signer_name="Nguyễn Văn Hùng",
            signer_title="Hiệu trưởng",
        ),
        candidates=[
            Candidate(
                holder_name=learner.full_name,
                date_of_birth=learner.date_of_birth,
                sex=learner.sex,
                place_of_birth="Hà Nội",
                classification="Khá",
                learner_id=learner.pk,
            )
        ],
    )
    yield credential
    cache.clear()
