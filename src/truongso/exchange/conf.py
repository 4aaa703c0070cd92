"""This node's place in the exchange: its id, its role, its parent.

Read from Django settings when set there (tests), otherwise from the environment:

``EXCHANGE_NODE_ID``        this node's id, as registered at the parent (e.g. ``thcs-ba-dinh``)
``EXCHANGE_ROLE``           ``master`` (original data is created here; default) or ``mirror``
                            (the parent is the master: learners are created only there)
``EXCHANGE_PARENT_URL``     the parent's address, e.g. ``https://so.example.vn``
``EXCHANGE_PARENT_TOKEN``   the token the parent gave this node
``EXCHANGE_INSTITUTIONS``   comma-separated institution codes this node pushes (default: all)
``EXCHANGE_BATCH_SIZE``     records per batch (default 200)
``EXCHANGE_TIMEOUT``        seconds to wait for the parent's answer (default 60)
"""

from __future__ import annotations

import os

from django.conf import settings

MASTER = "master"
MIRROR = "mirror"


def _value(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return str(value)


def node_id() -> str:
    return _value("EXCHANGE_NODE_ID").strip()


def role() -> str:
    value = _value("EXCHANGE_ROLE", MASTER).strip().lower()
    return MIRROR if value == MIRROR else MASTER


def parent_url() -> str:
    return _value("EXCHANGE_PARENT_URL").strip().rstrip("/")


def parent_token() -> str:
    return _value("EXCHANGE_PARENT_TOKEN").strip()


def institution_codes() -> list[str]:
    return [c.strip() for c in _value("EXCHANGE_INSTITUTIONS").split(",") if c.strip()]


def batch_size() -> int:
    try:
        return max(1, int(_value("EXCHANGE_BATCH_SIZE", "200")))
    except ValueError:
        return 200


def timeout() -> float:
    try:
        return float(_value("EXCHANGE_TIMEOUT", "60"))
    except ValueError:
        return 60.0


def is_mirror() -> bool:
    return role() == MIRROR


def exit_after_records() -> int | None:
    """Test only: the receiving node exits (without committing) after applying this many
    records of a batch. Read from the environment at each batch, never from settings."""
    value = os.environ.get("EXCHANGE_TEST_EXIT_AFTER_RECORDS", "").strip()
    return int(value) if value.isdigit() else None
