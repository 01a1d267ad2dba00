#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests of the PostgreSQL backend (issue 13), from Debian's
# `postgresql`: initdb in a temporary folder as the `postgres` user (never as root), listening on a
# free loopback port and a socket in that folder only.
#   eval "$(scripts/postgres-test-cluster.sh start)"   # sets GREENMINE_TEST_POSTGRES and GREENMINE_PG_DIR
#   scripts/postgres-test-cluster.sh stop "$GREENMINE_PG_DIR"
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then
  echo "postgres-test-cluster: Debian's postgresql is not installed (apt-get install postgresql)" >&2
  exit 1
fi

as_postgres() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}

case "${1:-}" in
start)
  dir=$(mktemp -d /tmp/greenmine-pg.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  as_postgres "'$bin/initdb' -D '$dir/data' -U greenmine -A trust -E UTF8 --locale C.UTF-8" >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2; exit 1; }
  as_postgres "'$bin/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -t 60 \
    -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c max_connections=200\" start" >/dev/null || {
    cat "$dir/server.log" >&2; exit 1; }
  echo "export GREENMINE_TEST_POSTGRES=postgres://greenmine@127.0.0.1:$port/postgres"
  echo "export GREENMINE_PG_DIR=$dir"
  ;;
stop)
  dir=${2:?usage: postgres-test-cluster.sh stop DIR}
  as_postgres "'$bin/pg_ctl' -D '$dir/data' -m fast -w stop" >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
*)
  echo "usage: postgres-test-cluster.sh start | stop DIR" >&2
  exit 2
  ;;
esac
