"""Offline verification: a folder of cached public files (the key registry and status
lists) and the checks of ``verifier`` on them. No Django, no network.

Layout of the cache folder::

    trusted-roots.json   the node root keys this verifier trusts (pinned once)
    keys.json            the signed key registry (/credentials/keys.json)
    status/<hash>.json   status list credentials, one file per list URL
    meta.json            when each file was cached: {"keys": time, "status": {url: {...}}}

The registry is accepted only when its signature checks with a pinned root key. Answers
about revocation say "status as of" the time the status list was cached.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from truongso.credentials.registry import Registry, RegistryError, read_registry, trusted_key
from truongso.credentials.rules.data_integrity import format_datetime, parse_datetime, parse_json
from truongso.credentials.rules.keyring import KeyRing
from truongso.credentials.verifier import Finding, check_document, check_qr_text

QR_IN_PDF = re.compile(rb"VN1:[0-9A-Z $%*+\-./:]{20,4292}")
ROOTS = "trusted-roots.json"
KEYS = "keys.json"
META = "meta.json"
STATUS = "status"


class CacheError(ValueError):
    """The cache is missing, incomplete or not trusted."""


def _status_name(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:32] + ".json"


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    temporary.replace(path)


class Cache:
    """The folder of cached public files."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    # --- Reading --------------------------------------------------------------------------

    def _read(self, name: str) -> Any:
        path = self.folder / name
        if not path.exists():
            raise CacheError(f"{path} is missing: run `manage.py credentials cache-update`")
        return parse_json(path.read_bytes())

    def meta(self) -> dict:
        path = self.folder / META
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"status": {}}

    def trusted_roots(self) -> KeyRing:
        data = self._read(ROOTS)
        try:
            return KeyRing(trusted_key(item) for item in data.get("keys", []))
        except (RegistryError, ValueError) as error:
            raise CacheError(f"{ROOTS} is not usable: {error}") from None

    def registry(self) -> Registry:
        try:
            return read_registry(self._read(KEYS), self.trusted_roots())
        except RegistryError as error:
            raise CacheError(f"{KEYS} is not trusted: {error}") from None

    def keys_cached_at(self) -> dt.datetime | None:
        return parse_datetime(self.meta().get("keys"))

    def status_source(self, url: str) -> tuple[Any, dt.datetime] | None:
        entry = self.meta().get("status", {}).get(url)
        if not entry:
            return None
        path = self.folder / STATUS / entry["file"]
        if not path.exists():
            return None
        try:
            document = parse_json(path.read_bytes())
        except ValueError:
            return None
        cached_at = parse_datetime(entry.get("cached_at"))
        if cached_at is None:
            return None
        return document, cached_at

    # --- Writing --------------------------------------------------------------------------

    def pin_roots(self, keys: list[Mapping[str, Any]], *, now: dt.datetime) -> None:
        for item in keys:
            trusted_key(item)  # refuse anything that is not a key
        entries = [
            {name: item[name] for name in ("id", "controller", "publicKeyMultibase")}
            for item in keys
        ]
        _write_json(self.folder / ROOTS, {"pinned_at": format_datetime(now), "keys": entries})

    def store_registry(self, document: Mapping[str, Any], *, now: dt.datetime) -> Registry:
        """Keep a registry after checking it with the pinned roots; returns it read."""
        try:
            registry = read_registry(document, self.trusted_roots())
        except RegistryError as error:
            raise CacheError(f"the registry is not trusted: {error}") from None
        _write_json(self.folder / KEYS, document)
        meta = self.meta()
        meta["keys"] = format_datetime(now)
        _write_json(self.folder / META, meta)
        return registry

    def store_status_list(self, document: Mapping[str, Any], *, now: dt.datetime) -> str:
        url = document.get("id")
        if not isinstance(url, str) or not url:
            raise CacheError("a status list credential has an id (its URL)")
        name = _status_name(url)
        _write_json(self.folder / STATUS / name, document)
        meta = self.meta()
        meta.setdefault("status", {})[url] = {"file": name, "cached_at": format_datetime(now)}
        _write_json(self.folder / META, meta)
        return url


def read_input(argument: str) -> tuple[str, Any]:
    """What the argument holds: ("document", text), ("qr", text) or ("pdf-qr", text).

    A path to an existing file is read (JSON, a PDF made by a node, or a file holding the
    QR text); anything else is taken as the QR text itself.
    """
    path = Path(argument)
    try:
        is_file = len(argument) < 4096 and path.is_file()
    except OSError:
        is_file = False
    if not is_file:
        return "qr", argument
    data = path.read_bytes()
    if data.startswith(b"%PDF"):
        found = QR_IN_PDF.search(data)
        return ("qr", found.group(0).decode("ascii").rstrip()) if found else ("qr", "")
    text = data.decode("utf-8", errors="replace")
    if text.lstrip().startswith("{"):
        return "document", data
    return "qr", text.strip()


def verify_offline(argument: str, cache: Cache) -> Finding:
    """Verify a credential file, a PDF or QR text with the cache only."""
    registry = cache.registry()
    kind, value = read_input(argument)
    if kind == "document":
        return check_document(value, registry, cache.status_source)
    # The QR names no status list: only the full credential (or an online check) can tell
    # whether it was revoked, so the finding says the status was not checked.
    return check_qr_text(value, registry)
