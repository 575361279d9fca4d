#!/usr/bin/env bash
# Runs every test: formatting and lints; the Rust unit, property and integration
# tests (the integration tests on SQLite, then on PostgreSQL; Cognito tokens from
# moto; the S3 adapter against SeaweedFS); then the end-to-end tests in headless
# Chromium. Installs what is missing (PostgreSQL, moto, SeaweedFS and Chromium too).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
install_build_tools

say "cargo fmt --check"
cargo fmt --all -- --check
say "cargo clippy (server and browser builds)"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p jewelry-app --features hydrate --target wasm32-unknown-unknown -- -D warnings
install_integration_tools
say "starting moto (Cognito user pools for the token tests)"
start_moto
trap 'stop_moto; stop_seaweedfs' EXIT
say "starting SeaweedFS (S3 with SigV4 checks, for the S3 adapter's tests)"
start_seaweedfs
# The emulator tests fail, rather than skip, if an emulator is missing.
export TEST_REQUIRE_EMULATORS=1
# A TEST_POSTGRES_URL from the caller names the PostgreSQL for the second pass;
# the first pass is SQLite's, so it must not see it.
caller_postgres_url=${TEST_POSTGRES_URL:-}
unset TEST_POSTGRES_URL
say "cargo test (SQLite)"
cargo test --workspace
say "integration tests again on PostgreSQL"
if [ -n "$caller_postgres_url" ]; then export TEST_POSTGRES_URL=$caller_postgres_url; fi
start_test_postgres
cargo test -p jewelry-server --test api
say "end-to-end tests"
scripts/e2e.sh
