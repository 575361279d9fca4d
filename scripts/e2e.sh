#!/usr/bin/env bash
# Builds the shop, starts it on a fresh data directory with its log captured, runs
# the Playwright tests against it in headless Chromium, and stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
install_build_tools
install_test_tools

say "building the site and the server (cargo leptos build)"
cargo leptos build

work=$(mktemp -d)
# A port nobody listens on (E2E_PORT chooses one), so the tests can only reach the
# server started here.
port=${E2E_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
  echo "something already answers on 127.0.0.1:$port; choose another E2E_PORT" >&2
  exit 1
fi
export E2E_BASE_URL="http://127.0.0.1:$port"
export E2E_SERVER_LOG="$work/server.log"
say "starting the server at $E2E_BASE_URL (data and log in $work)"
APP_DATA_DIR="$work/data" LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT=target/site \
  "$CARGO_TARGET_DIR/debug/jewelry-server" >"$E2E_SERVER_LOG" 2>&1 &
server=$!
stop() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
}
trap stop EXIT

# Healthy means this process is alive and its port answers /health.
healthy=
for _ in $(seq 1 600); do
  if ! kill -0 "$server" 2>/dev/null; then break; fi
  if curl -sf -o /dev/null "$E2E_BASE_URL/health"; then healthy=1; break; fi
  sleep 0.2
done
if [ -z "$healthy" ] || ! kill -0 "$server" 2>/dev/null; then
  say "the server did not become healthy; its last log lines:"
  tail -n 40 "$E2E_SERVER_LOG" >&2 || true
  exit 1
fi

status=0
(cd end2end && npx playwright test "$@") || status=$?
if [ "$status" -ne 0 ]; then
  say "the server's last log lines:"
  tail -n 40 "$E2E_SERVER_LOG" >&2 || true
fi
exit "$status"
