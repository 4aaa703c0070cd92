"""Report-card PDFs per second for a class of 45, next to raw Typst rendering the same
content in the same run.

    python bench/report_card_pdf.py [--learners 45] [--rounds 3]

Uses ``DATABASE_URL`` when set (``make bench BENCH=bench/report_card_pdf.py``);
otherwise a fresh SQLite file in a temporary folder, migrated first. It builds a
grade-6 class of N learners with every subject filled for both terms (as
bench/gradebook_recompute.py), computes the results and generates the report cards,
then, for each round:

- real path: for every learner, as the PDF page does for a request: the principal's
  user loaded afresh (so the scope is worked out again, as for each request), the card
  read through the scoped selector (``report_card_for_copy``), the copy logged
  (``report_card_copy_issue``, which does not read again a card read under the same
  scope) and its current version's PDF rendered (``reportcards.pdf.report_card_pdf``:
  content → printed form → Typst);
- anchor: ``typst.Compiler.compile`` of the same template with the same printed data,
  prepared beforehand (fonts loaded once, no database).

It prints PDFs per second of each (best round of wall-clock time), the CPU time of
this process per PDF (best round; PostgreSQL's server is not counted), both ratios
real / anchor (target: at least 0.7) and the load average.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "truongso.settings")
_TMP = None
if "DATABASE_URL" not in os.environ:
    _TMP = tempfile.TemporaryDirectory(prefix="truongso-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{_TMP.name}/bench.sqlite3"

import django  # noqa: E402

django.setup()

import json  # noqa: E402

import typst  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from gradebook_recompute import build  # noqa: E402

from truongso.accounts.models import Role, RoleAssignment, User  # noqa: E402
from truongso.core.typst import font_folder  # noqa: E402
from truongso.reportcards.models import ReportCard  # noqa: E402
from truongso.reportcards.pdf import TEMPLATE, report_card_pdf  # noqa: E402
from truongso.reportcards.rules.content import printed  # noqa: E402
from truongso.reportcards.selectors import report_card_for_copy  # noqa: E402
from truongso.reportcards.services import (  # noqa: E402
    report_card_copy_issue,
    report_cards_generate,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=45)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if _TMP is not None:
        call_command("migrate", verbosity=0)
    school_class, _maths, _teacher, people, _context = build(args.learners)
    principal = User.objects.create_user(username=f"ht_bench_{os.getpid()}", password="x")  # noqa: S106
    RoleAssignment.objects.create(user=principal, role=Role.PRINCIPAL,
                                  institution=school_class.institution)  # fmt: skip
    report_cards_generate(actor=principal, school_class=school_class)
    ids = list(ReportCard.objects.filter(school_class=school_class).values_list("pk", flat=True))
    versions = [ReportCard.objects.get(pk=pk).current_version for pk in ids]
    prepared = [
        (
            json.dumps(printed(v.content, v.sha256), ensure_ascii=False),
            int(v.created_at.timestamp()),
        )
        for v in versions
    ]
    anchor_compiler = typst.Compiler(
        str(TEMPLATE), root=str(TEMPLATE.parent), font_paths=[font_folder()],
        ignore_system_fonts=True,
    )  # fmt: skip

    def real() -> int:
        size = 0
        for pk in ids:
            actor = User.objects.get(pk=principal.pk)  # a request loads its user afresh
            card = report_card_for_copy(actor=actor, pk=pk)
            report_card_copy_issue(actor=actor, report_card=card, version=card.current_version)
            size += len(report_card_pdf(card.current_version))
        return size

    def anchor() -> int:
        size = 0
        for data, stamp in prepared:
            size += len(anchor_compiler.compile(sys_inputs={"data": data}, timestamp=stamp))
        return size

    real()  # warm-up: template parsed, fonts loaded
    anchor()
    best = {"real": 0.0, "anchor": 0.0}
    cpu = {"real": float("inf"), "anchor": float("inf")}
    load_before = os.getloadavg()[0]
    for _round in range(args.rounds):
        for name, fn in (("anchor", anchor), ("real", real)):
            start, start_cpu = time.perf_counter(), time.process_time()
            fn()
            cpu[name] = min(cpu[name], (time.process_time() - start_cpu) * 1000 / len(ids))
            best[name] = max(best[name], len(ids) / (time.perf_counter() - start))
    print(f"{platform.python_implementation()} {platform.python_version()}, "
          f"{connection.vendor}, {platform.machine()}, {os.cpu_count()} CPUs, load average "
          f"{load_before:.1f} → {os.getloadavg()[0]:.1f}; class of {len(people)} learners, "
          f"typst {typst.__version__}")  # fmt: skip
    print(f"anchor: raw Typst, same content        {best['anchor']:7.1f} PDFs/s  "
          f"{cpu['anchor']:6.2f} ms CPU/PDF")  # fmt: skip
    print(f"real: selector + copy logged + PDF     {best['real']:7.1f} PDFs/s  "
          f"{cpu['real']:6.2f} ms CPU/PDF")  # fmt: skip
    print(f"ratio real / anchor                    {best['real'] / best['anchor']:7.2f}  "
          f"(target ≥ 0.7); CPU: {cpu['anchor'] / cpu['real']:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
