"""``manage.py load_units``: load the administrative unit trees and their successions."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from truongso.units.loader import units_load


class Command(BaseCommand):
    help = _(
        "Nạp cây đơn vị hành chính hiện hành (34 tỉnh, 3.321 xã), cây trước 1/7/2025 "
        "(63 tỉnh, 696 huyện, 10.035 xã) và quan hệ sáp nhập. Chạy lại không thay đổi gì."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        report = units_load()
        elapsed = time.perf_counter() - started
        if not report.changed:
            self.stdout.write(_("Danh mục đơn vị hành chính đã đầy đủ, không có gì thay đổi."))
            return
        created = report.units_created
        self.stdout.write(
            _(
                "Đã thêm %(country)d quốc gia, %(province)d tỉnh, %(district)d huyện, "
                "%(commune)d xã; cập nhật %(updated)d đơn vị; %(succ)d quan hệ sáp nhập mới, "
                "%(succ_updated)d cập nhật (%(seconds).1f giây)."
            )
            % {
                "country": created["country"],
                "province": created["province"],
                "district": created["district"],
                "commune": created["commune"],
                "updated": report.units_updated,
                "succ": report.successions_created,
                "succ_updated": report.successions_updated,
                "seconds": elapsed,
            }
        )
