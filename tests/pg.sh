# Sourced by the ledger and serve tests: a throwaway PostgreSQL cluster for one test run.
#   pg_start   sets PG_URL (a unix socket in a temporary folder) or returns 1 with PG_WHY set
#   pg_stop    stops the cluster and removes its folder (also on EXIT once started)
# The server runs as an unprivileged user (PostgreSQL refuses root): `nobody` when we are root.
# Debian's postgresql is installed when missing and we may (root, or sudo without a password).

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

pg_start() {
  PG_URL="" PG_WHY=""
  local bin
  bin=$(pg_bin)
  if [[ -z $bin ]]; then
    local here
    here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    if [[ $(id -u) -eq 0 ]] || sudo -n true 2>/dev/null; then
      (source "$here/scripts/packages.sh" && ensure_packages postgresql) >&2 || true
    fi
    bin=$(pg_bin)
    [[ -n $bin ]] || { PG_WHY="PostgreSQL is not installed (apt-get install postgresql)"; return 1; }
  fi
  PG_DIR=$(mktemp -d /tmp/rulebook-pg.XXXXXX)
  local as=() user
  user=$(id -un)
  if [[ $(id -u) -eq 0 ]]; then
    user=nobody
    chown nobody "$PG_DIR"
    as=(runuser -u nobody --)
  fi
  PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  if ! "${as[@]}" "$bin/initdb" -D "$PG_DIR/data" -U "$user" --auth=trust -E UTF8 --locale=C.UTF-8 > "$PG_DIR/initdb.log" 2>&1; then
    PG_WHY="initdb failed: $(tail -3 "$PG_DIR/initdb.log")"
    return 1
  fi
  # Unix socket only: nothing listens on the network.
  if ! "${as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 \
      -o "-k $PG_DIR -p $PG_PORT -c listen_addresses= -c fsync=on" start > /dev/null 2>&1; then
    PG_WHY="pg_ctl start failed: $(tail -3 "$PG_DIR/server.log")"
    return 1
  fi
  PG_AS=("${as[@]}") PG_BIN=$bin
  trap pg_stop EXIT
  PG_URL="postgresql:///postgres?host=$PG_DIR&port=$PG_PORT&user=$user"
}

pg_stop() {
  [[ -n ${PG_DIR:-} && -d $PG_DIR ]] || return 0
  "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop > /dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=""
}

# A fresh database on the cluster for one suite: prints its URL.
pg_database() {
  "${PG_AS[@]}" "$PG_BIN/createdb" -h "$PG_DIR" -p "$PG_PORT" "$1"
  echo "postgresql:///$1?host=$PG_DIR&port=$PG_PORT&user=$(sed -E 's/.*user=//' <<<"$PG_URL")"
}
