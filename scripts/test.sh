#!/usr/bin/env bash
# `make test`: lint, migration check, the test suite on SQLite (browser tests included),
# then again on a throwaway PostgreSQL cluster where PostgreSQL is installed.
#
# On a developer's machine, what cannot run is said plainly and skipped. With CI=true
# nothing may be skipped: missing system packages are installed with apt-get, and
# TRUONGSO_REQUIRE_ALL=1 is exported so that tests fail instead of skipping; a pass that
# still reports a skipped test fails.
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

# Runs pytest; fails on test failures, on "no tests collected" and, under CI, on skips.
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
    if is_ci; then
        local skipped
        skipped="$("$PY" - "$junit" <<'PY'
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
print(sum(len(case.findall("skipped")) for case in root.iter("testcase")))
PY
)"
        [[ "$skipped" == 0 ]] || die "$name pass: $skipped test(s) skipped, and CI=true allows none (see the reasons above)"
    fi
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
