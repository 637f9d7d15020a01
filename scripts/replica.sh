#!/usr/bin/env bash
# A streaming read replica of the local PostgreSQL, for the replica tests (tests/test_replica.py)
# and for trying the database router by hand (docs/operations.md, "A read replica").
#
#   scripts/replica.sh start    copy the primary (pg_basebackup -R), start the copy as a hot
#                               standby on 127.0.0.1:$REPLICA_PORT, wait until it answers
#   scripts/replica.sh stop     stop it and delete its copy
#   scripts/replica.sh status   say whether it runs, and how far it has replayed
#
# Then: DATABASE_REPLICA_URL=postgres://tracker:tracker@127.0.0.1:5433/<database>
#
# The primary is the cluster on 127.0.0.1:$PRIMARY_PORT, reached as the `postgres` role; it must
# accept replication connections from 127.0.0.1 (pg_hba.conf): run as root, this adds a `trust`
# line for them when none is there, as for every other loopback connection of a CI machine. The
# copy lives in $REPLICA_DIR, owned by the `postgres` OS user when run as root (PostgreSQL does not
# run as root), by whoever runs this otherwise. Only loopback addresses are used.
set -euo pipefail

PRIMARY_PORT=${PRIMARY_PORT:-5432}
REPLICA_PORT=${REPLICA_PORT:-5433}
REPLICA_DIR=${REPLICA_DIR:-/tmp/policy-tracker-replica}
PGBIN=${PGBIN:-$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)}
HOST=127.0.0.1

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

primary_sql() {
  psql -h "$HOST" -p "$PRIMARY_PORT" -U postgres -d postgres -tAc "$1"
}

running() {
  [ -f "$REPLICA_DIR/postmaster.pid" ] && as_owner "$PGBIN/pg_ctl" -D "$REPLICA_DIR" status >/dev/null 2>&1
}

allow_replication() {
  local rules
  rules=$(primary_sql "SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = ANY(database)
    AND type = 'host' AND address = '127.0.0.1' AND error IS NULL")
  [ "$rules" -gt 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "The primary's pg_hba.conf lets no replication connection in from $HOST: add" >&2
    echo "  host replication all 127.0.0.1/32 trust   (or scram-sha-256 with a password)" >&2
    echo "to $(primary_sql 'SHOW hba_file') and reload it (SELECT pg_reload_conf())." >&2
    exit 1
  fi
  local hba
  hba=$(primary_sql "SHOW hba_file")
  printf '%s\n' "# Streaming replicas on this machine (scripts/replica.sh)" \
    "host replication all 127.0.0.1/32 trust" >>"$hba"
  primary_sql "SELECT pg_reload_conf()" >/dev/null
  echo "Allowed replication from $HOST in $hba"
}

# A hot standby needs at least the primary's value of each of these.
standby_settings() {
  local name
  for name in max_connections max_worker_processes max_wal_senders max_prepared_transactions \
    max_locks_per_transaction; do
    echo "$name = $(primary_sql "SHOW $name")"
  done
}

start() {
  if running; then
    echo "The replica already runs on $HOST:$REPLICA_PORT ($REPLICA_DIR)."
    return 0
  fi
  pg_isready -h "$HOST" -p "$PRIMARY_PORT" >/dev/null || {
    echo "No PostgreSQL answers on $HOST:$PRIMARY_PORT to copy." >&2
    exit 1
  }
  allow_replication
  rm -rf "$REPLICA_DIR"
  mkdir -p "$REPLICA_DIR"
  chmod 700 "$REPLICA_DIR"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$REPLICA_DIR"
  # -R writes primary_conninfo and standby.signal: the copy starts as a standby of the primary.
  as_owner "$PGBIN/pg_basebackup" -h "$HOST" -p "$PRIMARY_PORT" -U postgres -D "$REPLICA_DIR" \
    -R -X stream -c fast
  # A Debian cluster keeps its configuration outside the data directory: the copy gets its own.
  {
    echo "port = $REPLICA_PORT"
    echo "listen_addresses = '$HOST'"
    echo "unix_socket_directories = '$REPLICA_DIR'"
    echo "hot_standby = on"
    # Replica queries never hold back or cancel replay for long (the tests pause it outright).
    echo "max_standby_streaming_delay = 5s"
    echo "ssl = off"
    standby_settings
  } | as_owner tee "$REPLICA_DIR/postgresql.conf" >/dev/null
  printf '%s\n' "local all all trust" "host all all 127.0.0.1/32 trust" \
    | as_owner tee "$REPLICA_DIR/pg_hba.conf" >/dev/null
  as_owner touch "$REPLICA_DIR/pg_ident.conf"
  as_owner "$PGBIN/pg_ctl" -D "$REPLICA_DIR" -l "$REPLICA_DIR/server.log" -w -t 60 start >/dev/null || {
    echo "The replica did not start; its log says:" >&2
    cat "$REPLICA_DIR/server.log" >&2
    exit 1
  }
  local recovering
  recovering=$(psql -h "$HOST" -p "$REPLICA_PORT" -U postgres -d postgres -tAc "SELECT pg_is_in_recovery()")
  if [ "$recovering" != "t" ]; then
    echo "The copy on $HOST:$REPLICA_PORT is not in recovery: it is no replica." >&2
    exit 1
  fi
  echo "A streaming replica of $HOST:$PRIMARY_PORT runs on $HOST:$REPLICA_PORT ($REPLICA_DIR)."
}

stop() {
  if running; then
    as_owner "$PGBIN/pg_ctl" -D "$REPLICA_DIR" -m fast -w stop >/dev/null
    echo "Stopped the replica on $HOST:$REPLICA_PORT."
  fi
  rm -rf "$REPLICA_DIR"
}

status() {
  if ! running; then
    echo "No replica runs from $REPLICA_DIR."
    return 3
  fi
  psql -h "$HOST" -p "$REPLICA_PORT" -U postgres -d postgres -c \
    "SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn() AS replayed,
            pg_get_wal_replay_pause_state() AS replay"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
