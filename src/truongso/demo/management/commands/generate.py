"""``manage.py generate --learners N``: large data for benchmarks."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from truongso.demo.builder import DemoError
from truongso.demo.generator import GenerateOptions, generate


class Command(BaseCommand):
    help = _(
        "Sinh dữ liệu lớn để đo hiệu năng: cơ sở giáo dục khoảng 1.000 học sinh, lớp khoảng "
        "40 học sinh, mỗi học sinh có sự kiện nhập học. Dùng COPY trên PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, required=True, help=_("Số học sinh."))
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--province", default="19", help=_("Mã tỉnh (danh mục hiện hành), mặc định 19.")
        )
        parser.add_argument(
            "--all-provinces", action="store_true",
            help=_("Rải các trường ra cả 34 tỉnh thay vì một tỉnh."),
        )  # fmt: skip

    def handle(self, *args, **options):
        settings = GenerateOptions(
            learners=options["learners"],
            seed=options["seed"],
            province_code=options["province"],
            all_provinces=options["all_provinces"],
        )
        try:
            report = generate(settings, progress=self.stdout.write)
        except DemoError as error:
            raise CommandError(str(error))
        self.stdout.write(
            _(
                "Xong: %(institutions)d cơ sở giáo dục, %(classes)d lớp, %(learners)d học sinh, "
                "%(events)d sự kiện trong %(seconds).1f giây."
            )
            % {
                "institutions": report.institutions,
                "classes": report.classes,
                "learners": report.learners,
                "events": report.events,
                "seconds": report.seconds,
            }
        )
