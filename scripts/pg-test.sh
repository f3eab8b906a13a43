#!/usr/bin/env bash
# scripts/pg-test.sh — a throwaway PostgreSQL server for the test suite.
#
#   scripts/pg-test.sh start   start a fresh server (stopping any previous one);
#                              prints its URL on stdout:
#                              postgres://USER@127.0.0.1:PORT/tessera_test
#   scripts/pg-test.sh stop    stop it and delete its data (no error if none runs)
#   scripts/pg-test.sh url     print the running server's URL, or exit 1
#
# Binaries: $PG_BIN if set, else the highest /usr/lib/postgresql/*/bin, else
# `pg_config --bindir`. As root the server runs as `postgres` (or `tessera-pg`,
# created with `useradd --system` if needed); otherwise as the current user.
# State lives in <repo>/.pgtest/state. Everything except the URL goes to stderr.
#
# Typical use:
#   export DATABASE_URL="$(scripts/pg-test.sh start)"
#   npm test
#   scripts/pg-test.sh stop
set -euo pipefail

# stdout is reserved for the one line of result; everything else goes to stderr.
exec 3>&1 1>&2

readonly PROG="pg-test.sh"
readonly DB_NAME="tessera_test"
readonly FIRST_PORT=55432
readonly LAST_PORT=55631
readonly START_TIMEOUT=30
readonly FALLBACK_USER="tessera-pg"
readonly MARKER=".tessera-pgtest"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
readonly STATE_DIR="$REPO_ROOT/.pgtest"
readonly STATE_FILE="$STATE_DIR/state"

# Keep the caller's libpq settings from leaking into our commands.
unset PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER PGPASSWORD PGPASSFILE \
  PGSERVICE PGSERVICEFILE PGOPTIONS PGSSLMODE PGREQUIRESSL PGDATA \
  PGTARGETSESSIONATTRS PGCONNECT_TIMEOUT 2>/dev/null || true

log() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
  cat >&2 <<EOF
usage: $PROG start|stop|url
  start  start a fresh throwaway PostgreSQL (stopping any previous one) and
         print its URL: postgres://USER@127.0.0.1:PORT/$DB_NAME
  stop   stop the server and delete its data (no error if none is running)
  url    print the URL of the running server, or exit 1
env: PG_BIN=/path/to/postgresql/bin overrides binary discovery
EOF
}

is_root() { [[ "$(id -u)" -eq 0 ]]; }

# ---------------------------------------------------------------- binaries --

find_bindir() {
  local dir
  if [[ -n "${PG_BIN:-}" ]]; then
    [[ -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" ]] ||
      die "PG_BIN=$PG_BIN does not contain initdb and pg_ctl"
    (cd "$PG_BIN" && pwd)
    return
  fi
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
    printf '%s\n' "$dir"
    return
  fi
  if command -v pg_config >/dev/null 2>&1; then
    dir="$(pg_config --bindir 2>/dev/null || true)"
    if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
      printf '%s\n' "$dir"
      return
    fi
  fi
  die "no PostgreSQL server binaries found (looked at \$PG_BIN, /usr/lib/postgresql/*/bin, pg_config --bindir); install postgresql or set PG_BIN"
}

# ------------------------------------------------------------ server user --

# Prints the OS user that will own and run the server.
pick_run_user() {
  if ! is_root; then
    id -un
    return
  fi
  if id -u postgres >/dev/null 2>&1; then
    echo postgres
    return
  fi
  if ! id -u "$FALLBACK_USER" >/dev/null 2>&1; then
    command -v useradd >/dev/null 2>&1 ||
      die "running as root, no 'postgres' user, and useradd is unavailable to create '$FALLBACK_USER'"
    log "creating system user $FALLBACK_USER"
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin "$FALLBACK_USER" >&2 ||
      die "useradd $FALLBACK_USER failed"
  fi
  echo "$FALLBACK_USER"
}

# run_as USER CMD ARGS... — run CMD as USER (directly if that is us), from /.
# fds 3 (our real stdout) and 9 (the state lock) are closed for the child: the
# postmaster must not inherit them, or `URL=$(pg-test.sh start)` would never
# return and the lock would stay held for the server's lifetime.
run_as() {
  local user="$1"
  shift
  if [[ "$(id -un)" == "$user" ]]; then
    (cd / && "$@") 3>&- 9>&-
  elif ! is_root; then
    die "server belongs to user '$user'; run this as root or as '$user'"
  elif command -v runuser >/dev/null 2>&1; then
    (cd / && runuser -u "$user" -- "$@") 3>&- 9>&-
  elif command -v su >/dev/null 2>&1; then
    (cd / && su "$user" -s /bin/bash -c "$(printf '%q ' "$@")") 3>&- 9>&-
  else
    die "need runuser or su to run PostgreSQL as '$user'"
  fi
}

# ------------------------------------------------------------------ state --

S_URL="" S_TMP_DIR="" S_BIN="" S_USER="" S_PORT=""

read_state() {
  S_URL="" S_TMP_DIR="" S_BIN="" S_USER="" S_PORT=""
  [[ -f "$STATE_FILE" ]] || return 1
  local key value
  while IFS='=' read -r key value; do
    case "$key" in
      URL) S_URL="$value" ;;
      TMP_DIR) S_TMP_DIR="$value" ;;
      PG_BIN) S_BIN="$value" ;;
      RUN_USER) S_USER="$value" ;;
      PORT) S_PORT="$value" ;;
    esac
  done <"$STATE_FILE"
  return 0
}

write_state() { # url tmpdir bindir user port
  local tmp="$STATE_FILE.tmp.$$"
  mkdir -p "$STATE_DIR"
  printf 'URL=%s\nTMP_DIR=%s\nPG_BIN=%s\nRUN_USER=%s\nPORT=%s\n' "$@" >"$tmp"
  mv -f "$tmp" "$STATE_FILE"
}

lock_state() {
  mkdir -p "$STATE_DIR"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$STATE_DIR/lock"
    flock -w 120 9 || die "timed out waiting for another $PROG run (lock $STATE_DIR/lock)"
  fi
}

# Remove a temp dir, but only if it is one of ours.
remove_tmp_dir() {
  local dir="$1"
  [[ -n "$dir" && "$dir" == /* && "$dir" != "/" ]] || return 0
  [[ -d "$dir" ]] || return 0
  if [[ -e "$dir/$MARKER" ]]; then
    rm -rf -- "$dir"
  else
    log "warning: not removing $dir (no $MARKER marker)"
  fi
}

# Stop the server in DATA_DIR as USER, escalating if needed.
stop_server() { # bindir user datadir
  local bin="$1" user="$2" data="$3" pid
  [[ -f "$data/postmaster.pid" ]] || return 0
  if run_as "$user" "$bin/pg_ctl" -D "$data" -m fast -w -t 30 stop >&2; then
    return 0
  fi
  log "fast shutdown failed; trying immediate shutdown"
  if run_as "$user" "$bin/pg_ctl" -D "$data" -m immediate -w -t 10 stop >&2; then
    return 0
  fi
  pid="$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)"
  if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
    log "killing postmaster $pid"
    kill -KILL "$pid" 2>/dev/null || true
  fi
}

# ----------------------------------------------------------------- helpers --

port_in_use() { # port → 0 if something accepts connections on 127.0.0.1:port
  local port="$1"
  if command -v timeout >/dev/null 2>&1; then
    timeout 2 bash -c "exec 5<>/dev/tcp/127.0.0.1/$port" 2>/dev/null
  else
    (exec 5<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
  fi
}

make_tmp_dir() { # user → prints a fresh temp dir usable by user
  local user="$1" base dir
  for base in "${TMPDIR:-/tmp}" /tmp; do
    [[ -d "$base" ]] || continue
    dir="$(mktemp -d "$base/tessera-pg.XXXXXX")" || continue
    touch "$dir/$MARKER"
    # Unix socket paths are limited to ~107 bytes.
    if ((${#dir} > 80)); then
      remove_tmp_dir "$dir"
      continue
    fi
    if is_root; then
      chown "$user:" "$dir" "$dir/$MARKER"
      chmod 700 "$dir"
      if ! run_as "$user" test -w "$dir" -a -x "$dir"; then
        remove_tmp_dir "$dir"
        continue
      fi
    fi
    printf '%s\n' "$dir"
    return 0
  done
  die "could not create a temp dir usable by '$user'"
}

# ------------------------------------------------------------------ start --

START_DONE=0 START_TMP="" START_BIN="" START_USER="" START_LOG=""

on_start_exit() {
  local rc=$?
  [[ "$START_DONE" -eq 1 ]] && return 0
  log "start failed"
  if [[ -n "$START_LOG" && -f "$START_LOG" ]]; then
    log "last lines of $START_LOG:"
    tail -n 40 "$START_LOG" >&2 || true
  fi
  if [[ -n "$START_TMP" && -d "$START_TMP/data" ]]; then
    stop_server "$START_BIN" "$START_USER" "$START_TMP/data" 2>/dev/null || true
  fi
  [[ -n "$START_TMP" ]] && remove_tmp_dir "$START_TMP"
  rm -f "$STATE_FILE"
  exit $((rc == 0 ? 1 : rc))
}

cmd_start() {
  lock_state
  if [[ -f "$STATE_FILE" ]]; then
    log "a previous server is recorded in $STATE_FILE; stopping it first"
    do_stop
  fi

  local bin user tmp data port url tool started=0
  bin="$(find_bindir)"
  user="$(pick_run_user)"
  for tool in initdb pg_ctl pg_isready createdb postgres; do
    [[ -x "$bin/$tool" ]] || die "$bin/$tool not found"
  done

  trap on_start_exit EXIT
  trap 'exit 130' INT TERM HUP
  START_BIN="$bin" START_USER="$user"
  tmp="$(make_tmp_dir "$user")"
  START_TMP="$tmp"
  data="$tmp/data"
  START_LOG="$tmp/postgres.log"
  log "using $bin as user $user in $tmp"

  run_as "$user" "$bin/initdb" -D "$data" --username="$user" \
    --auth-local=trust --auth-host=trust --encoding=UTF8 --locale=C \
    --no-sync >"$tmp/initdb.log" 2>&1 || {
    START_LOG="$tmp/initdb.log"
    die "initdb failed"
  }

  cat >>"$data/postgresql.conf" <<EOF

# --- tessera scripts/pg-test.sh: throwaway test server ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$tmp'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

  for ((port = FIRST_PORT; port <= LAST_PORT; port++)); do
    port_in_use "$port" && continue
    log "starting postgres on 127.0.0.1:$port"
    if run_as "$user" "$bin/pg_ctl" -D "$data" -l "$START_LOG" -o "-p $port" \
      -w -t "$START_TIMEOUT" start >&2 3>&- 9>&-; then # the server must not inherit the URL pipe or the lock
      started=1
      break
    fi
    if grep -q 'could not bind\|Address already in use' "$START_LOG" 2>/dev/null &&
      [[ ! -f "$data/postmaster.pid" ]]; then
      log "port $port was taken meanwhile; trying the next one"
      : >"$START_LOG"
      continue
    fi
    die "postgres failed to start on port $port (or was not ready within ${START_TIMEOUT}s)"
  done
  [[ "$started" -eq 1 ]] || die "no free port in $FIRST_PORT-$LAST_PORT"

  local deadline=$((SECONDS + START_TIMEOUT))
  until "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 2; do
    ((SECONDS < deadline)) || die "server not accepting TCP connections on port $port"
    sleep 0.2
  done

  "$bin/createdb" -h 127.0.0.1 -p "$port" -U "$user" --maintenance-db=postgres \
    "$DB_NAME" >&2 || die "createdb $DB_NAME failed"

  url="postgres://$user@127.0.0.1:$port/$DB_NAME"
  write_state "$url" "$tmp" "$bin" "$user" "$port"
  START_DONE=1
  trap - EXIT INT TERM HUP
  log "ready: $url (log: $START_LOG)"
  printf '%s\n' "$url" >&3
}

# ------------------------------------------------------------------- stop --

do_stop() {
  if ! read_state; then
    log "no server recorded in $STATE_FILE; nothing to stop"
    return 0
  fi
  if [[ -n "$S_TMP_DIR" && -d "$S_TMP_DIR/data" ]]; then
    local bin="${S_BIN:-}" user="${S_USER:-$(id -un)}"
    [[ -n "$bin" && -x "$bin/pg_ctl" ]] || bin="$(find_bindir)"
    log "stopping server in $S_TMP_DIR${S_PORT:+ (port $S_PORT)}"
    stop_server "$bin" "$user" "$S_TMP_DIR/data"
  fi
  remove_tmp_dir "$S_TMP_DIR"
  rm -f "$STATE_FILE"
}

cmd_stop() {
  lock_state
  do_stop
}

# -------------------------------------------------------------------- url --

cmd_url() {
  read_state || { log "no server running (no $STATE_FILE)"; exit 1; }
  [[ -n "$S_URL" ]] || { log "state file $STATE_FILE has no URL"; exit 1; }
  if [[ -n "$S_BIN" && -x "$S_BIN/pg_isready" && -n "$S_PORT" ]]; then
    "$S_BIN/pg_isready" -q -h 127.0.0.1 -p "$S_PORT" -t 2 ||
      { log "server recorded in $STATE_FILE is not responding on port $S_PORT"; exit 1; }
  fi
  printf '%s\n' "$S_URL" >&3
}

# ------------------------------------------------------------------- main --

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  url) cmd_url ;;
  -h | --help | help) usage ;;
  *) usage; exit 2 ;;
esac
