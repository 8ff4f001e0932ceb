# Sourced by the scripts/bench-* benchmarks: the tools they need, a throw-away work folder, and
# throw-away PostgreSQL clusters (as the `postgres` OS user when run as root), removed on exit.

need() { command -v "$1" >/dev/null 2>&1; }

# bench_setup NAME COMMAND...: installs what is missing (the commands, GNU time, PostgreSQL),
# then sets BIN (newest server programs) and WORK (a temp folder removed on exit).
bench_setup() {
  local name=$1 missing=0 t
  shift
  for t in "$@"; do need "$t" || missing=1; done
  if [ "$missing" = 1 ] || [ ! -x /usr/bin/time ] || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    local SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" time postgresql postgresql-client >/dev/null
  fi
  BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  WORK=$(mktemp -d "/tmp/bench-$name.XXXXXX")
  trap bench_cleanup EXIT
  export PGHOST=127.0.0.1 PGUSER=postgres PGPASSWORD=bench-secret
  [ "$(id -u)" -eq 0 ] && chown postgres: "$WORK"
  echo "$PGPASSWORD" > "$WORK/pw"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$WORK/pw"
  return 0
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# start_cluster NAME PORT: a cluster in $WORK/NAME on 127.0.0.1:PORT, password auth over TCP,
# durability off (it is thrown away).
start_cluster() {
  as_pg "$BIN/initdb" -D "$WORK/$1" -U postgres --auth-host=scram-sha-256 --auth-local=trust --pwfile="$WORK/pw" -E UTF8 --locale=C --no-sync >/dev/null
  as_pg "$BIN/pg_ctl" -D "$WORK/$1" -l "$WORK/$1.log" -w -o "-p $2 -c listen_addresses=127.0.0.1 -c unix_socket_directories=$WORK -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_wal_size=4GB" start >/dev/null
}

bench_cleanup() {
  local pid
  for pid in "$WORK"/*/postmaster.pid; do
    [ -f "$pid" ] && kill -INT "$(head -1 "$pid")" 2>/dev/null || true
  done
  sleep 1
  rm -rf "$WORK"
}
