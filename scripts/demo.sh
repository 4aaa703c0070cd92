#!/usr/bin/env bash
# `make demo`: a working Trường Số on this machine, on SQLite (var/truongso.sqlite3),
# with demonstration data, the background-task worker and a web server at
# http://127.0.0.1:8000 with DEBUG off. Ctrl-C stops the server and the worker.
#
# Re-running is safe: migrations, the unit list and the demonstration data are loaded
# idempotently into the existing database.
# DEMO_HOST and DEMO_PORT change where it listens (default 127.0.0.1:8000).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

HOST="${DEMO_HOST:-127.0.0.1}"
PORT="${DEMO_PORT:-8000}"

# The demo always runs on the SQLite file in var/, whatever the shell has exported.
unset DATABASE_URL
export DEBUG=false
export DJANGO_SETTINGS_MODULE=truongso.settings

ensure_venv
fetch_assets

manage() { "$PY" manage.py "$@"; }

"$PY" - "$HOST" "$PORT" <<'PY' || die "$HOST:$PORT is already in use: stop what listens there, or run DEMO_PORT=8001 make demo"
import socket
import sys

with socket.socket() as s:
    s.bind((sys.argv[1], int(sys.argv[2])))
PY

say "migrating the database (var/truongso.sqlite3)"
manage migrate --noinput || die "manage.py migrate failed (see above)"
say "loading administrative units"
manage load_units || die "manage.py load_units failed (see above)"
say "loading demonstration data"
manage load_demo || die "manage.py load_demo failed (see above)"
say "collecting static files"
manage collectstatic --noinput --verbosity 0 || die "manage.py collectstatic failed (see above)"

worker_pid=""
server_pid=""
# shellcheck disable=SC2317  # called from the EXIT trap
stop_all() {
    trap - EXIT INT TERM HUP
    local pid
    for pid in $server_pid $worker_pid; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in $server_pid $worker_pid; do
        wait "$pid" 2>/dev/null || true
    done
}
trap 'stop_all' EXIT
interrupted=0
trap 'interrupted=1' INT TERM HUP

say "starting the background-task worker (manage.py db_worker)"
"$PY" manage.py db_worker --queue-name '*' --verbosity 1 &
worker_pid=$!

say "starting the web server (waitress) on http://$HOST:$PORT"
"$VENV/bin/waitress-serve" --listen="$HOST:$PORT" --threads=8 --ident=truongso \
    truongso.wsgi:application &
server_pid=$!

cat <<BANNER

  Trường Số demo: http://$HOST:$PORT
  Password for every account: TruongSo@2025

    login       role
    ---------   -------------------------------------------
    admin       superuser
    bo.gddt     ministry officer (Bộ GD&ĐT)
    so.gddt     province officer (Sở GD&ĐT)
    hieutruong  principal (hiệu trưởng)
    giaovu      school staff, academic affairs (giáo vụ)
    giaovien    teacher, homeroom (giáo viên chủ nhiệm)
    phuhuynh    guardian (phụ huynh)

  Ctrl-C stops the server and the worker.

BANNER

# Whichever stops first (the server, or the worker), stop the other and say so.
status=0
wait -n "$server_pid" "$worker_pid" || status=$?
# A pending trap has run by now: Ctrl-C (or a TERM) is the normal way to stop.
if ((interrupted)); then
    say "stopping the web server and the worker"
    exit 0
fi
if ! kill -0 "$server_pid" 2>/dev/null; then
    die "the web server stopped (exit code $status); stopping the worker"
fi
die "the background-task worker stopped (exit code $status); stopping the web server"
