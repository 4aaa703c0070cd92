#!/usr/bin/env bash
# `make bench`: run each benchmark in bench/ (or the ones named as arguments) against a
# throwaway PostgreSQL cluster (scripts/pg-test-cluster), migrated first. Each script
# gets DATABASE_URL and PG_TEST_CLUSTER_DIR in its environment; the cluster is removed
# afterwards, even on failure. BENCH_ARGS are passed to every script, e.g.
#   make bench BENCH=bench/import_learners.py BENCH_ARGS="--rows 100000"
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

if (($#)); then
    scripts=("$@")
else
    shopt -s nullglob
    scripts=(bench/*.py)
    shopt -u nullglob
fi
((${#scripts[@]})) || die "no benchmark found in bench/"
if ! "$PY" -c 'import duckdb' 2>/dev/null; then
    say "installing the benchmark dependencies (.[bench])"
    "$PY" -m pip install --quiet --editable "${REPO_ROOT}[bench]" || die "pip install -e '.[bench]' failed"
fi
has_postgresql || die "PostgreSQL is not installed: benchmarks need it (Debian: apt-get install postgresql)"

cluster_env="$(scripts/pg-test-cluster start)" || die "could not start the throwaway PostgreSQL cluster"
PG_TEST_CLUSTER_DIR="$(sed -n 's/^PG_TEST_CLUSTER_DIR=//p' <<<"$cluster_env")"
DATABASE_URL="$(sed -n 's/^DATABASE_URL=//p' <<<"$cluster_env")"
export PG_TEST_CLUSTER_DIR DATABASE_URL
trap 'scripts/pg-test-cluster stop "$PG_TEST_CLUSTER_DIR"' EXIT
export DJANGO_SETTINGS_MODULE=truongso.settings PYTHONPATH="$REPO_ROOT/src:$REPO_ROOT${PYTHONPATH:+:$PYTHONPATH}"

say "migrating the benchmark database"
"$PY" manage.py migrate --noinput --verbosity 0

failed=()
for script in "${scripts[@]}"; do
    say "$script"
    # shellcheck disable=SC2086  # BENCH_ARGS is a list of words
    "$PY" "$script" ${BENCH_ARGS:-} || failed+=("$script")
done
((${#failed[@]} == 0)) || die "failed: ${failed[*]}"
