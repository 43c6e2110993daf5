#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster: created in a temporary directory, reachable
# only over a Unix socket there (no port to collide with), and removed afterwards.
# The command sees DATABASE_URL pointing at an empty database "regierol".
set -euo pipefail
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$pgbin" ] || { echo "PostgreSQL server not installed (Debian package postgresql)." >&2; exit 1; }
tmp=$(mktemp -d /tmp/regierol-pg.XXXXXX)
chmod 755 "$tmp"
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$tmp"
  as_owner=(runuser -u postgres --)
fi
stop() {
  "${as_owner[@]}" "$pgbin/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap stop EXIT
"${as_owner[@]}" "$pgbin/initdb" -D "$tmp/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
  --no-sync >/dev/null
# Durability settings off: this cluster lives for one test run.
"${as_owner[@]}" "$pgbin/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w start \
  -o "-k $tmp -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null
"$pgbin/createdb" -h "$tmp" -U postgres regierol
host=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$tmp")
export DATABASE_URL="postgres://postgres@${host}/regierol"
export PGHOST="$tmp" PGUSER=postgres
"$@"
