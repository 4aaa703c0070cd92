"""``manage.py assessment recompute-all``: every term and year result of a school year,
for the institutions the user may recompute (principal: their school; office: the
schools it oversees). Runs here with progress lines, or as a background job."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from truongso.academics.models import SchoolYear
from truongso.assessment.services.recompute_all import results_recompute_all
from truongso.units.models import Institution


def add_recompute_arguments(parser) -> None:
    parser.add_argument("--year", required=True,
                        help=_("năm học: năm bắt đầu (2025) hoặc tên (2025-2026)"))  # fmt: skip
    parser.add_argument("--user", required=True, help=_("tài khoản chạy (hiệu trưởng, phòng/sở)"))
    parser.add_argument(
        "--institution", action="append", default=[], metavar="CODE",
        help=_("mã trường (lặp lại được); mặc định: mọi trường được phép"),
    )  # fmt: skip
    parser.add_argument("--force", action="store_true",
                        help=_("tính cả những học sinh có dữ liệu không đổi"))  # fmt: skip
    parser.add_argument("--workers", type=int, default=None,
                        help=_("số tiến trình tính (0: tính ngay trong lệnh)"))  # fmt: skip
    parser.add_argument("--reason", default="", help=_("lý do (ghi vào nhật ký)"))
    parser.add_argument("--background", action="store_true",
                        help=_("chạy như tác vụ nền (db_worker)"))  # fmt: skip


def _school_year(value: str) -> SchoolYear:
    name = value if "-" in value else f"{value}-{int(value) + 1}" if value.isdigit() else value
    try:
        return SchoolYear.objects.get(name=name)
    except SchoolYear.DoesNotExist:
        raise CommandError(_("Không có năm học %(name)s.") % {"name": name})


def recompute_all(command, options) -> None:
    try:
        user = get_user_model().objects.get(username=options["user"])
    except get_user_model().DoesNotExist:
        raise CommandError(_("Không có tài khoản %(name)s.") % {"name": options["user"]})
    year = _school_year(options["year"])
    ids = None
    if options["institution"]:
        found = dict(
            Institution.objects.filter(code__in=options["institution"]).values_list("code", "pk")
        )
        unknown = sorted(set(options["institution"]) - set(found))
        if unknown:
            raise CommandError(_("Không có trường mã %(codes)s.") % {"codes": ", ".join(unknown)})
        ids = sorted(found.values())
    if options["background"]:
        from truongso.assessment.recompute_tasks import results_recompute_all_task

        result = results_recompute_all_task.enqueue(
            user.pk, year.pk, ids, options["force"], options["reason"]
        )
        command.stdout.write(_("Đã đưa vào hàng đợi: %(id)s") % {"id": result.id})
        return

    def progress(done: int, total: int, summary) -> None:
        command.stdout.write(
            _("%(done)s/%(total)s lớp · %(learners)s học sinh đã tính · %(skipped)s không đổi")
            % {
                "done": done,
                "total": total,
                "learners": summary.learners,
                "skipped": summary.skipped,
            }  # fmt: skip
        )

    try:
        summary = results_recompute_all(
            actor=user, school_year=year, institution_ids=ids, force=options["force"],
            workers=options["workers"], progress=progress, reason=options["reason"],
        )  # fmt: skip
    except PermissionDenied:
        raise CommandError(
            _("Tài khoản %(name)s không được tính lại kết quả của các trường này.")
            % {"name": user.username}
        )
    command.stdout.write(
        _(
            "Xong trong %(seconds).1f s: %(learners)s học sinh, %(rows)s dòng kết quả "
            "(%(rule_sets)s)."
        )
        % {"seconds": summary.seconds, "learners": summary.learners,
           "rows": summary.subject_rows + summary.term_rows + summary.year_rows,
           "rule_sets": ", ".join(f"{k}: {v}" for k, v in sorted(summary.rule_sets.items()))}
    )  # fmt: skip
