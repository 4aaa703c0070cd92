"""Create, list or revoke API tokens from the command line.

    manage.py api_token create --user USERNAME --name NAME
    manage.py api_token list --user USERNAME
    manage.py api_token revoke --user USERNAME --prefix KEY_PREFIX
    manage.py api_token revoke --id TOKEN_ID

The token is printed once, on creation; only its hash is kept.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from truongso.accounts.models import ApiToken, User
from truongso.accounts.tokens import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Create, list or revoke API tokens (the token is printed once, on creation)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token for a user and print it once.")
        create.add_argument("--user", required=True, help="Username.")
        create.add_argument("--name", required=True, help="What the token is for.")
        listing = sub.add_parser("list", help="List a user's tokens (never the tokens).")
        listing.add_argument("--user", required=True, help="Username.")
        revoke = sub.add_parser("revoke", help="Revoke a token.")
        revoke.add_argument("--id", type=int, help="Id of the token.")
        revoke.add_argument("--user", help="Username (with --prefix).")
        revoke.add_argument("--prefix", help="The first characters of the token (key_prefix).")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "create":
            return self._create(options)
        if action == "list":
            return self._list(options)
        return self._revoke(options)

    def _user(self, username: str) -> User:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(_("Không có tài khoản “%(name)s”.") % {"name": username})

    def _create(self, options) -> None:
        user = self._user(options["user"])
        try:
            token, raw = api_token_create(actor=None, user=user, name=options["name"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages))
        self.stderr.write(
            _("Đã tạo mã #%(id)s “%(name)s” cho %(user)s. Mã chỉ hiện một lần này:")
            % {"id": token.pk, "name": token.name, "user": user.username}
        )
        self.stdout.write(raw)

    def _list(self, options) -> None:
        user = self._user(options["user"])
        for token in ApiToken.objects.filter(user=user).order_by("created_at", "pk"):
            state = (
                _("thu hồi %(at)s") % {"at": f"{token.revoked_at:%Y-%m-%d %H:%M}"}
                if token.revoked_at
                else _("đang dùng được")
            )
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "-"
            self.stdout.write(f"#{token.pk}\t{token.key_prefix}…\t{token.name}\t{state}\t{used}")

    def _revoke(self, options) -> None:
        tokens = ApiToken.objects.select_related("user")
        if options.get("id") is not None:
            tokens = tokens.filter(pk=options["id"])
        elif options.get("user") and options.get("prefix"):
            tokens = tokens.filter(
                user__username=options["user"],
                key_prefix=options["prefix"],
                revoked_at__isnull=True,
            )
        else:
            raise CommandError(_("Hãy cho --id, hoặc --user cùng --prefix."))
        found = list(tokens[:2])
        if not found:
            raise CommandError(_("Không tìm thấy mã truy cập."))
        if len(found) > 1:
            raise CommandError(_("Nhiều mã khớp; hãy cho --id."))
        token = api_token_revoke(actor=None, token=found[0])
        self.stdout.write(
            _("Đã thu hồi mã #%(id)s “%(name)s” của %(user)s.")
            % {"id": token.pk, "name": token.name, "user": token.user.username}
        )
