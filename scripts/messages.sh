#!/usr/bin/env bash
# `make messages`: extract translatable strings into the English catalogue
# (src/truongso/locale/en/LC_MESSAGES/django.po) and compile it (.mo).
# Vietnamese is the source language (the msgids), so it needs no catalogue.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if ! command -v xgettext >/dev/null 2>&1 || ! command -v msgfmt >/dev/null 2>&1; then
    die "GNU gettext is needed for makemessages and compilemessages (Debian: apt-get install gettext)"
fi

# Run inside the package so that neither .venv nor node_modules is scanned.
cd "$REPO_ROOT/src/truongso"
say "makemessages (en)"
"$PY" "$REPO_ROOT/manage.py" makemessages --locale=en --ignore='static/*' --ignore='locale/*'
say "compilemessages (en)"
"$PY" "$REPO_ROOT/manage.py" compilemessages --locale=en
