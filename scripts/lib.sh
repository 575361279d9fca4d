# Shared by the scripts: where builds go, and the tool versions that work together
# (see the README's "Toolchain" section). Sourced, not run.

# Builds go to a cache outside the checkout, so a fresh clone (CI) reuses them.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/jewelry-shop/target}"
export PATH="$HOME/.cargo/bin:$PATH"

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.130
BINARYEN_VERSION=132.0.0

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Installs what building and serving the shop needs, when it is missing.
install_build_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 15 minutes, once)"
    cargo install --locked cargo-leptos --version "$CARGO_LEPTOS_VERSION"
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    # Not --locked: its lock file pins crates this toolchain cannot build.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
  if ! wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
    say "installing wasm-opt (npm binaryen@$BINARYEN_VERSION)"
    npm install --global --no-audit --no-fund "binaryen@$BINARYEN_VERSION" >/dev/null
  fi
}

# Installs what the end-to-end tests need: Chromium and Playwright.
install_test_tools() {
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Chromium"
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  fi
  if [ ! -x end2end/node_modules/.bin/playwright ]; then
    say "installing Playwright (without its browser download)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >/dev/null)
  fi
}
