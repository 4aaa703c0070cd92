"""OneRoster 1.2 CSV export from the command line.

    manage.py oneroster_export --institution CODE --year 2025 -o file.zip
    manage.py oneroster_export --year 2025 --user so.gddt -o province.zip

``--year`` is the year the school year starts (2025 → 2025-2026). Without
``--institution``, every institution the acting user may export. Without ``--user`` the
export is made by the node's operator (who can read the whole database from this shell
anyway) and the audit entry names no account; with ``--user`` it is limited to what that
account may export, as on the page.
"""

from __future__ import annotations

import shutil

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from truongso.accounts.access import Scope
from truongso.accounts.models import User
from truongso.imports import oneroster
from truongso.units.models import Institution
from truongso.units.selectors import institution_by_code


class Operator:
    """The operator at the server's shell: national scope, no account."""

    pk = None
    is_authenticated = True
    is_active = True
    is_superuser = True
    username = ""

    def __init__(self):
        self._truongso_scope = Scope(user_id=None, national=True)


class Command(BaseCommand):
    help = _("Xuất dữ liệu OneRoster 1.2 (CSV trong tệp .zip) của một trường và một năm học.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--institution", help=_("Mã định danh của trường."))
        parser.add_argument(
            "--year", type=int, required=True, help=_("Năm bắt đầu năm học, ví dụ 2025.")
        )
        parser.add_argument("-o", "--output", required=True, help=_("Tệp .zip sẽ ghi."))
        parser.add_argument("--user", help=_("Xuất với quyền của tài khoản này."))
        parser.add_argument(
            "--no-demographics",
            action="store_true",
            help=_("Không kèm giới tính và ngày sinh (demographics.csv)."),
        )

    def handle(self, *args, **options) -> None:
        actor = Operator()
        if options["user"]:
            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(_("Không có tài khoản %(u)s.") % {"u": options["user"]})
        try:
            year = oneroster.school_year_by_start(options["year"])
        except oneroster.SchoolYear.DoesNotExist:
            raise CommandError(
                _("Không có năm học %(a)s-%(b)s.")
                % {"a": options["year"], "b": options["year"] + 1}
            )
        institutions = None
        if options["institution"]:
            try:
                institution = institution_by_code(code=options["institution"])
            except Institution.DoesNotExist:
                raise CommandError(
                    _("Không có trường mã %(code)s.") % {"code": options["institution"]}
                ) from None
            institutions = [institution]
        try:
            export = oneroster.oneroster_export(
                actor=actor,
                school_year=year,
                institutions=institutions,
                demographics=not options["no_demographics"],
                reason="manage.py oneroster_export",
            )
        except PermissionDenied:
            raise CommandError(_("Tài khoản này không được xuất dữ liệu của trường đã chọn."))
        shutil.move(export.path, options["output"])
        rows = ", ".join(f"{name} {n}" for name, n in export.counts.items())
        self.stdout.write(f"{options['output']}: {rows}")
