#!/usr/bin/env bash
# `make messages`: extract translatable strings into the catalogues
# (src/truongso/locale/<lang>/LC_MESSAGES/django.po) and compile them (.mo).
# Vietnamese is the source language; the English catalogue holds the translations.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v xgettext >/dev/null 2>&1 && command -v msgfmt >/dev/null 2>&1 \
    || die "GNU gettext is needed for makemessages and compilemessages (Debian: apt-get install gettext)"

# Run inside the package so that neither .venv nor node_modules is scanned.
cd "$REPO_ROOT/src/truongso"
say "makemessages (vi, en)"
"$PY" "$REPO_ROOT/manage.py" makemessages --locale=vi --locale=en --no-obsolete \
    --ignore='static/*' --ignore='locale/*'
say "compilemessages"
"$PY" "$REPO_ROOT/manage.py" compilemessages --locale=vi --locale=en
