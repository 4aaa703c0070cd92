"""Operate the credentials of this node from the command line (as the operator).

    manage.py credentials keys
    manage.py credentials key-create --institution CODE [--reason TEXT]
    manage.py credentials key-rotate (--institution CODE | --root) [--reason TEXT]
    manage.py credentials key-revoke --key KEY_ID --reason TEXT [--from 2025-07-01T08:00:00+07:00]
    manage.py credentials log-verify
    manage.py credentials cache-update [--cache DIR] [--from-dir DIR --root-key z6Mk…]
    manage.py credentials verify FILE_OR_QR_TEXT [--cache DIR]
    manage.py credentials pdf DIPLOMA_NUMBER --out FILE

``verify`` works offline, with the cache only: keys and status lists cached by
``cache-update`` (from this node's database, or from files downloaded from another node:
keys.json and status lists). Its answer says "status as of" the cache's date.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from truongso.credentials import messages, selectors, services
from truongso.credentials.logcheck import log_check
from truongso.credentials.models import Credential, IssuerKey
from truongso.credentials.offline import Cache, CacheError, verify_offline
from truongso.credentials.pdf import credential_pdf
from truongso.credentials.rules.data_integrity import parse_json
from truongso.credentials.rules.multikey import MultikeyError, decode_public_key
from truongso.credentials.verifier import Answer
from truongso.units.models import Institution


class Command(BaseCommand):
    help = "Keys, the register log, the offline cache and offline verification of credentials."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("keys", help="List every signing key of this node.")
        create = sub.add_parser("key-create", help="Create an institution's first signing key.")
        create.add_argument("--institution", required=True, help="Institution code.")
        create.add_argument("--reason", default="")
        rotate = sub.add_parser("key-rotate", help="Replace a key (the old one stays listed).")
        rotate.add_argument("--institution", help="Institution code.")
        rotate.add_argument("--root", action="store_true", help="The node's root key.")
        rotate.add_argument("--reason", default="")
        revoke = sub.add_parser("key-revoke", help="Refuse a key's signatures from a moment on.")
        revoke.add_argument("--key", required=True, help="The key id (…#key-1).")
        revoke.add_argument("--reason", required=True)
        revoke.add_argument(
            "--from", dest="revoked_from", help="ISO time with offset (default: now)."
        )
        sub.add_parser("log-verify", help="Check the whole register log and its checkpoints.")
        update = sub.add_parser("cache-update", help="Cache keys and status lists for offline use.")
        update.add_argument("--cache", type=Path, help="Cache folder (CREDENTIALS_CACHE_DIR).")
        update.add_argument("--from-dir", type=Path, help="keys.json and status lists to import.")
        update.add_argument("--root-key", action="append", default=[], help="Root key to trust.")
        verify = sub.add_parser("verify", help="Verify a credential offline, with the cache.")
        verify.add_argument("input", help="A .json or .pdf file, or the QR text (VN1:…).")
        verify.add_argument("--cache", type=Path, help="Cache folder (CREDENTIALS_CACHE_DIR).")
        pdf = sub.add_parser("pdf", help="Write the PDF of a credential.")
        pdf.add_argument("number", help="The diploma number.")
        pdf.add_argument("--out", type=Path, required=True)

    def handle(self, *args, **options):
        action = options["action"].replace("-", "_")
        try:
            return getattr(self, f"_{action}")(options)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages))
        except CacheError as error:
            raise CommandError(str(error))

    # --- Keys ---------------------------------------------------------------------------

    def _institution(self, code: str) -> Institution:
        try:
            return Institution.objects.get(code=code)
        except Institution.DoesNotExist:
            raise CommandError(f"No institution with code {code}.")

    def _keys(self, options) -> None:
        for key in IssuerKey.objects.select_related("institution").order_by("institution_id", "pk"):
            state = (
                "revoked from " + key.revoked_at.isoformat()
                if key.revoked_at
                else ("retired" if key.valid_to else "current")
            )
            owner = key.institution.code if key.institution else "root"
            self.stdout.write(f"{owner}\t{key.key_id}\t{key.multikey}\t{state}")

    def _key_create(self, options) -> None:
        institution = self._institution(options["institution"])
        if services.current_key(institution) is not None:
            raise CommandError(f"{institution.code} has a current key: use key-rotate.")
        key = services.issuer_key_create(
            actor=None, institution=institution, reason=options["reason"]
        )
        self.stdout.write(key.key_id)

    def _key_rotate(self, options) -> None:
        if options["root"] == bool(options.get("institution")):
            raise CommandError("Give either --institution CODE or --root.")
        institution = None if options["root"] else self._institution(options["institution"])
        key = services.issuer_key_rotate(
            actor=None, institution=institution, reason=options["reason"]
        )
        self.stdout.write(key.key_id)

    def _key_revoke(self, options) -> None:
        try:
            key = IssuerKey.objects.get(key_id=options["key"])
        except IssuerKey.DoesNotExist:
            raise CommandError(f"No key {options['key']}.")
        moment = None
        if options.get("revoked_from"):
            try:
                moment = dt.datetime.fromisoformat(options["revoked_from"])
            except ValueError:
                raise CommandError("--from is an ISO time, e.g. 2025-07-01T08:00:00+07:00.")
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        key = services.issuer_key_revoke(
            actor=None, key=key, reason=options["reason"], revoked_from=moment
        )
        revoked = key.revoked_at.astimezone(dt.UTC).isoformat()
        self.stdout.write(f"{key.key_id} revoked from {revoked}")

    # --- Log ----------------------------------------------------------------------------

    def _log_verify(self, options) -> None:
        report = log_check()
        for problem in report.problems:
            self.stderr.write(problem)
        summary = f"{report.entries} entries, {report.checkpoints} checkpoints, root {report.root}"
        if not report.ok:
            raise CommandError(f"The register log has {len(report.problems)} problems ({summary}).")
        self.stdout.write(f"The register log is intact: {summary}.")

    # --- Offline cache and verification ---------------------------------------------------

    def _cache(self, options) -> Cache:
        return Cache(options.get("cache") or settings.CREDENTIALS_CACHE_DIR)

    def _cache_update(self, options) -> None:
        cache = self._cache(options)
        now = timezone.now()
        if options.get("from_dir"):
            folder = options["from_dir"]
            registry = self._read_file(folder / "keys.json")
            lists = [self._read_file(p) for p in sorted((folder / "status").glob("*.json"))]
            if options["root_key"]:
                cache.pin_roots(self._pinned(options["root_key"], registry), now=now)
        else:
            body = selectors.registry_body()
            if body is None:
                raise CommandError("This node has no keys yet: nothing to cache.")
            registry = parse_json(body)
            roots = [
                {"id": k.key_id, "controller": k.controller, "publicKeyMultibase": k.multikey}
                for k in selectors.root_keys()
            ]
            cache.pin_roots(roots, now=now)
            lists = [parse_json(text) for text in selectors.published_status_lists()]
        read = cache.store_registry(registry, now=now)
        for document in lists:
            cache.store_status_list(document, now=now)
        self.stdout.write(
            f"Cached {len(read.keys)} issuer keys of {len(read.issuers)} issuers and "
            f"{len(lists)} status lists in {cache.folder} (as of {now:%Y-%m-%d %H:%M %Z})."
        )

    def _read_file(self, path: Path):
        try:
            return parse_json(path.read_bytes())
        except (OSError, ValueError) as error:
            raise CommandError(f"{path}: {error}")

    def _pinned(self, multikeys: list[str], registry) -> list[dict]:
        """The registry's root key entries whose public key the operator gave."""
        wanted = set()
        for text in multikeys:
            try:
                wanted.add(decode_public_key(text))
            except MultikeyError:
                raise CommandError(f"{text} is not an Ed25519 Multikey (z6Mk…).")
        found = [
            k for k in registry.get("rootKeys", [])
            if decode_public_key(k.get("publicKeyMultibase", "")) in wanted
        ]  # fmt: skip
        if not found:
            raise CommandError("None of the given root keys is listed in keys.json.")
        return found

    def _verify(self, options) -> None:
        cache = self._cache(options)
        finding = verify_offline(options["input"], cache)
        self.stdout.write(f"{messages.title(finding)} ({finding.answer.value})")
        self.stdout.write(messages.explanation(finding))
        if finding.genuine and finding.shown:
            for name, value in finding.shown.as_json().items():
                if value:
                    self.stdout.write(f"  {name}: {value}")
        if finding.genuine:
            if finding.status_checked and finding.status_as_of:
                self.stdout.write(f"Status as of {finding.status_as_of.isoformat()} (cache).")
            else:
                self.stdout.write(
                    "Status not checked: the QR names no status list; verify the .json file "
                    "or online."
                )
        keys_at = cache.keys_cached_at()
        if keys_at:
            self.stdout.write(f"Keys as of {keys_at.isoformat()} (cache).")
        if finding.answer is not Answer.VALID:
            raise CommandError(finding.answer.value, returncode=1)

    # --- PDF ----------------------------------------------------------------------------

    def _pdf(self, options) -> None:
        try:
            credential = selectors.credential_by_number(number=options["number"])
        except Credential.DoesNotExist:
            raise CommandError(f"No credential with number {options['number']}.")
        options["out"].write_bytes(credential_pdf(credential))
        self.stdout.write(str(options["out"]))
