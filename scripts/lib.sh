# Shared helpers for the scripts behind the Makefile. Sourced, not run.
# shellcheck shell=bash

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO_ROOT/.venv"
PY="$VENV/bin/python"
export PIP_DISABLE_PIP_VERSION_CHECK=1

say() { printf '==> %s\n' "$*"; }
note() { printf '==> NOTE: %s\n' "$*"; }
die() {
    printf '==> ERROR: %s\n' "$*" >&2
    exit 1
}

# True when running under CI (CI=true), where nothing may be skipped.
is_ci() {
    case "${CI:-}" in
        true | TRUE | True | 1 | yes) return 0 ;;
        *) return 1 ;;
    esac
}

has_postgresql() { "$REPO_ROOT/scripts/pg-test-cluster" available; }
has_chromium() { [[ -x /usr/bin/chromium ]]; }
has_npm() { command -v npm >/dev/null 2>&1; }
has_fetch_assets() { [[ -f "$REPO_ROOT/scripts/fetch-assets" ]]; }

# Installs Debian packages that are missing (CI only: there we are root on Debian).
apt_install() {
    (($# > 0)) || return 0
    [[ "$(id -u)" -eq 0 ]] || die "CI=true needs $* installed, and only root can install them (apt-get install -y $*)"
    command -v apt-get >/dev/null 2>&1 || die "CI=true needs $* installed, and apt-get is not available"
    say "installing missing system packages: $*"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || die "apt-get update failed"
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
        || die "apt-get install -y $* failed"
}

# Creates .venv when missing and installs the project with its dev dependencies when
# pyproject.toml changed since the last install.
ensure_venv() {
    if [[ ! -x "$PY" ]]; then
        local candidate python=""
        for candidate in ${PYTHON:-} python3 python3.13 python3.12 python3.11; do
            if command -v "$candidate" >/dev/null 2>&1 \
                && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
                python="$candidate"
                break
            fi
        done
        [[ -n "$python" ]] || die "Python 3.11 or newer is needed (found: $(python3 --version 2>&1 || echo 'no python3')). Install it (Debian 12: apt-get install python3 python3-venv) or set PYTHON=/path/to/python3.11"
        say "creating .venv with $("$python" --version 2>&1)"
        "$python" -m venv "$VENV" \
            || die "could not create .venv: on Debian install python3-venv (apt-get install python3-venv)"
    fi
    "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || die ".venv has $("$PY" --version 2>&1); Python 3.11 or newer is needed: remove .venv and run again"

    local stamp="$VENV/.truongso-installed" want
    want="$("$PY" --version 2>&1) $(cksum <"$REPO_ROOT/pyproject.toml")"
    if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
        say "installing Trường Số and its dependencies into .venv"
        "$PY" -m pip install --quiet --quiet --editable "${REPO_ROOT}[dev]" \
            || die "pip install -e '.[dev]' failed (see above)"
        printf '%s\n' "$want" >"$stamp"
    fi
}

# Fetches the optional static assets (htmx, charts, map, fonts) when npm is present.
fetch_assets() {
    if ! has_fetch_assets; then
        note "scripts/fetch-assets not found: no optional static assets to fetch"
        return 0
    fi
    if ! has_npm; then
        note "npm not found: optional static assets not fetched (the pages work without the optional scripts)"
        return 0
    fi
    say "fetching static assets"
    local script="$REPO_ROOT/scripts/fetch-assets" interpreter=()
    if [[ ! -x "$script" ]]; then
        # Not executable (e.g. unpacked from an archive): use its #! line, else bash.
        read -r -a interpreter < <(sed -n '1s/^#! *//p' "$script")
        ((${#interpreter[@]})) || interpreter=(bash)
        [[ "${interpreter[0]}" == /usr/bin/env ]] && interpreter=("${interpreter[@]:1}")
    fi
    (cd "$REPO_ROOT" && PATH="$VENV/bin:$PATH" "${interpreter[@]}" "$script") \
        || die "scripts/fetch-assets failed (see above)"
}
