#!/usr/bin/env bash
# Runs every test: formatting and lints; the Rust unit, property and integration
# tests (the integration tests on SQLite, then on PostgreSQL; Cognito tokens from
# moto; the S3 adapter against SeaweedFS); then the end-to-end tests in headless
# Chromium; and the CloudFormation templates (cfn-lint, then deployed to moto).
# Installs what is missing (PostgreSQL, moto, SeaweedFS, cfn-lint, DuckDB and Chromium too).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
install_build_tools

install_deploy_tools
say "cfn-lint (the CloudFormation templates)"
cfn-lint deploy/aws/template.yaml deploy/aws/lightsail.yaml
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
# A TEST_POSTGRES_URL from the caller names the PostgreSQL to use (start_test_postgres
# keeps it); the first pass is SQLite's, so it must not see it.
say "starting PostgreSQL (the AWS profile's database, then the second pass)"
start_test_postgres
# The AWS profile's tests (PostgreSQL with its password in Secrets Manager) run
# in the first pass, on their own databases.
export TEST_AWS_POSTGRES_URL=$TEST_POSTGRES_URL
postgres_url=$TEST_POSTGRES_URL
unset TEST_POSTGRES_URL
say "cargo test (SQLite)"
cargo test --workspace
say "integration tests again on PostgreSQL"
export TEST_POSTGRES_URL=$postgres_url
cargo test -p jewelry-server --test api -- --skip aws_profile::
say "the CloudFormation template deployed to moto, and the shop run against its stack"
SHOP_BIN="$CARGO_TARGET_DIR/debug/jewelry-server" LEPTOS_SITE_ROOT=target/site python3 deploy/aws/moto_deploy_test.py
say "the Lightsail template deployed to moto as far as moto goes, and the shop run with its IAM user's key"
SHOP_BIN="$CARGO_TARGET_DIR/debug/jewelry-server" LEPTOS_SITE_ROOT=target/site python3 deploy/aws/moto_lightsail_test.py
say "end-to-end tests"
scripts/e2e.sh
say "end-to-end test in the AWS profile (secrets, PostgreSQL, CloudWatch Logs on the emulators)"
E2E_PROFILE=aws scripts/e2e.sh tests/aws-profile.spec.ts
say "the release build hydrates every kind of page (its wasm and server are built unlike a debug build's)"
E2E_BUILD=release scripts/e2e.sh tests/hydration.spec.ts
