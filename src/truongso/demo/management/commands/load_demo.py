"""``manage.py load_demo``: the demonstration province, its schools and demo accounts."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from truongso.demo.builder import (
    DEMO_PASSWORD,
    DemoError,
    DemoOptions,
    demo_build,
    demo_exists,
    demo_reset,
)
from truongso.units.loader import units_load
from truongso.units.models import AdministrativeUnit


class Command(BaseCommand):
    help = _(
        "Tạo dữ liệu mẫu: một tỉnh với khoảng 20 cơ sở giáo dục, 8.000 học sinh và tài khoản "
        "cho mỗi vai trò. Nếu dữ liệu mẫu đã có thì không làm gì (trừ khi dùng --reset)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true",
            help=_("Xóa dữ liệu mẫu đã có (kể cả nhật ký về nó) rồi tạo lại."),
        )  # fmt: skip
        parser.add_argument("--seed", type=int, default=DemoOptions.seed)
        parser.add_argument(
            "--schools", type=int, default=DemoOptions.schools,
            help=_("Số cơ sở giáo dục (tối đa 20; trường đầu tiên là trường THCS của các tài "
                   "khoản mẫu)."),
        )  # fmt: skip
        parser.add_argument(
            "--classes-per-grade", type=int, default=None,
            help=_("Số lớp mỗi khối ở mọi trường (mặc định theo từng trường)."),
        )  # fmt: skip
        parser.add_argument(
            "--class-size", type=int, default=None,
            help=_("Số học sinh mỗi lớp (mặc định 35–45, mầm non 25–32)."),
        )  # fmt: skip
        parser.add_argument(
            "--province", default=DemoOptions.province_code,
            help=_("Mã tỉnh (danh mục hiện hành), mặc định 19 (Thái Nguyên)."),
        )  # fmt: skip

    def handle(self, *args, **options):
        size = options["class_size"]
        if not 1 <= options["schools"] <= DemoOptions.schools:
            raise CommandError(
                _("Số cơ sở giáo dục phải từ 1 đến %(n)d.") % {"n": DemoOptions.schools}
            )
        demo = DemoOptions(
            province_code=options["province"],
            seed=options["seed"],
            schools=options["schools"],
            classes_per_grade=options["classes_per_grade"],
            class_size=(size, size) if size else DemoOptions.class_size,
            preschool_class_size=(size, size) if size else DemoOptions.preschool_class_size,
        )
        with transaction.atomic():  # a failed rebuild keeps the old demo
            if options["reset"]:
                demo_reset(demo)
                self.stdout.write(_("Đã xóa dữ liệu mẫu cũ (nếu có)."))
            elif demo_exists(demo):
                self.stdout.write(
                    _("Dữ liệu mẫu đã có, không thay đổi gì (dùng --reset để tạo lại).")
                )
                return
            if not AdministrativeUnit.objects.filter(level="province").exists():
                self.stdout.write(_("Chưa có danh mục đơn vị hành chính: đang nạp…"))
                units_load()
            started = time.perf_counter()
            try:
                result = demo_build(demo)
            except DemoError as error:
                raise CommandError(str(error))
        counts = result.counts
        self.stdout.write(
            _(
                "Đã tạo %(institutions)d cơ sở giáo dục, %(classes)d lớp, %(staff)d cán bộ, "
                "giáo viên, %(learners)d học sinh, %(guardians)d phụ huynh, %(events)d biến động "
                "(%(seconds).1f giây)."
            )
            % {**counts, "seconds": time.perf_counter() - started}
        )
        for label, count in result.extra.items():
            self.stdout.write(f"  {label}: {count:,}".replace(",", "."))
        rows = [(_("Tài khoản"), _("Mật khẩu"), _("Vai trò"), _("Đơn vị"))]
        rows += [(x.username, DEMO_PASSWORD, x.role, x.where) for x in result.logins]
        widths = [max(len(str(row[i])) for row in rows) for i in range(3)]
        self.stdout.write("")
        for n, row in enumerate(rows):
            cells = [str(cell).ljust(widths[i]) for i, cell in enumerate(row[:3])]
            self.stdout.write("  ".join([*cells, str(row[3])]))
            if n == 0:
                self.stdout.write("  ".join(["-" * w for w in widths] + ["-" * 20]))
