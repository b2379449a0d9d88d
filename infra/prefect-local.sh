#!/usr/bin/env bash
# The production stack without Docker, on 127.0.0.1 only (what infra/compose.yml does with Docker):
#   infra/prefect-local.sh up DIR [PG_PORT] [API_PORT] [WORKERS]
#       a PostgreSQL cluster in DIR/pg (infra/pg-local.sh) with the databases `lostcontact` (migrated,
#       the application role granted by infra/pg-grants.sql) and `prefect`; a Prefect server on it; a
#       `process` work pool `lostcontact`; the flows deployed from this checkout; WORKERS workers.
#       Writes DIR/env (source it to use the stack) and one DIR/*.pid per process.
#   infra/prefect-local.sh down DIR     stop the workers, the server and the cluster, by PID
# Logs: DIR/*.log and DIR/pg/server.log. Run from the repository's virtualenv.
set -euo pipefail
cmd=${1:?up|down}; dir=$(mkdir -p "${2:?stack directory}" && cd "$2" && pwd)
pg_port=${3:-55433}; api_port=${4:-4210}; workers=${5:-2}
here=$(cd "$(dirname "$0")" && pwd); root=$(dirname "$here")
pool=lostcontact

stop_all() {  # TERM every process group started with setsid at once, wait for them, KILL what lingers
  local pids=() file pid alive
  for file in "$@"; do [ -f "$file" ] && pids+=("$(cat "$file")"); done
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 40); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.5
  done
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  rm -f "$@"
}

cd "$root"  # the flows are deployed from, and the workers run in, this checkout
case "$cmd" in
  up)
    psql_bin=$(command -v psql 2>/dev/null || ls /usr/lib/postgresql/*/bin/psql | sort -V | tail -n1)
    bash "$here/pg-local.sh" start "$dir/pg" "$pg_port" >/dev/null
    psql() { "$psql_bin" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres "$@"; }
    for name in lostcontact prefect; do
      [ "$(psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'")" = 1 ] \
        || psql -d postgres -c "CREATE DATABASE $name"
    done
    LOSTCONTACT_DB="postgresql+psycopg2://postgres@127.0.0.1:$pg_port/lostcontact" lostcontact init >/dev/null
    psql -d lostcontact -f "$here/pg-grants.sql" >/dev/null
    cat > "$dir/env" <<EOF
export LOSTCONTACT_DB=postgresql+psycopg2://${LOSTCONTACT_STACK_ROLE:-lostcontact_app}@127.0.0.1:$pg_port/lostcontact
export PREFECT_API_URL=http://127.0.0.1:$api_port/api
export PREFECT_HOME=$dir/prefect-home
export PREFECT_SERVER_ANALYTICS_ENABLED=false DO_NOT_TRACK=1
export PREFECT_WORKER_QUERY_SECONDS=2 PREFECT_RUNNER_POLL_FREQUENCY=2
EOF
    # shellcheck disable=SC1091
    . "$dir/env"
    if [ ! -f "$dir/server.pid" ] || ! kill -0 "$(cat "$dir/server.pid")" 2>/dev/null; then
      PREFECT_API_DATABASE_CONNECTION_URL="postgresql+asyncpg://postgres@127.0.0.1:$pg_port/prefect" \
        setsid python -m prefect server start --host 127.0.0.1 --port "$api_port" >"$dir/server.log" 2>&1 &
      echo $! > "$dir/server.pid"
    fi
    for _ in $(seq 1 180); do
      python -c "import urllib.request as u; u.urlopen('$PREFECT_API_URL/health', timeout=2)" 2>/dev/null && break
      kill -0 "$(cat "$dir/server.pid")" 2>/dev/null || { echo "Prefect server exited: see $dir/server.log" >&2; exit 1; }
      sleep 0.5
    done
    python -c "import urllib.request as u; u.urlopen('$PREFECT_API_URL/health', timeout=2)" \
      || { echo "Prefect server did not answer: see $dir/server.log" >&2; exit 1; }
    python -m prefect work-pool inspect "$pool" >/dev/null 2>&1 \
      || python -m prefect work-pool create "$pool" --type process >/dev/null
    python -m workflows.scaleout deploy --pool "$pool" >/dev/null
    for k in $(seq 1 "$workers"); do
      if [ ! -f "$dir/worker$k.pid" ] || ! kill -0 "$(cat "$dir/worker$k.pid")" 2>/dev/null; then
        setsid python -m prefect worker start --pool "$pool" --type process --name "worker$k" \
          >"$dir/worker$k.log" 2>&1 &
        echo $! > "$dir/worker$k.pid"
      fi
    done
    echo "$dir/env"
    ;;
  down)
    shopt -s nullglob
    stop_all "$dir"/worker*.pid "$dir/server.pid"
    bash "$here/pg-local.sh" stop "$dir/pg"
    ;;
  *) echo "usage: $0 up DIR [PG_PORT] [API_PORT] [WORKERS] | down DIR" >&2; exit 2 ;;
esac
