#!/usr/bin/env bash
# Page benchmark: builds the release shop, starts it on a fresh, seeded data directory,
# and loads its storefront pages with wrk (GET, server-rendered on every request):
# home, catalog, a search with a sort, searches with accents and typos, a product page, and a product sold by size and
# metal (without a choice, with one, and its variants in turn). In the same run, when the
# team's harness is beside the project (../shared/bench), it loads the bare-axum static
# page (the floor: `peers/limit`'s /page) and the Next.js catalog peer
# (`peers/next-catalog`, the same catalog page from a copy of the same data, rendered
# per request), and prints each page's requests/s, p50/p99 and ratio to the floor, and
# the shop's catalog against Next.js's. The shop's pages are loaded as a visitor
# without the shop's cookies (the kept pages) and, for the catalog and a product,
# with a cart's cookie (rendered on every request, as for a signed-in shopper or one
# with a cart).
#   DUR=10s CONNS=32 THREADS=2 bench/pages.sh
# BASELINE_BIN=path/to/jewelry-server loads another build's pages right after this one's;
# BIN=path/to/jewelry-server loads that build instead of building one.
# ROUNDS=N with BASELINE_BIN: both builds served at once, loaded in alternating rounds
# (this build, the baseline, N times; no peers), then the medians and their ratios.
#   ROUNDS=3 DUR=8s BIN=... BASELINE_BIN=... bench/pages.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
dur=${DUR:-10s}; conns=${CONNS:-32}; threads=${THREADS:-2}
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null; }

if [ -z "${BIN:-}" ]; then
  install_build_tools
  build_release_shop
fi
bin=${BIN:-$CARGO_TARGET_DIR/release/jewelry-server}
work=$(mktemp -d)
port=${BENCH_PORT:-3950}
pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  pids=()
}
trap 'stop_all; rm -rf "$work"' EXIT

wait_for() { # url log [tenths of a second]
  for _ in $(seq 1 "${3:-600}"); do curl -sf -o /dev/null "$1" && return; sleep 0.1; done
  echo "nothing answered at $1:" >&2; tail "$2" >&2; exit 1
}

# Starts a shop build ($2) on its own fresh data directory, on port $3 ($port by default).
start_shop() {
  local label=$1 bin=$2 at=${3:-$port}
  env APP_DATA_DIR="$work/data-$label" LEPTOS_SITE_ADDR="127.0.0.1:$at" LEPTOS_SITE_ROOT=target/site \
    APP_LOGS__LEVEL=warn "$bin" >"$work/$label.log" 2>&1 &
  pids+=($!)
  wait_for "http://127.0.0.1:$at/health" "$work/$label.log"
}

# One wrk run: label, URL, extra wrk arguments; prints a row and records requests/s.
run() {
  local label=$1 url=$2 out rps
  shift 2
  out=$(wrk -t"$threads" -c"$conns" -d"$dur" --latency "$@" "$url" 2>&1)
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  printf '%-27s %9.0f req/s  p50 %-9s p99 %-9s non-2xx %s\n' "$label" "$rps" \
    "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")" \
    "$(awk '/Non-2xx/ {print $NF}' <<<"$out" | grep . || echo 0)"
  echo "$label $rps" >>"$work/results"
}

product=aurora-solitaire-ring
variant_product=blush-eternity-band
load_shop() { # label prefix [port]
  local p=$1 base="http://127.0.0.1:${2:-$port}"
  run "$p home" "$base/"
  run "$p catalog" "$base/catalog"
  run "$p search+sort" "$base/catalog?q=ring&sort=price_asc"
  # Searches as shoppers type them, in turn: with accents, without, and with a typo.
  cat >"$work/search.lua" <<'LUA'
local queries = { "c%C3%A9leste", "celeste", "daimond", "saphire+studs", "PEARL", "r%C3%BAby+p%C3%A9ndant",
  "ruby+pendant", "emrald" }
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/catalog?q=" .. queries[n % #queries + 1])
end
LUA
  run "$p search (accents, typos)" "$base/catalog" -s "$work/search.lua"
  run "$p product" "$base/products/$product"
  # A product sold by size and metal: without a choice, with one in its address, and
  # a shopper trying the variants in turn (each choice its own kept page). A build
  # from before variants serves the same addresses as the plain product's page.
  run "$p product w/ variants" "$base/products/$variant_product"
  run "$p product, variant chosen" "$base/products/$variant_product?variant=BEB-12-PT"
  cat >"$work/variants.lua" <<'LUA'
local skus = {}
for _, size in ipairs({ "10", "11", "12", "13", "14" }) do
  for _, metal in ipairs({ "RG", "YG", "WG", "PT" }) do skus[#skus + 1] = "BEB-" .. size .. "-" .. metal end
end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/products/blush-eternity-band?variant=" .. skus[n % #skus + 1])
end
LUA
  run "$p product, variants in turn" "$base/products/$variant_product" -s "$work/variants.lua"
  # A shopper with a cart is sent the kept pages too (the browser then reads the
  # cart for the header's badge, one POST /api/cart/count a page load), and so is a
  # signed-in shopper, with their own account links in the header.
  local cart signed
  cart=$(cart_cookie "$base")
  run "$p catalog, with a cart" "$base/catalog" -H "Cookie: $cart"
  printf 'wrk.method = "POST"\nwrk.headers["Accept"] = "application/json"\n' >"$work/post.lua"
  run "$p cart badge's read" "$base/api/cart/count" -s "$work/post.lua" -H "Cookie: $cart" -H "Origin: $base"
  signed=$(signed_in_cookie "$base")
  run "$p catalog, signed in" "$base/catalog" -H "Cookie: $cart; $signed"
  run "$p product, signed in" "$base/products/$product" -H "Cookie: $cart; $signed"
}

# The sign-in cookie of the development provider's shopper account.
signed_in_cookie() { # base URL
  local cookie
  cookie=$(curl -s -o /dev/null -D - -H "Origin: $1" \
    --data "username=shopper&password=lumen-shopper-dev&return_to=/" "$1/auth/dev/login" |
    sed -n 's/^set-cookie: *\(jw_id=[^;]*\).*/\1/Ip')
  [ -n "$cookie" ] || { echo "signing in set no cookie" >&2; exit 1; }
  echo "$cookie"
}

# The cookie of a new cart holding one of the product, as the shop sets it.
cart_cookie() { # base URL
  local cookie
  cookie=$(curl -sf -o /dev/null -D - -H "Origin: $1" --data "product_id=$product&quantity=1" "$1/api/cart/add" |
    sed -n 's/^set-cookie: *\(jw_cart=[^;]*\).*/\1/Ip')
  [ -n "$cookie" ] || { echo "adding to a cart set no cart cookie" >&2; exit 1; }
  echo "$cookie"
}

if [ -n "${ROUNDS:-}" ]; then
  [ -n "${BASELINE_BIN:-}" ] || { echo "ROUNDS needs BASELINE_BIN" >&2; exit 1; }
  start_shop shop "$bin" "$port"
  start_shop baseline "$BASELINE_BIN" $((port + 1))
  say "this build and the baseline in alternating rounds, $conns connections, $threads wrk threads, $dur each"
  for round in $(seq 1 "$ROUNDS"); do
    say "round $round of $ROUNDS"
    load_shop shop "$port"
    load_shop baseline $((port + 1))
  done
  awk '{rps=$NF; $NF=""; sub(/ $/, ""); n[$0]++; v[$0, n[$0]] = rps} END {
    for (k in n) { c = n[k]; for (i = 1; i <= c; i++) a[i] = v[k, i];
      for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      med[k] = (c % 2) ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2 }
    for (k in med) if (k ~ /^shop /) { b = k; sub(/^shop/, "baseline", b);
      printf "median %-27s %9.0f req/s, baseline %9.0f, ratio %.3f\n", k, med[k], med[b], med[k] / med[b] }
  }' "$work/results" | sort
  exit 0
fi

say "the shop ($(git rev-parse --short HEAD 2>/dev/null || echo this build))"
start_shop shop "$bin"
curl -sf -o /dev/null "http://127.0.0.1:$port/products/$product" || { echo "no product $product" >&2; exit 1; }

shared=../shared/bench
if [ -d "$shared/peers/limit" ]; then
  cache=${BENCH_CACHE:-/tmp/bench-peers}; mkdir -p "$cache"
  cp -r "$shared/peers/limit" "$cache/" 2>/dev/null; chmod -R u+w "$cache/limit"
  (cd "$cache/limit" && env -u CARGO_TARGET_DIR cargo build --release -q)
  PORT=3902 "$cache/limit/target/release/peer-limit" >"$work/limit.log" 2>&1 &
  pids+=($!)
  say "the Next.js catalog peer (built once in $cache)"
  # Its run.sh does not parse as it is (an apostrophe in the `${SHOP_DB:?...}`
  # message opens a quote): a copy with that message mended, beside its sources.
  rm -rf "$cache/next-catalog-src"; cp -r "$shared/peers/next-catalog" "$cache/next-catalog-src"
  chmod -R u+w "$cache/next-catalog-src"; rm -rf "$cache/next-catalog-src/node_modules" "$cache/next-catalog-src/.next"
  sed -i "s/the shop's SQLite file (APP_DATA_DIR/the SQLite file of a shop (APP_DATA_DIR/" "$cache/next-catalog-src/run.sh"
  SHOP_DB="$work/data-shop/shop.db" SHOP_SITE_ROOT=target/site PORT=3903 BENCH_CACHE=$cache \
    bash "$cache/next-catalog-src/run.sh" >"$work/next.log" 2>&1 &
  pids+=($!)
  wait_for http://127.0.0.1:3902/page "$work/limit.log"
  # Its first run installs and builds it (minutes).
  wait_for http://127.0.0.1:3903/catalog "$work/next.log" 9000
  say "side by side, $conns connections, $threads wrk threads, $dur each"
  run "floor static /page" http://127.0.0.1:3902/page
  run "next.js catalog" http://127.0.0.1:3903/catalog
  run "next.js search+sort" "http://127.0.0.1:3903/catalog?q=ring&sort=price_asc"
fi
load_shop shop

if [ -n "${BASELINE_BIN:-}" ]; then
  kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true
  say "the baseline build ($BASELINE_BIN)"
  start_shop baseline "$BASELINE_BIN"
  load_shop baseline
fi

awk '{rps=$NF; $NF=""; sub(/ $/, ""); r[$0]=rps} END {
  floor = r["floor static /page"];
  for (k in r) if (floor > 0 && k != "floor static /page") printf "ratio %-27s to the floor %.3f\n", k, r[k]/floor;
  if (r["next.js catalog"] > 0) {
    printf "ratio shop catalog to next.js catalog %.1f\n", r["shop catalog"]/r["next.js catalog"];
    printf "ratio shop search+sort to next.js search+sort %.1f\n", r["shop search+sort"]/r["next.js search+sort"];
  }
  if (r["baseline catalog"] > 0) for (k in r) if (k ~ /^shop /) { b = k; sub(/^shop/, "baseline", b);
    printf "ratio %-27s to the baseline %.2f\n", k, r[k]/r[b] }
}' "$work/results" | sort
