//! Wiring: settings and logs in, a served application out. [`router`] mounts every
//! route, so the whole HTTP surface is listed there:
//! - the pages (Leptos's routes, rendered on the server) and the server functions
//!   they call, `POST /api/...`;
//! - `POST /events`, the clickstream (a server function on a router of its own);
//! - `GET /health` and `GET /metrics`;
//! - `GET /robots.txt` and `GET /sitemap.xml`, for search engines;
//! - `/auth/login`, `/auth/logout`, and the provider's own: `/auth/callback`
//!   (Cognito) or `/auth/dev/login` and `/dev-idp/.well-known/jwks.json`;
//! - the local object store's `PUT /uploads/{key}` and `GET /media/{key}`;
//! - the built site (`/pkg/...`, static files) as the fallback.

use crate::auth::{self, Auth, Provider};
use crate::config::{AuthSettings, Loaded, Settings, SiteSettings, TlsOn, TlsSettings};
use crate::db::Database;
use crate::idle::IdleAcceptor;
use crate::ingest::Ingest;
use crate::insights::{Insights, ShopDays};
use crate::logs::LogSink;
use crate::media::local::{self, LocalStore};
use crate::media::{self, MediaService, ObjectStore};
use crate::origin::{self, EventOrigins};
use crate::page_cache::{self, PageCache};
use crate::request::{self, RequestLayer};
use crate::shop::{CatalogCache, SqlShop};
use crate::tls::Tls;
use crate::{db, metrics, seed, seo, server_fns};
use anyhow::Context;
use axum::Router;
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum_server::tls_rustls::RustlsAcceptor;
use jewelry_app::api::SignInOptions;
use jewelry_app::events::EVENTS_PATH;
use jewelry_app::services::Clickstream;
use jewelry_app::services::{PagePolicy, ShopContext};
use jewelry_app::{App, shell};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list_with_exclusions};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

/// What handlers and server functions share. Built once; cloned per request.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub ingest: Arc<Ingest>,
    pub shop: ShopContext,
    pub pool: Database,
    pub logs: LogSink,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The Leptos options: cargo-leptos's when it built or runs the binary, else the
/// project's defaults; the site's root from the settings, its address the one bound.
pub fn leptos_options(site: &SiteSettings, bound: SocketAddr) -> LeptosOptions {
    let from_cargo_leptos = std::env::var("LEPTOS_OUTPUT_NAME").is_ok() || option_env!("LEPTOS_OUTPUT_NAME").is_some();
    let configured = from_cargo_leptos.then(|| leptos::config::get_configuration(None).ok()).flatten();
    let mut options = match configured {
        Some(conf) => conf.leptos_options,
        None => LeptosOptions::builder()
            .output_name("jewelry")
            .site_root(site.root.to_string_lossy().into_owned())
            .site_pkg_dir("pkg")
            .build(),
    };
    if options.output_name.is_empty() {
        options.output_name = Arc::from("jewelry");
    }
    options.site_root = Arc::from(site.root.to_string_lossy().as_ref());
    options.site_addr = bound;
    // The built site's names carry content hashes when the build that made this
    // binary left their list beside it (cargo-leptos's `hash-files`); without the
    // list Leptos could not name the files, so it decides.
    options.hash_files = jewelry_app::backend::hash_file(&options).is_some();
    options
}

pub struct Application {
    listener: std::net::TcpListener,
    tls: Option<Tls>,
    /// Plain HTTP answered with redirects to HTTPS (`tls.redirect_addr`).
    redirect: Option<std::net::TcpListener>,
    router: Router,
    /// Written out when the server stops.
    insights: Arc<Insights>,
    /// A connection with no request in flight for this long is closed.
    idle_timeout: Duration,
}

/// A request's headers must arrive within this long of its connection or of the
/// request before it; a client that trickles them is cut off.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// A new connection's TLS handshake must finish within this long.
pub const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// A request body (a form, a server function's arguments) holds at most this much,
/// except an upload's and `/events`' (their own limits).
pub const MAX_REQUEST_BYTES: usize = 256 * 1024;
/// A request is answered within this long, or with `408`.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// `/events` answers within this long.
pub const EVENTS_TIMEOUT: Duration = Duration::from_secs(10);
/// An image upload to the local store (5 MiB at most) finishes within this long.
pub const UPLOAD_TIMEOUT: Duration = Duration::from_secs(120);
/// An HTTP/2 connection is pinged this often, so a peer that vanished is noticed.
pub const H2_PING_EVERY: Duration = Duration::from_secs(20);
/// A ping not answered within this long closes the connection.
pub const H2_PING_TIMEOUT: Duration = Duration::from_secs(20);
/// On shutdown, requests in flight get this long to finish.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(20);

impl Application {
    /// Connects the database (migrating and seeding it), and binds the settings'
    /// `site.addr` (port 0 picks a free one).
    pub async fn build(settings: Settings, logs: LogSink) -> anyhow::Result<Application> {
        Self::build_loaded(Loaded { settings, refresher: None }, logs).await
    }

    /// [`Application::build`] with what [`Settings::load`] read, secrets included
    /// (the database's password is then kept current).
    pub async fn build_loaded(loaded: Loaded, logs: LogSink) -> anyhow::Result<Application> {
        let (store, local_store) = media::store_from_settings(&loaded.settings).await?;
        Self::assemble(loaded, logs, store, local_store).await
    }

    /// [`Application::build`] with an object store made by the caller (tests give
    /// it an S3 client with an emulator's credentials).
    pub async fn build_with_store(
        settings: Settings,
        logs: LogSink,
        store: Arc<dyn ObjectStore>,
        local_store: Option<Arc<LocalStore>>,
    ) -> anyhow::Result<Application> {
        Self::assemble(Loaded { settings, refresher: None }, logs, store, local_store).await
    }

    async fn assemble(
        loaded: Loaded,
        logs: LogSink,
        store: Arc<dyn ObjectStore>,
        local_store: Option<Arc<LocalStore>>,
    ) -> anyhow::Result<Application> {
        let Loaded { settings, refresher } = loaded;
        let pool = db::connect(&settings, refresher.map(Arc::new)).await?;
        if settings.seed_catalog && seed::seed_if_empty(&pool).await? {
            tracing::info!("added the demo catalog to an empty database");
        }
        let policy = page_policy(&settings, store.as_ref()).await?;
        let root = settings.site.root.clone();
        tokio::task::spawn_blocking(move || drop_stale_precompressed(&root)).await.context("a blocking task failed")?;
        let catalog = Arc::new(CatalogCache::new(settings.catalog_cache));
        anyhow::ensure!(
            settings.insights.retention_days >= 30,
            "APP_INSIGHTS__RETENTION_DAYS is {}: it must be at least 30, the insights page's longest range",
            settings.insights.retention_days
        );
        let days = ShopDays::new(&settings.insights.time_zone)?;
        let insights = Insights::start(pool.clone(), days.clone(), settings.insights.retention_days);
        let shop = Arc::new(SqlShop::new(pool.clone(), logs.clone(), catalog.clone(), days));
        let media = Arc::new(MediaService::new(pool.clone(), store, logs.clone()).changing(catalog.clone()));
        let pages = Arc::new(PageCache::new(catalog));
        tokio::spawn(sweep_abandoned_uploads(media.clone()));
        let auth = Arc::new(Auth::build(&settings, pool.clone(), logs.clone(), shop.clone()).await?);
        let tls = match &settings.tls {
            TlsSettings::On(on) => Some(Tls::load(on, &settings.data_dir).await?),
            TlsSettings::Off => None,
        };
        let listener = bind(settings.listen_addr()).await?;
        let bound = listener.local_addr()?;
        let redirect = match &settings.tls {
            TlsSettings::On(TlsOn { redirect_addr: Some(addr), .. }) => Some(bind(*addr).await?),
            _ => None,
        };
        let backends = Backends { shop, media, auth, local_store, policy, pages, insights: insights.clone() };
        let router = router(&settings, pool, backends, logs, leptos_options(&settings.site, bound))?;
        Ok(Application { listener, tls, redirect, router, insights, idle_timeout: settings.idle_timeout })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    /// Where the shop is: `https://...` when it serves TLS.
    pub fn url(&self) -> String {
        format!("{}://{}", if self.tls.is_some() { "https" } else { "http" }, self.local_addr())
    }

    /// The plain-HTTP address that redirects to HTTPS, when there is one.
    pub fn redirect_addr(&self) -> Option<SocketAddr> {
        self.redirect.as_ref().and_then(|l| l.local_addr().ok())
    }

    /// Serves until `shutdown` resolves, then lets requests in flight finish
    /// (within [`SHUTDOWN_GRACE`]).
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let handle = axum_server::Handle::new();
        tokio::spawn({
            let handle = handle.clone();
            async move {
                shutdown.await;
                handle.graceful_shutdown(Some(SHUTDOWN_GRACE));
            }
        });
        let https_port = self.local_addr().port();
        let idle = IdleAcceptor { idle: self.idle_timeout };
        if let Some(listener) = self.redirect {
            let redirects = Router::new()
                .fallback(move |request: axum::extract::Request| async move { to_https(&request, https_port) });
            let server = hardened(axum_server::from_tcp(listener)?.handle(handle.clone())).acceptor(idle);
            tokio::spawn(async move {
                if let Err(e) = server.serve(redirects.into_make_service()).await {
                    tracing::error!(error = %e, "the HTTP-to-HTTPS redirect stopped");
                }
            });
        }
        let service = self.router.into_make_service_with_connect_info::<SocketAddr>();
        let server = hardened(axum_server::from_tcp(self.listener)?.handle(handle));
        let served = match self.tls {
            Some(tls) => {
                let acceptor =
                    RustlsAcceptor::new(tls.config.clone()).handshake_timeout(TLS_HANDSHAKE_TIMEOUT).acceptor(idle);
                tokio::spawn(tls.reload_on_change());
                server.acceptor(acceptor).serve(service).await
            }
            None => server.acceptor(idle).serve(service).await,
        };
        // The events of the last requests are counted before the process exits.
        if tokio::time::timeout(SHUTDOWN_GRACE, self.insights.flush()).await.is_err() {
            tracing::warn!("the insights counters were not all written before stopping");
        }
        served
    }
}

async fn bind(addr: SocketAddr) -> anyhow::Result<std::net::TcpListener> {
    let listener = TcpListener::bind(addr).await.with_context(|| format!("binding {addr}"))?;
    Ok(listener.into_std()?)
}

/// The connection limits every listener has: headers within
/// [`HEADER_READ_TIMEOUT`], the first request too; HTTP/2 peers pinged every
/// [`H2_PING_EVERY`] and dropped when a ping is not answered within
/// [`H2_PING_TIMEOUT`]. (A connection with no request in flight for the idle
/// timeout is closed by [`IdleAcceptor`].)
fn hardened<A: axum_server::Address>(mut server: axum_server::Server<A>) -> axum_server::Server<A> {
    server.http_builder().http1().header_read_timeout(HEADER_READ_TIMEOUT);
    server.http_builder().http2().keep_alive_interval(H2_PING_EVERY).keep_alive_timeout(H2_PING_TIMEOUT);
    server.first_request_timeout(HEADER_READ_TIMEOUT)
}

/// The same host and path over HTTPS, on the port TLS is served on.
fn to_https(request: &axum::extract::Request, https_port: u16) -> Response {
    let host = request
        .headers()
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.parse::<axum::http::uri::Authority>().ok())
        .map(|a| a.host().to_owned())
        .unwrap_or_else(|| "localhost".to_owned());
    let port = if https_port == 443 { String::new() } else { format!(":{https_port}") };
    let path = request.uri().path_and_query().map_or("/", |p| p.as_str());
    axum::response::Redirect::permanent(&format!("https://{host}{port}{path}")).into_response()
}

/// Brotli or gzip, as the browser prefers, for what is made per request: pages
/// and server functions' answers. The built site's files are compressed once at
/// build time (`scripts/precompress.mjs`) and sent as they are; images are
/// compressed already; `/events` is not on this router (its answers are tiny and
/// its path the hot one).
fn dynamic_compression() -> CompressionLayer<impl tower_http::compression::Predicate> {
    let dynamic =
        |_: StatusCode, _: axum::http::Version, headers: &axum::http::HeaderMap, _: &axum::http::Extensions| {
            headers
                .get(axum::http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|t| t.starts_with("text/html") || t.starts_with("application/json"))
        };
    CompressionLayer::new()
        .no_deflate()
        .no_zstd()
        // Fast levels: a page is compressed on every request.
        .quality(tower_http::CompressionLevel::Precise(4))
        .compress_when(SizeAbove::new(512).and(dynamic))
}

/// Removes `.br` and `.gz` copies in the built site that are older than their file
/// (a build without `scripts/precompress.mjs` after it), so a browser is never
/// sent the compressed copy of an earlier build.
fn drop_stale_precompressed(dir: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            drop_stale_precompressed(&path);
            continue;
        }
        if !matches!(path.extension().and_then(|e| e.to_str()), Some("br" | "gz")) {
            continue;
        }
        let modified = |p: &std::path::Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        let source = path.with_extension("");
        let stale = match (modified(&source), modified(&path)) {
            (Some(source), Some(copy)) => source > copy,
            (None, _) => true,
            _ => false,
        };
        if stale && std::fs::remove_file(&path).is_ok() {
            tracing::warn!(file = %path.display(), "removed a precompressed copy older than its file (run scripts/precompress.mjs after a build)");
        }
    }
}

/// `Cache-Control` where a handler set none: pages and server functions answer
/// per shopper (their cart, their sign-in) and are never reused; the built site's
/// files whose names carry their content's hash (cargo-leptos's `hash-files`) never
/// change, so they are kept for a year without asking again; its other files
/// (a build without hashing) are revalidated (their `Last-Modified`) before every
/// reuse. The catalog's images and the icon may be reused for a week, and carry an
/// `ETag` to be revalidated with after that (answered `304` when it still matches).
async fn cache_policy(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    use axum::http::header::{CACHE_CONTROL, ETAG, IF_NONE_MATCH};
    let path = request.uri().path().to_owned();
    let if_none_match = request.headers().get(IF_NONE_MATCH).cloned();
    let mut response = next.run(request).await;
    if response.headers().contains_key(CACHE_CONTROL) {
        return response;
    }
    let image = path.starts_with("/images/") || path == "/favicon.svg";
    let policy = if path.starts_with("/pkg/") && has_content_hash(&path) {
        "public, max-age=31536000, immutable"
    } else if path.starts_with("/pkg/") {
        "no-cache"
    } else if image {
        "public, max-age=604800"
    } else {
        "private, no-cache"
    };
    response.headers_mut().insert(CACHE_CONTROL, axum::http::HeaderValue::from_static(policy));
    if image
        && response.status() == StatusCode::OK
        && let Some(etag) = file_etag(response.headers())
    {
        if if_none_match.is_some_and(|v| v.to_str().is_ok_and(|v| v.split(',').any(|t| t.trim() == etag))) {
            let mut not_modified = StatusCode::NOT_MODIFIED.into_response();
            for name in [CACHE_CONTROL, axum::http::header::LAST_MODIFIED] {
                if let Some(value) = response.headers().get(&name) {
                    not_modified.headers_mut().insert(name, value.clone());
                }
            }
            response = not_modified;
        }
        if let Ok(value) = axum::http::HeaderValue::from_str(&etag) {
            response.headers_mut().insert(ETAG, value);
        }
    }
    response
}

/// Whether a built file's name carries a content hash, as cargo-leptos names them:
/// `jewelry.<22 characters of URL-safe base64>.wasm`.
fn has_content_hash(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let mut parts = name.rsplit('.');
    let (_extension, hash) = (parts.next(), parts.next().unwrap_or_default());
    parts.next().is_some()
        && hash.len() == 22
        && hash.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        // The split loader's name before hashing is a placeholder of underscores.
        && hash.bytes().any(|b| b != b'_')
}

/// A weak `ETag` for a static file, from the length and modification time its
/// answer carries (a file rebuilt with other content gets another).
fn file_etag(headers: &axum::http::HeaderMap) -> Option<String> {
    let length = headers.get(axum::http::header::CONTENT_LENGTH)?.to_str().ok()?;
    let modified = headers.get(axum::http::header::LAST_MODIFIED)?.to_str().ok()?;
    let digest = crc32fast::hash(modified.as_bytes());
    Some(format!("W/\"{length}-{digest:08x}\""))
}

/// How often uploads signed but never attached are looked for.
pub const SWEEP_EVERY: Duration = Duration::from_secs(600);

/// Runs `sweep` at once, then every [`SWEEP_EVERY`], for as long as the server runs.
pub async fn every_sweep_period<F, Fut>(mut sweep: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    let mut every = tokio::time::interval(SWEEP_EVERY);
    loop {
        every.tick().await;
        sweep().await;
    }
}

/// Deletes uploads signed but never attached, every [`SWEEP_EVERY`].
async fn sweep_abandoned_uploads(media: Arc<MediaService>) {
    every_sweep_period(|| async {
        match media.sweep_abandoned().await {
            Ok(0) => tracing::debug!("no abandoned uploads to delete"),
            Ok(n) => tracing::info!(count = n, "deleted abandoned uploads"),
            Err(e) => tracing::warn!(error = format!("{e:#}"), "deleting abandoned uploads failed"),
        }
    })
    .await
}

/// What the server functions and the auth routes work with.
pub struct Backends {
    pub shop: Arc<SqlShop>,
    pub media: Arc<MediaService>,
    pub auth: Arc<Auth>,
    /// The local object store's upload and read routes.
    pub local_store: Option<Arc<LocalStore>>,
    /// The pages' Content-Security-Policy.
    pub policy: PagePolicy,
    /// The storefront's pages kept for anonymous shoppers.
    pub pages: Arc<PageCache>,
    /// The clickstream's counters for the insights page.
    pub insights: Arc<Insights>,
}

/// The origin of `url` when it is absolute (`https://bucket.s3.amazonaws.com`).
fn origin_of(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.origin().ascii_serialization())
}

/// The pages' policy for this store and provider: the origins the store serves
/// images from and takes uploads at (as a signed URL it makes now names them),
/// and Cognito's domain, where signing out ends up.
async fn page_policy(settings: &Settings, store: &dyn ObjectStore) -> anyhow::Result<PagePolicy> {
    let probe = jewelry::media::ObjectKey::new("policy-probe", uuid::Uuid::nil(), jewelry::media::ImageType::Png)
        .context("a probe key")?;
    let upload = store.presign_put(&probe, 1, Duration::from_secs(60)).await.context("signing a probe upload")?;
    let form_origins = match &settings.auth {
        AuthSettings::Cognito(cognito) => origin_of(&cognito.domain).into_iter().collect(),
        AuthSettings::Dev => Vec::new(),
    };
    Ok(PagePolicy {
        image_origins: origin_of(&store.public_url(&probe)).into_iter().collect(),
        upload_origins: origin_of(&upload.url).into_iter().collect(),
        form_origins,
    })
}

pub fn router(
    settings: &Settings,
    pool: Database,
    backends: Backends,
    logs: LogSink,
    leptos_options: LeptosOptions,
) -> anyhow::Result<Router> {
    let Backends { shop, media, auth, local_store, policy, pages, insights } = backends;
    let origins = EventOrigins::new(settings.cors.allowed_origins.clone());
    let request_layer = Arc::new(RequestLayer {
        logs: logs.clone(),
        auth: Some(auth.clone()),
        trusted_proxies: settings.trusted_proxies.clone(),
        tls: settings.tls.is_on(),
    });
    let sign_in = match auth.provider() {
        Provider::Dev(_) => SignInOptions::DevForm,
        Provider::Cognito(_) => SignInOptions::HostedUi,
    };
    let state = AppState {
        leptos_options: leptos_options.clone(),
        ingest: Arc::new(Ingest::new(
            logs.clone(),
            settings.dedup_window,
            settings.dedup_capacity,
            origins.clone(),
            insights.clone(),
        )),
        shop: ShopContext { shop, media, insights, secure_cookies: settings.cookies_secure() },
        pool,
        logs,
    };

    // `/events` is served by its own router below, not with the other server functions.
    let routes = generate_route_list_with_exclusions(App, Some(vec![EVENTS_PATH.to_owned()]));
    let shop = state.shop.clone();
    let public_origin = settings.public_origin(leptos_options.site_addr);
    let public_url = jewelry_app::api::PublicUrl(public_origin.clone());
    let context = move || {
        provide_context(shop.clone());
        provide_context(sign_in);
        provide_context(policy.clone());
        provide_context(public_url.clone());
    };
    // For search engines, from the database.
    let seo_routes = Router::new()
        .route("/robots.txt", get(seo::robots))
        .route("/sitemap.xml", get(seo::sitemap))
        .route_layer(axum::middleware::from_fn(metrics::record_route))
        .with_state(seo::Seo { pool: state.pool.clone(), origin: Arc::from(public_origin.as_str()) });
    // `/events` (a server function) gets a router of its own whose state is one
    // `Arc` and whose only context is the clickstream: axum clones the state for
    // every request, and the hot path should not pay for the rest.
    let clickstream: Arc<dyn Clickstream> = state.ingest.clone();
    // Its CORS answers the allowed origins' preflights; other origins' events are
    // refused by the function itself.
    let events = Router::new()
        .route(EVENTS_PATH, post(events))
        .route_layer(axum::middleware::from_fn(metrics::record_route))
        // No allowed origin, no CORS: the answers need no `Vary` then.
        .layer(tower::util::option_layer(origins.any_allowed().then(|| origins.cors())))
        // Its body limit is the contract's (64 KiB, answered as `payload_too_large`).
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, EVENTS_TIMEOUT))
        .with_state(clickstream);
    // Signing in and out, with the provider's own routes.
    let auth_routes = match auth.provider() {
        Provider::Dev(_) => Router::new()
            .route("/auth/dev/login", post(auth::dev_login))
            .route("/dev-idp/.well-known/jwks.json", get(auth::dev_jwks)),
        Provider::Cognito(_) => Router::new().route("/auth/callback", get(auth::cognito_callback)),
    }
    .route("/auth/login", get(auth::login))
    .route("/auth/logout", post(auth::logout))
    .route_layer(axum::middleware::from_fn(metrics::record_route))
    .layer(axum::Extension(auth::Stylesheet(Arc::from(jewelry_app::backend::stylesheet_href(&leptos_options)))))
    .with_state(auth.clone());
    // The local object store's signed uploads and its reads (S3 serves its own).
    let store_routes = local_store
        .map(|store| {
            Router::new()
                .route("/uploads/{*key}", put(local::upload))
                .route("/media/{*key}", get(local::read))
                .route_layer(axum::middleware::from_fn(metrics::record_route))
                .with_state(store)
                // The upload checks its own length (the signed one, at most 5 MiB).
                .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, UPLOAD_TIMEOUT))
        })
        .unwrap_or_default();
    let metrics_route = Router::new()
        .route("/metrics", get(metrics::metrics))
        .route_layer(axum::middleware::from_fn(metrics::record_route))
        .with_state(metrics::MetricsAccess::new(settings.metrics.token.as_ref(), state.logs.clone()));
    // Everything but `/events` takes changes from the shop's own pages only.
    let same_site = Router::new()
        .route("/health", get(health))
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .route_layer(axum::middleware::from_fn_with_state(pages, page_cache::serve))
        .route_layer(axum::middleware::from_fn(metrics::record_route))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell))
        .with_state(state)
        .layer(axum::middleware::from_fn(server_fns::guard))
        .merge(metrics_route)
        .merge(seo_routes)
        .merge(auth_routes)
        .layer(RequestBodyLimitLayer::new(MAX_REQUEST_BYTES))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .layer(axum::middleware::from_fn(cache_policy))
        .layer(dynamic_compression())
        .merge(store_routes)
        .layer(axum::middleware::from_fn(origin::refuse_cross_site));
    let router = same_site.merge(events).layer(axum::middleware::from_fn_with_state(request_layer, request::track));
    Ok(router)
}

/// `POST /events`: what [`jewelry_app::events::ingest_events`] does, called
/// directly. The server function stays the browser's name for the route, but its
/// machinery (a reactive owner, the request's parts copied into its context, the
/// function looked up by path) cost more than the rest of an event's work. The
/// answer is the function's: the report or the contract's error as JSON, with its
/// status and `Retry-After`. It waits for its lines itself (and answers
/// `log_unavailable` when they cannot be written), so the request layer need not
/// wait again.
async fn events(State(clickstream): State<Arc<dyn Clickstream>>, request: axum::extract::Request) -> Response {
    use jewelry_app::events::{answer_status, judge_with, receive};
    use jewelry_app::services::RequestContext;
    let (parts, body) = request.into_parts();
    let body = receive(&parts.headers, body).await;
    let context = parts.extensions.get::<RequestContext>();
    let outcome = match context {
        Some(context) => judge_with(&*clickstream, &parts.headers, context, body).await,
        None => Err(jewelry_app::events::EventsError::Unavailable("no request context".into())),
    };
    let (status, retry_after) = answer_status(&outcome);
    let json = match &outcome {
        Ok(report) => serde_json::to_vec(report),
        Err(error) => serde_json::to_vec(error),
    };
    let mut response = (
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        json.unwrap_or_default(),
    )
        .into_response();
    if let Some(secs) = retry_after {
        response.headers_mut().insert(axum::http::header::RETRY_AFTER, secs.into());
    }
    if outcome.is_err() {
        // As server_fn marks an error answer, for its clients.
        response.headers_mut().insert(
            leptos::server_fn::error::SERVER_FN_ERROR_HEADER,
            axum::http::HeaderValue::from_static(EVENTS_PATH),
        );
    }
    response.extensions_mut().insert(request::LinesWritten);
    response
}

/// Ready to serve: the database answers and every log output takes lines
/// (`{"status": "ok"}`); otherwise 503 saying what is wrong, the log's failing
/// outputs by name.
async fn health(State(state): State<AppState>) -> impl IntoResponse {
    let database = tokio::time::timeout(Duration::from_secs(2), sqlx::query("SELECT 1").execute(&state.pool)).await;
    let failing = state.logs.failing_outputs();
    match (database, failing.is_empty()) {
        (Ok(Ok(_)), true) => (StatusCode::OK, axum::Json(serde_json::json!({"status": "ok"}))),
        (Ok(Ok(_)), false) => (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({"status": "log unavailable", "failingLogOutputs": failing})),
        ),
        _ => (StatusCode::SERVICE_UNAVAILABLE, axum::Json(serde_json::json!({"status": "database unavailable"}))),
    }
}

#[cfg(test)]
mod tests {
    use super::has_content_hash;

    #[test]
    fn only_names_with_cargo_leptos_content_hashes_count_as_hashed() {
        for hashed in [
            "/pkg/jewelry.QiKT-zfGYAEZSvpuziBQrw.js",
            "/pkg/jewelry.CODrYpRoE2zlEVH80tVCZQ.wasm",
            "/pkg/chunk_14.4MWtvJuh8jLCoM7bV0dkZQ.wasm",
            "/pkg/__wasm_split.ine4vuqIn9SG5edlywIgOg.js",
        ] {
            assert!(has_content_hash(hashed), "{hashed}");
        }
        for plain in [
            "/pkg/jewelry.js",
            "/pkg/jewelry.wasm",
            "/pkg/QiKT-zfGYAEZSvpuziBQrw.js",
            "/pkg/jewelry.QiKT-zfGYAEZSvpuziBQr.js",
            "/pkg/jewelry.QiKT-zfGYAEZSvpuziBQrw!.js",
            "/pkg/__wasm_split.______________________.js",
        ] {
            assert!(!has_content_hash(plain), "{plain}");
        }
    }
}
