#!/usr/bin/env bash
# Ingest benchmark: builds the release server, starts it on a fresh data directory
# (its log lines written to a file, as in production), loads POST /events with wrk
# (single events and batches of ten, fresh eventIds per request), and prints
# requests/s, accepted events/s, p50/p99 latency, and the server's peak RSS.
#
# When the team's side-by-side harness is beside the project (../shared/bench), the
# same run also loads a bare-axum floor and a Node (Fastify) peer and prints ratios.
#   DUR=10s CONNS=64 THREADS=1 bench/ingest.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
dur=${DUR:-10s}; conns=${CONNS:-64}; threads=${THREADS:-1}
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null; }

say "building the release server"
cargo build --release -q -p jewelry-server
work=$(mktemp -d)
port=${BENCH_PORT:-3950}
APP_DATA_DIR="$work/data" LEPTOS_SITE_ADDR="127.0.0.1:$port" APP_LOGS__LEVEL=warn \
  "$CARGO_TARGET_DIR/release/jewelry-server" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done

shared=../shared/bench/ingest.sh
if [ -x "$shared" ] || [ -f "$shared" ]; then
  say "side by side: bare axum floor, Node peer, this project"
  # The peers build into their own target directory.
  env -u CARGO_TARGET_DIR DUR="$dur" CONNS="$conns" THREADS="$threads" bash "$shared" "http://127.0.0.1:$port"
else
  python3 bench/payloads.py "$work"
  for spec in single.json:1 batch10.json:10; do
    body=${spec%%:*}; per=${spec##*:}
    out=$(BODY="$work/$body" wrk -t"$threads" -c"$conns" -d"$dur" --latency -s bench/post.lua "http://127.0.0.1:$port" 2>&1)
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    printf '%-12s %10.0f req/s %11.0f events/s  p50 %-9s p99 %-9s non-2xx %s\n' "$body" "$rps" \
      "$(awk -v r="$rps" -v p="$per" 'BEGIN{print r*p}')" \
      "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")" \
      "$(awk '/Non-2xx/ {print $NF}' <<<"$out" | grep . || echo 0)"
  done
fi

peak=$(awk '/VmHWM/ {print $2, $3}' "/proc/$server/status")
logged=$(grep -c '"logType":"clickstream"' "$work/server.log" || true)
rejected=$(grep -c '"logType":"clickstream_rejected"' "$work/server.log" || true)
say "server peak RSS: $peak; clickstream lines written: $logged; rejected-event lines: $rejected"
