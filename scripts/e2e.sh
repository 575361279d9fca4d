#!/usr/bin/env bash
# Builds the shop, starts it on a fresh data directory with its log captured, runs
# the Playwright tests against it in headless Chromium, and stops it. The embedded
# default is served over HTTPS with the development certificate, allowing events
# from one other origin (a page the tests serve). With E2E_PROFILE=aws the shop
# runs in the AWS profile against emulators (started here unless TEST_MOTO_URL and
# TEST_S3_URL name running ones), over plain HTTP as behind a TLS-terminating proxy.
# With E2E_BUILD=release the release build is tested (as scripts/serve.sh builds it).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
install_build_tools
install_test_tools

if [ "${E2E_BUILD:-debug}" = release ]; then
  build_release_shop
  profile=release
else
  say "building the site and the server (cargo leptos build --split)"
  cargo leptos build --split
  node scripts/precompress.mjs target/site
  profile=debug
fi

work=$(mktemp -d)
# A port nobody listens on (E2E_PORT chooses one), so the tests can only reach the
# server started here.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=${E2E_PORT:-$(free_port)}
if curl -sk -o /dev/null "http://127.0.0.1:$port/" || curl -sk -o /dev/null "https://127.0.0.1:$port/"; then
  echo "something already answers on 127.0.0.1:$port; choose another E2E_PORT" >&2
  exit 1
fi
export E2E_SERVER_LOG="$work/server.log"
# Pages on two other origins the tests serve: one allowed to send events, one not.
export E2E_ALLOWED_ORIGIN="http://127.0.0.1:$(free_port)" E2E_OTHER_ORIGIN="http://127.0.0.1:$(free_port)"
scheme=https
emulators=
if [ "${E2E_PROFILE:-embedded}" = aws ]; then
  # The AWS profile: secrets from Secrets Manager (moto), PostgreSQL, images on
  # SeaweedFS, every log line shipped to a log group the tests read back.
  install_integration_tools
  if [ -z "${TEST_MOTO_URL:-}" ]; then start_moto; emulators=1; fi
  if [ -z "${TEST_S3_URL:-}" ]; then start_seaweedfs; emulators=1; fi
  start_test_postgres
  prepare_aws_profile "e2e_$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')" "http://127.0.0.1:$port"
  export E2E_LOG_GROUP=$AWS_PROFILE_LOG_GROUP
  scheme=http
fi
export E2E_BASE_URL="$scheme://127.0.0.1:$port"
say "starting the server at $E2E_BASE_URL (data and log in $work)"
self_signed=$([ "$scheme" = https ] && echo true || echo false)
# English at the plain addresses, as the specs read the pages; Vietnamese pages are
# at /vi/ (the shipped default, Vietnamese plain, is held by tests/api/languages.rs).
(unset TEST_POSTGRES_URL; APP_DEFAULT_LOCALE=en APP_TLS__SELF_SIGNED="$self_signed" APP_DATA_DIR="$work/data" LEPTOS_SITE_ADDR="127.0.0.1:$port" \
  LEPTOS_SITE_ROOT=target/site APP_CORS__ALLOWED_ORIGINS="$E2E_ALLOWED_ORIGIN" \
  exec "$CARGO_TARGET_DIR/$profile/jewelry-server") >"$E2E_SERVER_LOG" 2>&1 &
server=$!
# The shop stops on SIGTERM within its grace (requests in flight, then the last
# counters and log lines: under a minute). One that does not is a failure, not a
# run held until CI's time limit.
stop() {
  local code=$?
  if ! stop_pid "$server" "the shop's server" 60; then
    tail -n 20 "$E2E_SERVER_LOG" >&2 || true
    code=1
  fi
  if [ -n "$emulators" ]; then stop_moto; stop_seaweedfs; fi
  # The data directory and the server's log are kept for a failed run only.
  if [ "$code" -eq 0 ]; then rm -rf "$work"; else say "the server's data and log are in $work"; fi
  exit "$code"
}
trap stop EXIT

# Healthy means this process is alive and its port answers /health.
healthy=
for _ in $(seq 1 600); do
  if ! kill -0 "$server" 2>/dev/null; then break; fi
  if curl -sfk -o /dev/null "$E2E_BASE_URL/health"; then healthy=1; break; fi
  sleep 0.2
done
if [ -z "$healthy" ] || ! kill -0 "$server" 2>/dev/null; then
  say "the server did not become healthy; its last log lines:"
  tail -n 40 "$E2E_SERVER_LOG" >&2 || true
  exit 1
fi

if [ "$scheme" = https ]; then
  # Node (global setup, the tests' own requests) trusts the development certificate.
  export NODE_EXTRA_CA_CERTS="$work/data/tls/self-signed-cert.pem" E2E_CERT_FILE="$work/data/tls/self-signed-cert.pem"
fi
status=0
(cd end2end && npx playwright test "$@") || status=$?
if [ "$status" -ne 0 ]; then
  say "the server's last log lines:"
  tail -n 40 "$E2E_SERVER_LOG" >&2 || true
fi
exit "$status"
