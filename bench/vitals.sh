#!/usr/bin/env bash
# Page vitals on an emulated phone (bench/vitals/vitals.cjs): builds the release site
# and server as scripts/serve.sh does, serves them on a fresh data directory, and
# measures home, catalog, a product page and a product sold by options (a variant
# chosen), a first and a repeat visit each.
# BASELINE_BIN and BASELINE_SITE (another build's binary, with its hash.txt beside
# it, and its site) measure that build right after, in the same run; BIN and SITE
# measure that build instead of building one.
#   bench/vitals.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
install_test_tools
if [ -z "${BIN:-}" ]; then
  install_build_tools
  build_release_shop
fi
port=${BENCH_PORT:-3951}
work=$(mktemp -d)
server=
stop_server() { if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; server=; fi; }
trap 'stop_server; rm -rf "$work"' EXIT
measure() { # label binary site
  say "$1"
  env APP_DATA_DIR="$work/data-$1" LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT="$3" APP_LOGS__LEVEL=warn \
    "$2" >"$work/$1.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.1; done
  node bench/vitals/vitals.cjs "http://127.0.0.1:$port" / /catalog /products/aurora-solitaire-ring \
    "/products/blush-eternity-band?variant=BEB-12-PT"
  stop_server
}
measure "this build" "${BIN:-$CARGO_TARGET_DIR/release/jewelry-server}" "${SITE:-target/site}"
if [ -n "${BASELINE_BIN:-}" ]; then
  measure "the baseline build" "$BASELINE_BIN" "${BASELINE_SITE:?set BASELINE_SITE to the site the baseline build made}"
fi
