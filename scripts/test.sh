#!/usr/bin/env bash
# `make test`: lint, migration check, the test suite on SQLite (browser tests included),
# then again on a throwaway PostgreSQL cluster where PostgreSQL is installed.
#
# On a developer's machine, what cannot run is said plainly and skipped. With CI=true
# nothing may be skipped: missing system packages are installed with apt-get,
# TRUONGSO_REQUIRE_ALL=1 is exported so that tests needing a tool fail instead of
# skipping, and the run fails if a test was skipped in every pass that collected it
# (a test for one database only runs in the other pass, which is fine).
#
# Extra pytest arguments: PYTEST_ARGS="-k learners" make test
# Parallel workers (pytest-xdist): PYTEST_WORKERS=auto|N|0 (0 = no xdist).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

if is_ci; then
    export TRUONGSO_REQUIRE_ALL=1
    missing=()
    has_postgresql || missing+=(postgresql)
    has_chromium || missing+=(chromium)
    if has_fetch_assets && ! has_npm; then missing+=(npm); fi
    apt_install "${missing[@]}"
fi

ensure_venv
fetch_assets

say "ruff check"
"$VENV/bin/ruff" check . || die "ruff check found problems (above); make format fixes some of them"
say "ruff format --check"
"$VENV/bin/ruff" format --check . || die "files are not formatted (above): make format"
say "migrations are up to date"
env -u DATABASE_URL "$PY" manage.py makemigrations --check --dry-run \
    || die "a model change has no migration (above): manage.py makemigrations <app_label>"

notices=()
if ! has_chromium; then
    notices+=("Chromium not installed (/usr/bin/chromium): browser tests skipped (Debian: apt-get install chromium)")
fi
if has_postgresql; then
    run_postgresql=1
else
    run_postgresql=0
    notices+=("PostgreSQL not installed: skipped the PostgreSQL pass (Debian: apt-get install postgresql)")
fi
if is_ci && ((${#notices[@]})); then
    die "CI=true and still: ${notices[*]}"
fi

results="$REPO_ROOT/var/test-results"
mkdir -p "$results"

workers=()
case "${PYTEST_WORKERS:-2}" in
    0 | "") ;;
    *) workers=(-n "${PYTEST_WORKERS:-2}") ;;
esac
read -r -a extra <<<"${PYTEST_ARGS:-}"

# Runs pytest; fails on test failures and on "no tests collected" (exit code 5).
run_pytest() {
    local name="$1" junit="$results/${1,,}.xml" status=0
    shift
    rm -f "$junit"
    "$VENV/bin/pytest" "${workers[@]}" -rfEs --junitxml="$junit" -o junit_family=xunit2 \
        "$@" "${extra[@]}" || status=$?
    case "$status" in
        0) ;;
        5) die "$name pass: pytest collected no tests (exit code 5)" ;;
        *) die "$name pass: pytest failed (exit code $status)" ;;
    esac
}

# CI=true: fails when a test was skipped in every pass that collected it. A test made
# for one database (skipped on the other) passes in the other pass and is fine; a test
# skipped for want of a tool (Chromium, say) is not.
check_nothing_skipped() {
    "$PY" - "$@" <<'PY'
import sys
import xml.etree.ElementTree as ET

outcomes = {}  # test id -> outcomes across the passes
reasons = {}
for path in sys.argv[1:]:
    for case in ET.parse(path).getroot().iter("testcase"):
        test = f"{case.get('classname')}::{case.get('name')}"
        skipped = case.find("skipped")
        outcomes.setdefault(test, set()).add("skipped" if skipped is not None else "ran")
        if skipped is not None:
            reasons[test] = skipped.get("message", "")
never_ran = sorted(test for test, seen in outcomes.items() if seen == {"skipped"})
for test in never_ran:
    print(f"==> skipped in every pass: {test}: {reasons[test]}", file=sys.stderr)
sys.exit(1 if never_ran else 0)
PY
}

for notice in "${notices[@]}"; do note "$notice"; done

say "tests on SQLite (browser tests included)"
started=$SECONDS
(
    unset DATABASE_URL
    run_pytest SQLite
)

if ((run_postgresql)); then
    say "SQLite pass: $((SECONDS - started)) s wall time"
    say "tests on PostgreSQL (throwaway cluster; browser tests run in the SQLite pass only)"
    cluster_env="$("$REPO_ROOT/scripts/pg-test-cluster" start)" \
        || die "could not start the throwaway PostgreSQL cluster (see above)"
    PG_TEST_CLUSTER_DIR="$(sed -n 's/^PG_TEST_CLUSTER_DIR=//p' <<<"$cluster_env")"
    DATABASE_URL="$(sed -n 's/^DATABASE_URL=//p' <<<"$cluster_env")"
    trap '"$REPO_ROOT/scripts/pg-test-cluster" stop "$PG_TEST_CLUSTER_DIR" >/dev/null' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    export DATABASE_URL
    run_pytest PostgreSQL -m "not browser" --ignore=tests/browser
fi

if is_ci; then
    junits=("$results/sqlite.xml")
    ((run_postgresql)) && junits+=("$results/postgresql.xml")
    check_nothing_skipped "${junits[@]}" \
        || die "CI=true allows no skipped test, and the tests above ran in no pass"
fi
