# The shop as a container image: the build the README's scripts do (cargo-leptos,
# the wasm-bindgen CLI and wasm-opt, as scripts/lib.sh installs them), then a slim
# runtime with the binary and the built site, running as a user of its own.
#
#   docker build -t lumen-shop .
#   docker run -p 3000:3000 -e LEPTOS_SITE_ADDR=0.0.0.0:3000 lumen-shop
#
# The runtime is configured like the binary (README, Configuration); in the AWS
# profile the task definition passes the two secrets' ids (deploy/aws/template.yaml).

FROM rust:1.95-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
ENV CARGO_TARGET_DIR=/src/target
# The tools first, so a change to the code does not install them again.
COPY scripts/lib.sh scripts/lib.sh
RUN bash -c '. scripts/lib.sh && install_build_tools'
COPY . .
RUN cargo leptos build --release --split && node scripts/precompress.mjs target/site

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/lumen --create-home --shell /usr/sbin/nologin lumen
COPY --from=build /src/target/release/jewelry-server /usr/local/bin/jewelry-server
# The built files' hashed names, read beside the binary.
COPY --from=build /src/target/release/hash.txt /usr/local/bin/hash.txt
COPY --from=build /src/target/site /usr/share/lumen/site
ENV LEPTOS_SITE_ROOT=/usr/share/lumen/site \
    LEPTOS_SITE_ADDR=0.0.0.0:3000 \
    APP_DATA_DIR=/var/lib/lumen
USER lumen
WORKDIR /var/lib/lumen
EXPOSE 3000
# SIGTERM: requests in flight finish, the log is flushed and the spool shipped.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/jewelry-server"]
