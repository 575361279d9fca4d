#!/usr/bin/env bash
# The AWS profile on this machine, without an AWS account: starts moto (Secrets
# Manager, CloudWatch Logs), PostgreSQL and SeaweedFS (S3), creates the two
# secrets and the bucket (nothing else: the server creates its log group), and
# serves the shop against them at http://127.0.0.1:3000, printing the command
# that follows the log group. Stop it with Ctrl-C; the emulators stop with it.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
install_build_tools
build_release_shop
start_moto
trap 'stop_moto; stop_seaweedfs' EXIT
start_seaweedfs
start_test_postgres
addr=${LEPTOS_SITE_ADDR:-127.0.0.1:3000}
prepare_aws_profile "local_$(date +%s)" "http://$addr"
data=$(mktemp -d)
say "the AWS profile: APP_CONFIG is $APP_SECRETS__CONFIG_ID, DB_PASSWORD is $APP_SECRETS__DB_PASSWORD_ID, data in $data"
say "follow the log group in another terminal:"
printf '  AWS_ENDPOINT_URL=%s AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local python3 scripts/tail-log-group.py %s\n' \
  "$AWS_ENDPOINT_URL" "$AWS_PROFILE_LOG_GROUP" >&2
say "serving at http://$addr (Ctrl-C stops it and the emulators)"
(unset TEST_POSTGRES_URL; APP_DATA_DIR="$data" LEPTOS_SITE_ADDR="$addr" LEPTOS_SITE_ROOT=target/site \
  exec "$CARGO_TARGET_DIR/release/jewelry-server")
