#!/usr/bin/env bash
# Throwaway PostgreSQL cluster inside the project's ignored .local/ folder.
# Usage: scripts/pg_cluster.sh start NAME PORT | ensure NAME PORT | stop NAME
# Prints nothing on success but the socket directory (start). initdb refuses to run as
# root, so when we are root the cluster belongs to the unprivileged "postgres" user.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
action=${1:?start|stop}
name=${2:?cluster name}
base="$here/.local/pg/$name"
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$pgbin" ] || pgbin=$(dirname "$(command -v initdb)")

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start_server() {
  as_owner "$pgbin/pg_ctl" -D "$base/data" -l "$base/server.log" -w \
    -o "-k $base/sock -p $1 -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=64" \
    start >/dev/null
}

case "$action" in
  ensure)
    # keep an existing cluster (e.g. the benchmark's template databases)
    port=${3:?port}
    if [ -f "$base/data/PG_VERSION" ]; then
      if ! as_owner "$pgbin/pg_ctl" -D "$base/data" status >/dev/null 2>&1; then
        start_server "$port"
      fi
      echo "$base/sock"
      exit 0
    fi
    exec "$0" start "$name" "$port"
    ;;
  start)
    port=${3:?port}
    if [ -f "$base/data/postmaster.pid" ]; then
      as_owner "$pgbin/pg_ctl" -D "$base/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$base"
    mkdir -p "$base/data" "$base/sock"
    if [ "$(id -u)" = 0 ]; then chown -R postgres: "$base"; fi
    as_owner "$pgbin/initdb" -D "$base/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$base/initdb.log" 2>&1
    start_server "$port"
    as_owner "$pgbin/psql" -h "$base/sock" -p "$port" -U postgres -d postgres -qAt \
      -c "CREATE ROLE \"$(id -un)\" SUPERUSER LOGIN" >/dev/null
    echo "$base/sock"
    ;;
  stop)
    if [ -f "$base/data/postmaster.pid" ]; then
      as_owner "$pgbin/pg_ctl" -D "$base/data" -m fast stop >/dev/null 2>&1 || true
    fi
    ;;
  *) echo "usage: $0 start NAME PORT | stop NAME" >&2; exit 2 ;;
esac
