"""Issuing N diplomas (sign, register, log) next to raw Ed25519 signing of the same
canonical bytes plus COPY of the same rows, in the same run.

    python bench/credentials_issue.py [--diplomas 100000]

Needs PostgreSQL (``make bench BENCH=bench/credentials_issue.py``). It makes a province, an
upper-secondary school, its principal and its signing key, and N candidates, then:

- real path: ``credentials.services.credential_issue`` for all N in one call, as the
  background worker does for a large list: each row checked, its AchievementCredential
  built and signed (eddsa-jcs-2022), its QR signed (COSE), numbers and a random status
  index allocated, the rows, their audit entries and the log entries written, the
  checkpoint signed;
- anchor: for each issued diploma, one Ed25519 signature over its RFC 8785 canonical form
  and one over its QR payload (the signatures the real path makes), then COPY of the
  same register rows (read back beforehand, not timed) into a table with the register's
  columns and indexes (``LIKE credentials_credential INCLUDING ALL``, no foreign keys).

It prints wall-clock and CPU time of both and the ratio real / anchor (target: at most 3).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "truongso.settings")

import django  # noqa: E402

django.setup()

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from truongso.accounts.models import Role, RoleAssignment, User  # noqa: E402
from truongso.credentials.models import Credential, CredentialType  # noqa: E402
from truongso.credentials.rules.data_integrity import canonicalize  # noqa: E402
from truongso.credentials.services import (  # noqa: E402
    Candidate,
    Issuance,
    credential_issue,
    issuer_key_create,
)
from truongso.units.models import AdministrativeUnit, Institution, InstitutionKind  # noqa: E402

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Ngọc", "Thanh", "Hữu", "Thu")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Khoa", "Linh", "Mai", "Nam", "Phúc")
PLACES = ("Hà Nội", "Thái Nguyên", "Hải Phòng", "Nghệ An", "Thành phố Hồ Chí Minh")


def setup(count: int):
    tag = f"{os.getpid() % 100000:05d}"
    province = AdministrativeUnit.objects.create(
        code=f"9{tag[-1]}", name="Tỉnh Bench", search_name="tinh bench", level="province"
    )
    school = Institution.objects.create(
        code=f"92{tag}", name="Trường THPT Bench", search_name="truong thpt bench",
        kind=InstitutionKind.UPPER_SECONDARY, grade_from=10, grade_to=12, commune=province,
        province=province, managing_unit=province,
    )  # fmt: skip
    principal = User.objects.create_user(username=f"ht_issue_{tag}", password="x")  # noqa: S106
    RoleAssignment.objects.create(user=principal, role=Role.PRINCIPAL, institution=school)
    issuer_key_create(actor=principal, institution=school)
    rng = random.Random(2025)
    candidates = [
        Candidate(
            holder_name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
            date_of_birth=dt.date(2007, 1, 1) + dt.timedelta(days=rng.randrange(365)),
            sex=rng.choice("MF"),
            place_of_birth=rng.choice(PLACES),
        )
        for _ in range(count)
    ]
    issuance = Issuance(
        credential_type=CredentialType.objects.get(code="upper_secondary_diploma"),
        issue_date=dt.date(2025, 6, 30),
        graduation_year=2025,
        signer_name="Nguyễn Văn Hùng",
        signer_title="Hiệu trưởng",
    )
    return school, principal, issuance, candidates


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--diplomas", type=int, default=100_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/credentials_issue.py needs PostgreSQL (DATABASE_URL): the anchor is COPY")
    school, principal, issuance, candidates = setup(args.diplomas)
    tag = os.getpid()  # several runs may share one database

    def real():
        return credential_issue(
            actor=principal, institution=school, issuance=issuance, candidates=candidates
        )

    created, real_wall, real_cpu = timed(real)
    assert len(created) == args.diplomas

    # The anchor's input, prepared untimed: the canonical bytes each diploma's signatures
    # cover, and the register rows as COPY text.
    documents = [json.loads(c.document) for c in created]
    canonical = [canonicalize({k: v for k, v in d.items() if k != "proof"}) for d in documents]
    qr_payloads = [c.qr_text.encode("ascii") for c in created]
    del documents
    buffer = io.BytesIO()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS bench_credential_copy_{tag}")
        cursor.execute(
            f"CREATE TABLE bench_credential_copy_{tag} (LIKE credentials_credential INCLUDING ALL)"
        )
        query = f"COPY (SELECT * FROM credentials_credential WHERE institution_id = {school.pk}) TO STDOUT"  # noqa: E501, S608
        with cursor.cursor.copy(query) as copy:
            for block in copy:
                buffer.write(block)
    rows = buffer.getvalue()
    key = Ed25519PrivateKey.generate()

    def anchor():
        for data in canonical:
            key.sign(data)
        for data in qr_payloads:
            key.sign(data)
        statement = f"COPY bench_credential_copy_{tag} FROM STDIN"
        with (
            transaction.atomic(),
            connection.cursor() as cursor,
            cursor.cursor.copy(statement) as copy,
        ):
            for start in range(0, len(rows), 1 << 20):
                copy.write(rows[start : start + (1 << 20)])

    _none, anchor_wall, anchor_cpu = timed(anchor)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM bench_credential_copy_{tag}")
        copied = cursor.fetchone()[0]
        cursor.execute(f"DROP TABLE bench_credential_copy_{tag}")
    assert copied == args.diplomas == Credential.objects.filter(institution=school).count()

    print(f"{platform.python_implementation()} {platform.python_version()}, "
          f"{connection.vendor} {connection.pg_version}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; "
          f"{args.diplomas:,} diplomas, {len(rows) / args.diplomas:,.0f} bytes a row")  # fmt: skip
    n = args.diplomas
    print(f"anchor: Ed25519 ×2 + COPY      {anchor_wall:8.2f} s wall {anchor_cpu:8.2f} s CPU "
          f"({n / anchor_wall:,.0f} diplomas/s)")  # fmt: skip
    print(f"real: credential_issue         {real_wall:8.2f} s wall {real_cpu:8.2f} s CPU "
          f"({n / real_wall:,.0f} diplomas/s)")  # fmt: skip
    print(f"ratio real / anchor            {real_wall / anchor_wall:8.2f}× wall "
          f"{real_cpu / anchor_cpu:8.2f}× CPU (target ≤ 3×)")  # fmt: skip


if __name__ == "__main__":
    main()
