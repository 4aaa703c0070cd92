"""/healthz, static files with DEBUG off, and the environment-driven settings module."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError, connections

PROJECT_DIR = Path(__file__).resolve().parent.parent


# --- /healthz -------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.fixture
def unreachable_database(django_db_blocker):
    """Swaps the default connection for one to a database that cannot be reached."""
    original = connections["default"]
    settings_dict = dict(original.settings_dict)
    if original.vendor == "sqlite":
        settings_dict["NAME"] = "/nonexistent-folder/truongso.sqlite3"
    else:
        # Nothing listens on port 1 of the loopback interface: refused at once.
        settings_dict.update(HOST="127.0.0.1", PORT="1")
    broken = original.__class__(settings_dict, alias="default")
    with django_db_blocker.unblock():
        with pytest.raises(OperationalError):
            broken.ensure_connection()
        connections["default"] = broken
        try:
            yield
        finally:
            connections["default"] = original
            broken.close()


def test_healthz_answers_503_when_the_database_is_unreachable(client, unreachable_database):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


# --- static files ---------------------------------------------------------------------


def test_collected_static_files_are_served_with_debug_off(client, settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "probe.css").write_text("body { color: #123456; }\n")

    response = client.get("/static/probe.css")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"body { color: #123456; }\n"
    assert response["Content-Type"].startswith("text/css")


# --- settings read from the environment ------------------------------------------------

_PROBE = """
import json
from truongso import settings as s
db = s.DATABASES["default"]
print(json.dumps({
    "DEBUG": s.DEBUG,
    "ENGINE": db["ENGINE"],
    "NAME": str(db["NAME"]),
    "HOST": db.get("HOST", ""),
    "PORT": db.get("PORT", ""),
    "USER": db.get("USER", ""),
    "CONN_MAX_AGE": db["CONN_MAX_AGE"],
    "SQLITE_OPTIONS": db.get("OPTIONS", {}),
    "SECRET_KEY": s.SECRET_KEY,
    "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
    "CSRF_TRUSTED_ORIGINS": s.CSRF_TRUSTED_ORIGINS,
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
    "STATIC_ROOT": str(s.STATIC_ROOT),
    "MIDDLEWARE": s.MIDDLEWARE[:2],
    "LOCKOUT_THRESHOLD": s.LOCKOUT_THRESHOLD,
}))
"""

_READ_BY_SETTINGS = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DATABASE_CONN_MAX_AGE",
    "TRUONGSO_VAR_DIR",
    "SECURE_COOKIES",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "LOCKOUT_THRESHOLD",
)


def load_settings(var_dir: Path, **env: str) -> dict:
    """Imports the settings module in a fresh interpreter with exactly these variables."""
    clean = {k: v for k, v in os.environ.items() if k not in _READ_BY_SETTINGS}
    clean.update(env, TRUONGSO_VAR_DIR=str(var_dir), PYTHONPATH=str(PROJECT_DIR / "src"))
    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        env=clean,
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_DIR,
    )
    return json.loads(done.stdout)


def test_defaults_are_sqlite_in_the_var_folder_with_debug_off(tmp_path):
    loaded = load_settings(tmp_path)

    assert loaded["DEBUG"] is False
    assert loaded["ENGINE"] == "django.db.backends.sqlite3"
    assert loaded["NAME"] == str(tmp_path / "truongso.sqlite3")
    assert loaded["CONN_MAX_AGE"] == 0
    assert loaded["SQLITE_OPTIONS"] == {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    assert loaded["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "testserver"]
    assert loaded["SESSION_COOKIE_SECURE"] is False
    assert loaded["CSRF_COOKIE_SECURE"] is False
    assert loaded["STATIC_ROOT"] == str(tmp_path / "static")
    assert loaded["MIDDLEWARE"] == [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]
    assert loaded["LOCKOUT_THRESHOLD"] == 5


def test_without_secret_key_a_private_key_file_is_made_once_and_kept(tmp_path):
    first = load_settings(tmp_path)
    second = load_settings(tmp_path)

    key_file = tmp_path / "secret_key"
    assert first["SECRET_KEY"] == key_file.read_text().strip()
    assert second["SECRET_KEY"] == first["SECRET_KEY"]
    assert len(first["SECRET_KEY"]) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_secret_key_from_the_environment_wins_and_no_key_file_is_written(tmp_path):
    loaded = load_settings(tmp_path, SECRET_KEY="k" * 60)

    assert loaded["SECRET_KEY"] == "k" * 60
    assert not (tmp_path / "secret_key").exists()


def test_database_url_selects_postgresql(tmp_path):
    loaded = load_settings(
        tmp_path,
        DATABASE_URL="postgres://truongso:secret@db.internal:5433/truongso_prod",
        DATABASE_CONN_MAX_AGE="120",
    )

    assert loaded["ENGINE"] == "django.db.backends.postgresql"
    assert loaded["NAME"] == "truongso_prod"
    assert loaded["HOST"] == "db.internal"
    assert loaded["PORT"] == 5433
    assert loaded["USER"] == "truongso"
    assert loaded["CONN_MAX_AGE"] == 120
    assert loaded["SQLITE_OPTIONS"] == {}


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("1", True), ("YES", True), ("on", True), ("false", False), ("0", False)],
)
def test_debug_reads_the_usual_spellings_of_a_boolean(tmp_path, value, expected):
    assert load_settings(tmp_path, DEBUG=value)["DEBUG"] is expected


def test_secure_cookies_hosts_and_origins_from_the_environment(tmp_path):
    loaded = load_settings(
        tmp_path,
        SECURE_COOKIES="true",
        ALLOWED_HOSTS=" truongso.example.vn, www.truongso.example.vn ,",
        CSRF_TRUSTED_ORIGINS="https://truongso.example.vn",
    )

    assert loaded["SESSION_COOKIE_SECURE"] is True
    assert loaded["CSRF_COOKIE_SECURE"] is True
    assert loaded["ALLOWED_HOSTS"] == ["truongso.example.vn", "www.truongso.example.vn"]
    assert loaded["CSRF_TRUSTED_ORIGINS"] == ["https://truongso.example.vn"]
