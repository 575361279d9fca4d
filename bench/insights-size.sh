#!/usr/bin/env bash
# How big the insights tables grow: 10,000 sessions (SESSIONS=) with a shop's usual
# mix of steps, counted through the server's own writer
# (server/examples/insights_size.rs), on SQLite and, with PostgreSQL on this
# machine, on a fresh PostgreSQL database; all on one day, then spread over 30.
# Prints each table's rows and bytes (indexes included).
#   SESSIONS=10000 bench/insights-size.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
say "building the sizing example"
# In a target directory of its own: cargo-leptos builds the release server with
# LEPTOS_* variables that leptos reads at compile time, so a plain `cargo build
# --release` in the shop's would rebuild leptos, the app and the server, and the
# next `build_release_shop` all of them again.
target="$CARGO_TARGET_DIR-insights-size"
CARGO_TARGET_DIR=$target cargo build --release -q -p jewelry-server --example insights_size
bin="$target/release/examples/insights_size"
for days in 1 30; do
  DAYS=$days "$bin"
  echo
done
start_test_postgres
name="shop_test_size_$$"
psql -q "$TEST_POSTGRES_URL" -c "CREATE DATABASE $name"
trap 'psql -q "$TEST_POSTGRES_URL" -c "DROP DATABASE IF EXISTS $name" || true' EXIT
DATABASE_URL="${TEST_POSTGRES_URL%/*}/$name" DAYS=1 "$bin"
