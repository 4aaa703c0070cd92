"""The public verification API under load: requests per second and latency of
``POST /api/v1/credentials/verify`` (a valid diploma's JSON) next to the trivial endpoint
``/healthz`` (one ``SELECT 1``) of the same server, in the same run.

    python bench/verify_load.py [--connections 64] [--seconds 20] [--threads 8]

Uses ``DATABASE_URL`` when set (``make bench BENCH=bench/verify_load.py``); otherwise a
fresh SQLite file in a temporary folder, migrated first. It makes a school, its key and
one diploma, then serves the project with waitress (as ``make demo`` does: 8 threads) on
a free loopback port and drives it from a second process: an asyncio client holding 64
keep-alive connections, each sending its next request when the previous answer is in.
Each endpoint gets a warm-up of two seconds, then ``--seconds`` measured. The rate limit
of the public endpoint is raised for the server (``CREDENTIALS_RATE_LIMIT``) so that
every request is verified (all from one address); every answer is checked (200 and
``"answer": "valid"``).

It prints requests/s, p50 and p99 of both and the ratio (target: verification at least
0.4× the trivial endpoint, p99 at most 50 ms).

``--profile N`` instead measures in this process, without a server: N verifications and N
health checks through Django's test client (the same middleware and view), the CPU time
per request of each (``time.process_time``), the queries of one verification, then a
cProfile of the N verifications sorted by cumulative time.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import platform
import pstats
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# -- the client (a separate process) ---------------------------------------------------


async def _worker(host, port, request, expect, deadline, start_at, latencies, errors):
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while True:
            sent = time.perf_counter()
            if sent >= deadline:
                return
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            body = await reader.readexactly(length)
            done = time.perf_counter()
            if not head.startswith(b"HTTP/1.1 200") or expect not in body:
                errors.append(head.split(b"\r\n", 1)[0].decode() + " " + body[:200].decode())
            if sent >= start_at:
                latencies.append(done - sent)
    finally:
        writer.close()


async def _drive(host, port, request, expect, connections, warmup, seconds):
    latencies: list[float] = []
    errors: list[str] = []
    start_at = time.perf_counter() + warmup
    deadline = start_at + seconds
    await asyncio.gather(*[
        _worker(host, port, request, expect, deadline, start_at, latencies, errors)
        for _ in range(connections)
    ])  # fmt: skip
    return latencies, errors


def client_main(argv: list[str]) -> None:
    host, port, path, body_file, expect, connections, warmup, seconds = argv
    body = Path(body_file).read_bytes() if body_file != "-" else b""
    method = "POST" if body else "GET"
    request = (
        f"{method} {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: keep-alive\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    latencies, errors = asyncio.run(
        _drive(host, int(port), request, expect.encode(), int(connections), float(warmup),
               float(seconds))
    )  # fmt: skip
    print(json.dumps({"latencies": latencies, "errors": errors[:5], "failed": len(errors)}))


# -- the benchmark ---------------------------------------------------------------------


def _setup():
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "truongso.settings")
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command

    from truongso.accounts.models import Role, RoleAssignment, User
    from truongso.credentials.models import CredentialType
    from truongso.credentials.services import (
        Candidate,
        Issuance,
        credential_issue,
        issuer_key_create,
    )
    from truongso.units.models import AdministrativeUnit, Institution, InstitutionKind

    if os.environ.get("BENCH_MIGRATE"):
        call_command("migrate", verbosity=0)
    tag = f"{os.getpid() % 100000:05d}"
    province = AdministrativeUnit.objects.create(
        code=f"8{tag[-1]}", name="Tỉnh Bench", search_name="tinh bench", level="province"
    )
    school = Institution.objects.create(
        code=f"93{tag}", name="Trường THPT Bench", search_name="truong thpt bench",
        kind=InstitutionKind.UPPER_SECONDARY, grade_from=10, grade_to=12, commune=province,
        province=province, managing_unit=province,
    )  # fmt: skip
    principal = User.objects.create_user(username=f"ht_verify_{tag}", password="x")  # noqa: S106
    RoleAssignment.objects.create(user=principal, role=Role.PRINCIPAL, institution=school)
    issuer_key_create(actor=principal, institution=school)
    [diploma] = credential_issue(
        actor=principal, institution=school,
        issuance=Issuance(
            credential_type=CredentialType.objects.get(code="upper_secondary_diploma"),
            issue_date=dt.date(2025, 6, 30), graduation_year=2025,
            signer_name="Nguyễn Văn Hùng", signer_title="Hiệu trưởng",
        ),
        candidates=[Candidate("Nguyễn Văn An", dt.date(2007, 5, 2), sex="M",
                              place_of_birth="Hà Nội")],
    )  # fmt: skip
    return diploma


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(port: int, server) -> None:
    """Until /healthz answers (the application is loaded)."""
    import urllib.request

    for _ in range(600):
        if server.poll() is not None:
            sys.exit("the server stopped")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30):  # noqa: S310
                return
        except OSError:
            time.sleep(0.1)
    sys.exit("the server did not start")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _cpu_per_request(send, count: int) -> float:
    """CPU milliseconds per request of ``count`` calls of ``send``."""
    start = time.process_time()
    for _ in range(count):
        send()
    return (time.process_time() - start) * 1000 / count


def profile(diploma, count: int) -> None:
    """In this process: CPU time per verification and per health check, then a cProfile."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    settings.CREDENTIALS_RATE_LIMIT = 10**9
    client = Client()
    body = json.dumps({"credential": json.loads(diploma.document)}, ensure_ascii=False)

    def verify():
        response = client.post("/api/v1/credentials/verify", body, "application/json")
        if response.status_code != 200 or response.json()["answer"] != "valid":
            sys.exit(f"verify: {response.status_code} {response.content[:200]!r}")

    def healthz():
        if client.get("/healthz").status_code != 200:
            sys.exit("healthz failed")

    for _ in range(20):  # warm-up: imports, translations, connections
        verify()
        healthz()
    queries: list[str] = []

    def record(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        verify()
    verify_ms = _cpu_per_request(verify, count)
    healthz_ms = _cpu_per_request(healthz, count)
    print(f"{connection.vendor}, load average {os.getloadavg()[0]:.1f}; {count} requests each, "
          f"in-process (Django test client)")  # fmt: skip
    print(f"CPU per request: verify {verify_ms:.2f} ms, /healthz {healthz_ms:.2f} ms")
    print(f"queries of one verification: {len(queries)}")
    for query in queries:
        print(f"  {query[:200]}")
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(count):
        verify()
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--profile", type=int, metavar="N", default=0,
        help="CPU time and cProfile of N in-process requests; no server",
    )  # fmt: skip
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory(prefix="truongso-bench-")
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder.name}/bench.sqlite3"
        os.environ["BENCH_MIGRATE"] = "1"
    diploma = _setup()
    if args.profile:
        profile(diploma, args.profile)
        return
    from django.db import connection

    vendor = connection.vendor
    connection.close()
    body = Path(folder.name) / "body.json"
    body.write_text(json.dumps({"credential": json.loads(diploma.document)}, ensure_ascii=False))
    port = _free_port()
    env = dict(os.environ, DEBUG="false", CREDENTIALS_RATE_LIMIT=str(10**9),
               PYTHONPATH=str(ROOT / "src"))  # fmt: skip
    server = subprocess.Popen(  # noqa: S603
        [str(ROOT / ".venv" / "bin" / "waitress-serve"), f"--listen=127.0.0.1:{port}",
         f"--threads={args.threads}", "--ident=truongso", "--backlog=1024",
         "truongso.wsgi:application"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    results = {}
    try:
        _wait_until_up(port, server)
        for name, path, payload, expect in (
            ("trivial /healthz", "/healthz", "-", '"ok"'),
            ("verify (diploma JSON)", "/api/v1/credentials/verify", str(body), '"valid"'),
        ):
            out = subprocess.run(  # noqa: S603
                [sys.executable, __file__, "--client", "127.0.0.1", str(port), path, payload,
                 expect, str(args.connections), "2", str(args.seconds)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            data = json.loads(out.stdout)
            if not data["latencies"]:
                sys.exit(f"{name}: no answer in time")
            if data["failed"]:
                sys.exit(f"{name}: {data['failed']} bad answers, e.g. {data['errors']}")
            results[name] = data["latencies"]
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"{platform.python_implementation()} {platform.python_version()}, {vendor}, "
          f"{platform.machine()}, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f}; waitress {args.threads} threads, {args.connections} "
          f"connections from a second process, {args.seconds:g} s each")  # fmt: skip
    rates = {}
    for name, latencies in results.items():
        rates[name] = len(latencies) / args.seconds
        p50, p99 = (_percentile(latencies, q) * 1000 for q in (0.5, 0.99))
        print(f"{name:24} {rates[name]:8.1f} req/s  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms")
    trivial, verify = rates.values()
    print(f"ratio verify / trivial   {verify / trivial:8.2f}  (target ≥ 0.4; p99 ≤ 50 ms)")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--client":
        client_main(sys.argv[2:])
    else:
        main()
