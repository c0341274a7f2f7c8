#!/usr/bin/env bash
# Builds tiski, starts a throwaway server on loopback, and runs the `create` and `list`
# benchmark scenarios against it.
#
# Environment:
#   TISKI_BENCH_PORT      port to listen on (default 18080; must be free)
#   TISKI_BENCH_DURATION  seconds per scenario (default 20)
#   TISKI_BENCH_CONC      concurrency (default 32)
#   TISKI_BENCH_REQUESTS  request cap per scenario (default 1000000)
#   TISKI_DATABASE_URL    if set, use this database instead of the temp data dir's default
#                         (it should be a scratch database: the script creates a user in it)
#   KEEP_DATA=1           keep the temp data dir (server log, results) after the run
#   TISKI_BIN             the tiski binary to measure (default: build target/release/tiski),
#                         for comparing two builds on the same machine
set -euo pipefail

cd "$(dirname "$0")/.."

PORT="${TISKI_BENCH_PORT:-18080}"
DURATION="${TISKI_BENCH_DURATION:-20}"
CONCURRENCY="${TISKI_BENCH_CONC:-32}"
# Enough that the duration ends the create run, so the list runs against a large table.
REQUESTS="${TISKI_BENCH_REQUESTS:-1000000}"
URL="http://127.0.0.1:${PORT}"
BIN="${TISKI_BIN:-target/release/tiski}"

DB_ARGS=()
if [[ -n "${TISKI_DATABASE_URL:-}" ]]; then
    DB_ARGS=(--database-url "$TISKI_DATABASE_URL")
fi

DATA="$(mktemp -d "${TMPDIR:-/tmp}/tiski-bench.XXXXXX")"
SERVER_PID=""

cleanup() {
    local status=$?
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [[ $status -ne 0 && -f "$DATA/server.log" ]]; then
        echo "--- last lines of the server log ($DATA/server.log) ---" >&2
        tail -n 30 "$DATA/server.log" >&2 || true
    fi
    if [[ "${KEEP_DATA:-0}" == "1" || $status -ne 0 ]]; then
        echo "data dir kept at $DATA" >&2
    else
        rm -rf "$DATA"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Returns success when GET /api/v1/health answers 2xx.
health_ok() {
    if command -v curl >/dev/null 2>&1; then
        curl -fsS -o /dev/null --max-time 2 "$URL/api/v1/health"
    else
        # Fallback without curl; in a subshell so a failed redirection cannot end the script.
        (
            exec 3<>"/dev/tcp/127.0.0.1/$PORT" || exit 1
            printf 'GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
            IFS= read -r -t 2 line <&3 || exit 1
            [[ "$line" =~ ^HTTP/1\.[01]\ 2[0-9][0-9] ]]
        )
    fi
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null
}

if [[ -z "${TISKI_BIN:-}" ]]; then
    echo "==> building tiski (release)"
    cargo build --release -p tiski
fi

if port_in_use; then
    echo "port $PORT on 127.0.0.1 is already in use; set TISKI_BENCH_PORT" >&2
    exit 1
fi

echo "==> creating the bench user in $DATA"
PASSWORD="$(head -c 24 /dev/urandom | base64 | tr -d '\n')"
printf '%s\n' "$PASSWORD" | "$BIN" user create --data-dir "$DATA" ${DB_ARGS[@]+"${DB_ARGS[@]}"} \
    --email bench@example.com --name Bench --role admin --password-stdin
TOKEN="$("$BIN" token create --data-dir "$DATA" ${DB_ARGS[@]+"${DB_ARGS[@]}"} --email bench@example.com)"
if [[ -z "$TOKEN" ]]; then
    echo "tiski token create printed no token" >&2
    exit 1
fi

echo "==> starting tiski serve on $URL"
# Private networks allowed: whatever the scenarios configure to talk to lives on loopback (set
# through the environment, which builds older than the setting ignore, so TISKI_BIN can name one).
TISKI_ALLOW_PRIVATE_NETWORK=true "$BIN" serve --data-dir "$DATA" ${DB_ARGS[@]+"${DB_ARGS[@]}"} --listen "127.0.0.1:$PORT" \
    >"$DATA/server.log" 2>&1 &
SERVER_PID=$!

for _ in $(seq 1 150); do
    if health_ok 2>/dev/null; then
        break
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "tiski serve exited before becoming healthy" >&2
        exit 1
    fi
    sleep 0.2
done
if ! health_ok 2>/dev/null; then
    echo "tiski serve did not become healthy within 30 s" >&2
    exit 1
fi

for scenario in create list; do
    echo "==> tiski bench --scenario $scenario"
    # The token goes through the environment (TISKI_TOKEN) rather than argv, so it does
    # not show up in process listings.
    TISKI_TOKEN="$TOKEN" "$BIN" bench --url "$URL" --scenario "$scenario" \
        --concurrency "$CONCURRENCY" --duration "$DURATION" --requests "$REQUESTS" | tee "$DATA/bench-$scenario.txt"
done

echo
echo "==> summary"
for scenario in create list; do
    cat "$DATA/bench-$scenario.txt"
    echo
done
