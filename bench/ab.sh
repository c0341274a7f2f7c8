#!/usr/bin/env bash
# Compares two tiski builds side by side on SQLite: for each round and each build, a fresh data
# directory, a server on loopback, then the `create` seed, `list` and `ui` (inbox and ticket page)
# scenarios. Prints one line per scenario: throughput, p95, and the server's CPU time per request
# (user + system of the `tiski serve` process from /proc, less sensitive than throughput to the
# load generator sharing the cores).
#
#   bash bench/ab.sh OLD_BIN NEW_BIN
#
# Environment: ROUNDS (2), SEED (20000 tickets), DURATION (15 s per list/ui run),
# TISKI_BENCH_PORT (18180). Run it with nothing else busy on the machine.
set -euo pipefail

OLD="${1:?old tiski binary}"
NEW="${2:?new tiski binary}"
ROUNDS="${ROUNDS:-2}"
SEED="${SEED:-20000}"
DURATION="${DURATION:-15}"
PORT="${TISKI_BENCH_PORT:-18180}"
URL="http://127.0.0.1:$PORT"
TICKS=$(getconf CLK_TCK)

pid=""
trap '[[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true' EXIT

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# Runs one scenario against the server $2 (pid) with binary $1; prints the summary line.
run() {
    local bin=$1 pid=$2 label=$3 scenario=$4
    shift 4
    local before after out
    before=$(cpu_ticks "$pid")
    out=$(TISKI_TOKEN="$TOKEN" "$bin" bench 2>/dev/null --url "$URL" --scenario "$scenario" --json "$@")
    after=$(cpu_ticks "$pid")
    REPORT="$out" python3 - "$label" "$scenario" "$before" "$after" "$TICKS" <<'PY'
import json, os, sys
label, scenario, before, after, ticks = sys.argv[1:6]
text = os.environ["REPORT"]  # the human table, then the JSON report from its first "{" line
report = json.loads(text[text.index("\n{") + 1:] if not text.startswith("{") else text)
served = report["requests_ok"] + report["errors"] + report["warmup_requests"]
cpu_us = (int(after) - int(before)) / int(ticks) * 1e6
print(f"{label:4} {scenario:7} ok={report['requests_ok']} errors={report['errors']} "
      f"throughput={report['throughput_rps']:.0f}/s p95={report['latency']['p95_ms']:.2f}ms "
      f"cpu={cpu_us / served:.1f}us/request")
PY
}

for round in $(seq 1 "$ROUNDS"); do
    for label in old new; do
        bin=$OLD
        [[ $label == new ]] && bin=$NEW
        data=$(mktemp -d "${TMPDIR:-/tmp}/tiski-ab.XXXXXX")
        password=$(head -c 24 /dev/urandom | base64 | tr -d '\n')
        printf '%s\n' "$password" | "$bin" user create --data-dir "$data" --email bench@example.com \
            --name Bench --role admin --password-stdin >/dev/null
        TOKEN=$("$bin" token create --data-dir "$data" --email bench@example.com)
        TISKI_ALLOW_PRIVATE_NETWORK=true "$bin" serve --data-dir "$data" --listen "127.0.0.1:$PORT" \
            >"$data/server.log" 2>&1 &
        pid=$!
        for _ in $(seq 1 150); do
            curl -fsS -o /dev/null "$URL/api/v1/health" 2>/dev/null && break
            sleep 0.2
        done
        echo "# round $round, $label ($bin)"
        run "$bin" "$pid" "$label" create --concurrency 32 --requests "$SEED" --duration 120
        run "$bin" "$pid" "$label" list --concurrency 32 --requests 1000000 --duration "$DURATION"
        run "$bin" "$pid" "$label" ui --ui-email bench@example.com \
            --ui-password "$password" --concurrency 4 --requests 1000000 --duration "$DURATION"
        kill "$pid"
        wait "$pid" 2>/dev/null || true
        pid=""
        rm -rf "$data"
    done
done
