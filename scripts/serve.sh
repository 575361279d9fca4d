#!/usr/bin/env bash
# Installs what is missing, builds the shop and serves it at http://127.0.0.1:3000
# on the embedded default: SQLite and the seeded catalog under ./data, logs on stdout.
# Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
install_build_tools
say "building and serving at http://${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
exec cargo leptos serve --release "$@"
