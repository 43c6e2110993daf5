#!/usr/bin/env bash
# `make run`'s last step: the worker (e-mail, sealed PDFs, reminders, planned trekker changes; django-q2's
# qcluster) beside Django's development server. Ctrl+C stops both.
set -euo pipefail
py=${1:?usage: serve.sh PYTHON PORT}
port=${2:?usage: serve.sh PYTHON PORT}
# Links in e-mails point at this server unless SITE_URL says otherwise.
export SITE_URL="${SITE_URL:-http://127.0.0.1:$port}"
"$py" manage.py qcluster &
worker=$!
trap 'kill -INT "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT
"$py" manage.py runserver "127.0.0.1:$port"
