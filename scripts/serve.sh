#!/usr/bin/env bash
# Installs what is missing, builds the shop and serves it at http://127.0.0.1:3000
# on the embedded default: SQLite and the seeded catalog under ./data, logs on stdout.
# With APP_TLS__SELF_SIGNED=true (or APP_TLS__CERT_FILE) it serves HTTPS at
# https://127.0.0.1:3443. Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
install_build_tools
scheme=http
if [[ "${APP_TLS__SELF_SIGNED:-false}" == "true" || -n "${APP_TLS__CERT_FILE:-}" ]]; then
  # cargo-leptos would hand the server its site-addr (:3000); HTTPS has its own port.
  scheme=https
  export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3443}"
fi
build_release_shop "$@"
say "serving at $scheme://${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}" \
  exec "$CARGO_TARGET_DIR/release/jewelry-server"
