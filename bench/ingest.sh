#!/usr/bin/env bash
# Ingest benchmark: builds the release shop (as scripts/serve.sh does), starts it on a fresh data directory
# (its log lines written to a file, as in production), loads POST /events with wrk
# (single events and batches of ten, fresh eventIds per request), and prints
# requests/s, accepted events/s, p50/p99 latency, and the server's peak RSS; then
# the same with CloudWatch Logs on (every line through the spool, shipped to moto),
# with the shipper's drain rate and the spool's size.
#
# When the team's side-by-side harness is beside the project (../shared/bench), the
# same run also loads a bare-axum floor and a Node (Fastify) peer and prints ratios.
# BASELINE_BIN=path/to/jewelry-server adds another build of the server (an earlier
# commit's, say) to the stdout-only runs, right after this one, with the ratio;
# BIN=path/to/jewelry-server loads that build instead of building one.
# ROUNDS=N runs alternating rounds instead (floor, stdout, CloudWatch live, CloudWatch
# unreachable, in turn, N times; with BASELINE_BIN, that build on stdout too) and
# prints the medians and their ratios.
#   DUR=10s CONNS=64 THREADS=1 bench/ingest.sh
#   ROUNDS=3 DUR=8s bench/ingest.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
dur=${DUR:-10s}; conns=${CONNS:-64}; threads=${THREADS:-1}
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null; }

if [ -z "${BIN:-}" ]; then
  install_build_tools
  build_release_shop
fi
work=$(mktemp -d)
port=${BENCH_PORT:-3950}
server=
stop_server() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; server=; fi
}
trap 'stop_server; stop_moto; rm -rf "$work"' EXIT

# Starts the release server ($BIN, this build by default) on a fresh data directory
# with the extra settings given as NAME=value arguments; its lines go to
# $work/<label>.log.
start_server() {
  local label=$1; shift
  rm -rf "$work/data-$label"
  env APP_DATA_DIR="$work/data-$label" LEPTOS_SITE_ADDR="127.0.0.1:$port" APP_LOGS__LEVEL=warn "$@" \
    "${BIN:-$CARGO_TARGET_DIR/release/jewelry-server}" >"$work/$label.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && return; sleep 0.1; done
  echo "the server did not start:" >&2; tail "$work/$label.log" >&2; exit 1
}

metric() { curl -s "http://127.0.0.1:$port/metrics" | awk -v m="$1" '$1==m {print $2}' | tail -1; }

# Loads /events with single events and batches of ten; prints a row per body.
load() {
  local label=$1
  for spec in single.json:1 batch10.json:10; do
    body=${spec%%:*}; per=${spec##*:}
    out=$(BODY="$work/$body" wrk -t"$threads" -c"$conns" -d"$dur" --latency -s bench/post.lua "http://127.0.0.1:$port" 2>&1)
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    eps["$label/$body"]=$(awk -v r="$rps" -v p="$per" 'BEGIN{print r*p}')
    printf '%-11s %-12s %9.0f req/s %10.0f events/s  p50 %-9s p99 %-9s non-2xx %s\n' "$label" "$body" "$rps" \
      "$(awk -v r="$rps" -v p="$per" 'BEGIN{print r*p}')" \
      "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")" \
      "$(awk '/Non-2xx/ {print $NF}' <<<"$out" | grep . || echo 0)"
  done
}

shared=../shared/bench/ingest.sh
python3 bench/payloads.py "$work"
declare -A eps

# One wrk run of $dur: events/s the server at $1 took (answered 2xx) with body $2
# ($3 events each). A refusal (503 spool_full, say) is quick and would count as
# throughput if every answer did.
events_per_s() {
  local out
  out=$(BODY="$work/$2" wrk -t"$threads" -c"$conns" -d"$dur" --latency -s bench/post.lua "$1" 2>&1)
  awk -v p="$3" '
    / requests in / { n = $1; secs = $4; sub(/s,?$/, "", secs) }
    /Non-2xx/ { refused = $NF }
    END { printf "%.0f", (n - refused) / secs * p }' <<<"$out"
}

# CPU seconds (user + system) process $1 has used so far.
cpu_secs() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"; }

median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

# ROUNDS=N: alternating rounds instead of one run each. Single 10 s runs move by 2x
# between runs here, so every server is loaded in turn within each round (the
# bare-axum floor, this shop on stdout only, the shop with CloudWatch shipping live
# to moto, the shop with CloudWatch unreachable), N rounds, and the medians and
# their ratios are printed. Every server runs all the time; only one is loaded at
# a time.
if [ -n "${ROUNDS:-}" ]; then
  declare -A pids
  serve_as() { # label port NAME=value...
    local label=$1 p=$2; shift 2
    env APP_DATA_DIR="$work/data-$label" LEPTOS_SITE_ADDR="127.0.0.1:$p" APP_LOGS__LEVEL=warn "$@" \
      "${BIN:-$CARGO_TARGET_DIR/release/jewelry-server}" >"$work/$label.log" 2>&1 &
    pids[$label]=$!
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$p/health" >/dev/null && return; sleep 0.1; done
    echo "$label did not start:" >&2; tail "$work/$label.log" >&2; exit 1
  }
  trap 'kill ${pids[*]:-} $proxy 2>/dev/null; stop_moto; rm -rf "$work"' EXIT
  proxy=
  cache=${BENCH_CACHE:-/tmp/bench-peers}
  [ -d ../shared/bench/peers/limit ] || { echo "the floor (../shared/bench/peers/limit) is missing" >&2; exit 1; }
  mkdir -p "$cache" && cp -r ../shared/bench/peers/limit "$cache/" && chmod -R u+w "$cache/limit"
  (cd "$cache/limit" && env -u CARGO_TARGET_DIR cargo build --release -q)
  PORT=$((port + 10)) "$cache/limit/target/release/peer-limit" >/dev/null 2>&1 &
  pids[floor]=$!
  start_moto
  moto_pid=$(pgrep -f "moto_server -H 127.0.0.1 -p ${MOTO_PORT:-5000}" | head -1)
  proxy_port=$((port + 1)); down_flag="$work/cloudwatch-down"
  python3 bench/proxy.py "$proxy_port" "${TEST_MOTO_URL#http://}" "$down_flag" &
  proxy=$!
  cw=(AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true AWS_ENDPOINT_URL="http://127.0.0.1:$proxy_port"
    AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench)
  serve_as stdout "$port"
  labels=(floor stdout cw-live cw-down)
  if [ -n "${BASELINE_BIN:-}" ]; then
    BIN=$BASELINE_BIN serve_as baseline $((port + 5))
    labels=(floor baseline stdout cw-live cw-down)
  fi
  # Spools big enough for every round: the default 1 GiB fills within a round with
  # CloudWatch unreachable, and is then answered at once with 503 spool_full.
  cw+=(APP_LOGS__CLOUDWATCH__SPOOL_MAX_BYTES=$((16 * 1024 * 1024 * 1024)))
  serve_as cw-live $((port + 2)) APP_LOGS__CLOUDWATCH__GROUP=/bench/live "${cw[@]}"
  # Unreachable: its own endpoint, where nothing listens.
  serve_as cw-down $((port + 3)) APP_LOGS__CLOUDWATCH__GROUP=/bench/down "${cw[@]}" \
    AWS_ENDPOINT_URL="http://127.0.0.1:$((port + 4))"
  sleep 1
  declare -A url=([floor]="http://127.0.0.1:$((port + 10))" [stdout]="http://127.0.0.1:$port"
    [cw-live]="http://127.0.0.1:$((port + 2))" [cw-down]="http://127.0.0.1:$((port + 3))"
    [baseline]="http://127.0.0.1:$((port + 5))")
  say "alternating rounds: $ROUNDS x (${labels[*]}), $dur each, $conns connections"
  results="$work/rounds"
  for round in $(seq 1 "$ROUNDS"); do
    for spec in single.json:1 batch10.json:10; do
      body=${spec%%:*}; per=${spec##*:}
      for label in "${labels[@]}"; do
        before=$( [ "$label" = cw-live ] && [ -n "$moto_pid" ] && cpu_secs "$moto_pid" || echo 0)
        e=$(events_per_s "${url[$label]}" "$body" "$per")
        after=$( [ "$label" = cw-live ] && [ -n "$moto_pid" ] && cpu_secs "$moto_pid" || echo 0)
        moto=$(awk -v a="$after" -v b="$before" 'BEGIN {printf "%.1f", a - b}')
        printf 'round %d %-12s %-8s %9s events/s%s\n' "$round" "$body" "$label" "$e" \
          "$([ "$label" = cw-live ] && echo "  (moto used $moto CPU s)")"
        echo "$body $label $e $moto" >>"$results"
      done
      sync
    done
  done
  say "medians of $ROUNDS rounds"
  for body in single.json batch10.json; do
    declare -A med=()
    for label in "${labels[@]}"; do
      med[$label]=$(awk -v b="$body" -v l="$label" '$1==b && $2==l {print $3}' "$results" | median)
    done
    moto=$(awk -v b="$body" '$1==b && $2=="cw-live" {print $4}' "$results" | median)
    printf '%-12s floor %8.0f  stdout %8.0f  cw-live %8.0f  cw-down %8.0f events/s\n' "$body" \
      "${med[floor]}" "${med[stdout]}" "${med[cw-live]}" "${med[cw-down]}"
    awk -v b="$body" -v f="${med[floor]}" -v s="${med[stdout]}" -v l="${med[cw-live]}" -v d="${med[cw-down]}" -v m="$moto" \
      'BEGIN { printf "ratio %-12s stdout/floor %.2f  cw-live/stdout %.2f (moto %.1f CPU s per run)  cw-down/stdout %.2f\n", b, s / f, l / s, m, d / s }'
    if [ -n "${BASELINE_BIN:-}" ]; then
      awk -v b="$body" -v f="${med[floor]}" -v s="${med[stdout]}" -v o="${med[baseline]}" \
        'BEGIN { printf "ratio %-12s baseline %.0f events/s: baseline/floor %.2f, this build/baseline %.2f\n", b, o, o / f, s / o }'
    fi
  done
  exit 0
fi

say "stdout only (the embedded default)"
start_server stdout
if [ -f "$shared" ]; then
  say "side by side: bare axum floor, Node peer, this project"
  # The peers build into their own target directory.
  env -u CARGO_TARGET_DIR DUR="$dur" CONNS="$conns" THREADS="$threads" bash "$shared" "http://127.0.0.1:$port"
fi
load stdout
say "stdout only: peak RSS $(awk '/VmHWM/ {print $2, $3}' "/proc/$server/status"), clickstream lines $(grep -c '"logType":"clickstream"' "$work/stdout.log" || true)"
stop_server
# The runs share one disk: the next starts once this one's gigabytes of log are
# written back, not while the kernel flushes them (that stalled requests for
# hundreds of milliseconds in whichever run came next).
sync
if [ -n "${BASELINE_BIN:-}" ]; then
  say "stdout only, the baseline build ($BASELINE_BIN)"
  BIN=$BASELINE_BIN start_server baseline
  load baseline
  stop_server
  for body in single.json batch10.json; do
    awk -v b="$body" -v s="${eps[stdout/$body]}" -v o="${eps[baseline/$body]}" \
      'BEGIN { printf "ratio %-12s events/s this build / the baseline: %.2f\n", b, s / o }'
  done
  sync
fi

# Lines shipped and the time it took the spool to empty, from now; at most 180 s.
drain() {
  local label=$1 t0 s0
  local spool_start waited=0
  spool_start=$(metric jewelry_log_spool_bytes)
  s0=$(metric jewelry_log_lines_shipped_total)
  # After an outage the shipper may be in its backoff (up to 30 s): the rate counts
  # from its first send.
  while [ "$(metric jewelry_log_lines_shipped_total)" = "$s0" ] && [ "$(metric jewelry_log_spool_bytes)" != 0 ] && [ $waited -lt 120 ]; do
    sleep 0.25; waited=$((waited + 1))
  done
  t0=$(date +%s.%N); s0=$(metric jewelry_log_lines_shipped_total)
  for _ in $(seq 1 360); do
    [ "$(metric jewelry_log_spool_bytes)" = 0 ] && break
    sleep 0.5
  done
  awk -v s0="${s0:-0}" -v s1="$(metric jewelry_log_lines_shipped_total)" -v t0="$t0" -v t1="$(date +%s.%N)" \
    -v b="${spool_start:-0}" -v e="$(metric jewelry_log_spool_bytes)" -v l="$label" 'BEGIN {
    printf "%-11s drain: spool %.1f MB when the load ended; then %d lines into moto in %.1f s (%.0f lines/s); spool %d bytes at the end\n",
      l, b / 1e6, s1 - s0, t1 - t0, (s1 - s0) / (t1 - t0), e }'
}

say "CloudWatch Logs on: every line through the spool, shipped to moto behind a proxy"
start_moto
proxy_port=$((port + 1)); down_flag="$work/cloudwatch-down"
python3 bench/proxy.py "$proxy_port" "${TEST_MOTO_URL#http://}" "$down_flag" &
proxy=$!
trap 'stop_server; kill $proxy 2>/dev/null; stop_moto; rm -rf "$work"' EXIT
start_server cloudwatch APP_LOGS__CLOUDWATCH__GROUP=/bench/ingest AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true \
  AWS_ENDPOINT_URL="http://127.0.0.1:$proxy_port" AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench
# Shipping while loaded: the shipper and moto (Python) share the two cores with the load.
load cw-live
drain cw-live
sync
# CloudWatch unreachable: the spool alone (the shipper backs off), then the backlog.
touch "$down_flag"
load cw-down
rm -f "$down_flag"
drain cw-down
say "CloudWatch on: peak RSS $(awk '/VmHWM/ {print $2, $3}' "/proc/$server/status"), lines on stdout $(grep -c . "$work/cloudwatch.log" || true), spool bytes at the end $(metric jewelry_log_spool_bytes)"
for body in single.json batch10.json; do
  awk -v b="$body" -v s="${eps[stdout/$body]}" -v l="${eps[cw-live/$body]}" -v d="${eps[cw-down/$body]}" \
    'BEGIN { printf "ratio %-12s events/s with the spool / stdout only: %.2f shipping live, %.2f CloudWatch unreachable\n", b, l / s, d / s }'
done
