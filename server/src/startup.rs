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
//!
//! What the routes share is [`crate::state`]'s; the listeners and their limits are
//! [`crate::listen`]'s; how the built site's files are compressed and kept is
//! [`crate::static_files`]'s.

use crate::attribution::Attributions;
use crate::auth::{self, Auth, Provider};
use crate::config::{Loaded, MailTransport, Settings, TlsOn, TlsSettings};
use crate::consent::{self, Consent};
use crate::idle::IdleAcceptor;
use crate::ingest::{self, Ingest, IngestParts};
use crate::insights::{Insights, ShopDays};
use crate::language::{self, Languages};
use crate::listen::{bind, serve, spawn_redirects};
use crate::logs::LogSink;
use crate::logs::lines::SourceIp;
use crate::mail::{self, Mailer, Sender};
use crate::media::local::{self, LocalStore};
use crate::media::{self, MediaService, ObjectStore};
use crate::metrics::MetricsAccess;
use crate::origin::{self, EventOrigins};
use crate::page_cache::{self, PageCache};
use crate::page_policy;
use crate::request::{self, RequestLayer};
use crate::shop::{CatalogCache, ShopParts, SqlShop};
use crate::state::{AppState, Shared, leptos_options, shop_context};
use crate::static_files::{cache_policy, drop_stale_precompressed, dynamic_compression};
use crate::tls::Tls;
use crate::{account, db, health, metrics, seed, seo, server_fns};
use anyhow::Context;
use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use jewelry_app::api::{PublicUrl, SignInOptions};
use jewelry_app::events::EVENTS_PATH;
use jewelry_app::{App, shell};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list_with_exclusions};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

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

/// A request body (a form, a server function's arguments) holds at most this much,
/// except an upload's and `/events`' (their own limits).
pub const MAX_REQUEST_BYTES: usize = 256 * 1024;
/// A request is answered within this long, or with `408`.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// `/events` answers within this long.
pub const EVENTS_TIMEOUT: Duration = Duration::from_secs(10);
/// An image upload to the local store (5 MiB at most) finishes within this long.
pub const UPLOAD_TIMEOUT: Duration = Duration::from_secs(120);
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
        let pool = db::connect(&settings.database(), refresher.map(Arc::new)).await?;
        db::settle_currency(&pool, settings.currency).await?;
        if settings.seed_catalog && seed::seed_if_empty(&pool, settings.currency).await? {
            tracing::info!("added the demo catalog to an empty database");
        }
        let policy = media::page_policy(store.as_ref(), &settings.auth).await?;
        let root = settings.site.root.clone();
        tokio::task::spawn_blocking(move || drop_stale_precompressed(&root)).await.context("a blocking task failed")?;
        let tls = match &settings.tls {
            TlsSettings::On(on) => Some(Tls::load(on, &settings.data_dir).await?),
            TlsSettings::Off => None,
        };
        let listener = bind(settings.listen_addr()).await?;
        let bound = listener.local_addr()?;
        let public_origin = settings.public_origin(bound);
        let catalog = Arc::new(CatalogCache::new(settings.catalog_cache));
        let days = ShopDays::from(settings.insights.time_zone.clone());
        let insights = Insights::start(pool.clone(), days.clone(), settings.insights.retention_days);
        let from: lettre::message::Mailbox =
            settings.mail.from.trim().parse().context("`mail.from` is not an address")?;
        let mailer = Mailer::new(&public_origin, settings.languages(), &from);
        let transport = mail::transport::from_settings(&settings.mail, &settings.data_dir).await?;
        tokio::spawn(Sender::new(pool.clone(), transport, from, settings.mail.lease, &mailer).run());
        let shop = Arc::new(SqlShop::new(ShopParts {
            pool: pool.clone(),
            logs: logs.clone(),
            cache: catalog.clone(),
            days,
            currency: settings.currency,
            mailer,
        }));
        let media = Arc::new(MediaService::new(pool.clone(), store, logs.clone()).changing(catalog.clone()));
        tokio::spawn(media.clone().sweep_abandoned_forever());
        let auth = Arc::new(Auth::build(&settings, pool.clone(), logs.clone(), shop.clone()).await?);
        let redirect = match &settings.tls {
            TlsSettings::On(TlsOn { redirect_addr: Some(addr), .. }) => Some(bind(*addr).await?),
            _ => None,
        };
        let origins = EventOrigins::new(settings.cors.allowed_origins.clone());
        let source_ip = SourceIp { whole: settings.privacy.full_source_ip };
        let attributions = Attributions::start(pool.clone(), settings.public_url.as_deref());
        let consent = Arc::new(Consent {
            db: pool.clone(),
            logs: logs.clone(),
            insights: insights.clone(),
            source_ip,
            secure_cookies: settings.cookies_secure(),
        });
        let privacy = jewelry_app::pages::privacy::PrivacyFacts {
            log_retention_days: settings.privacy.log_retention_days,
            insights_retention_days: settings.insights.retention_days,
            on_aws: settings.logs.cloudwatch.group.is_some(),
        };
        let state = AppState::new(Shared {
            leptos_options: leptos_options(&settings.site, bound),
            pool: pool.clone(),
            logs: logs.clone(),
            shop: shop_context(&settings, shop, media, insights.clone()),
            sign_in: match auth.provider() {
                Provider::Dev(_) => SignInOptions::DevForm,
                Provider::Cognito(_) => SignInOptions::HostedUi,
            },
            policy,
            public_url: PublicUrl(public_origin.clone()),
            seo: seo::Seo { pool, origin: Arc::from(public_origin.as_str()), locales: settings.languages() },
            metrics: MetricsAccess::new(settings.metrics.token.as_ref(), logs.clone()),
            pages: Arc::new(PageCache::new(catalog)),
            clickstream: Arc::new(Ingest::new(IngestParts {
                logs: logs.clone(),
                dedup_window: settings.dedup_window,
                dedup_capacity: settings.dedup_capacity,
                origins: origins.clone(),
                insights: insights.clone(),
                attributions,
                source_ip,
            })),
            consent,
            privacy,
            origins,
            requests: Arc::new(RequestLayer {
                logs,
                auth: Some(auth.clone()),
                trusted_proxies: settings.trusted_proxies.clone(),
                tls: settings.tls.is_on(),
            }),
            auth,
            local_store,
            languages: Languages { locales: settings.languages(), secure_cookies: settings.cookies_secure() },
            local_mailbox: mail::LocalMailbox(
                (settings.mail.transport == MailTransport::File).then(|| Arc::new(settings.data_dir.join("mail"))),
            ),
        });
        let router = router(state);
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
            spawn_redirects(listener, https_port, handle.clone(), idle)?;
        }
        let served = serve(self.listener, self.tls, self.router, handle, idle).await;
        // The events of the last requests are counted before the process exits.
        if tokio::time::timeout(SHUTDOWN_GRACE, self.insights.flush()).await.is_err() {
            tracing::warn!("the insights counters were not all written before stopping");
        }
        served
    }
}

/// Every route the shop serves, each with the layers it goes through.
pub fn router(state: AppState) -> Router {
    // `/events` is served by its own router below, not with the other server functions.
    let routes = generate_route_list_with_exclusions(App, Some(vec![EVENTS_PATH.to_owned()]));
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.shop.clone());
            provide_context(state.sign_in);
            provide_context(state.policy.clone());
            provide_context(state.public_url.clone());
            provide_context(state.shop.prices());
            provide_context(state.privacy);
        }
    };
    // For search engines, from the database.
    let seo_routes = Router::new()
        .route("/robots.txt", get(seo::robots))
        .route("/sitemap.xml", get(seo::sitemap))
        .route_layer(axum::middleware::from_fn(metrics::record_route))
        .with_state(state.clone());
    // `/events` (a server function) gets a router of its own whose state is one
    // `Arc`, the clickstream: axum clones the state for every request, and the hot
    // path should not pay for the rest. Its CORS answers the allowed origins'
    // preflights; other origins' events are refused by the clickstream itself.
    let origins = &state.origins;
    let events = Router::new()
        .route(EVENTS_PATH, post(ingest::post_events))
        .route_layer(axum::middleware::from_fn(metrics::record_route))
        // No allowed origin, no CORS: the answers need no `Vary` then.
        .layer(tower::util::option_layer(origins.any_allowed().then(|| origins.cors())))
        // Its body limit is the contract's (64 KiB, answered as `payload_too_large`).
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, EVENTS_TIMEOUT))
        .with_state(state.clickstream.clone());
    // Signing in and out, with the provider's own routes.
    let auth_routes = match state.auth.provider() {
        Provider::Dev(_) => Router::new()
            .route("/auth/dev/login", post(auth::dev_login))
            .route("/dev-idp/.well-known/jwks.json", get(auth::dev_jwks)),
        Provider::Cognito(_) => Router::new().route("/auth/callback", get(auth::cognito_callback)),
    }
    .route("/auth/login", get(auth::login))
    .route("/auth/logout", post(auth::logout))
    .route_layer(axum::middleware::from_fn(metrics::record_route))
    .layer(axum::Extension(auth::Stylesheet(Arc::from(jewelry_app::backend::stylesheet_href(&state.leptos_options)))))
    .with_state(state.clone());
    // The local object store's signed uploads and its reads (S3 serves its own).
    let store_routes = state
        .local_store
        .clone()
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
    // The consent banner's and the privacy page's choices.
    let consent_routes = Router::new()
        .route("/consent", post(consent::record))
        .route_layer(axum::middleware::from_fn(metrics::record_route))
        .with_state(state.consent.clone());
    // A signed-in shopper's own data: downloaded, or the account deleted.
    let account_routes = Router::new()
        .route("/account/data", get(account::download))
        .route("/account/delete", post(account::delete))
        .route_layer(axum::middleware::from_fn(metrics::record_route))
        .with_state(state.clone());
    // The local mailbox's files, for admins.
    let mail_routes = Router::new()
        .route("/admin/mail/{file}", get(mail::eml_file))
        .route_layer(axum::middleware::from_fn(metrics::record_route))
        .with_state(state.clone());
    let metrics_route = Router::new()
        .route("/metrics", get(metrics::metrics))
        .route_layer(axum::middleware::from_fn(metrics::record_route))
        .with_state(state.clone());
    let requests = state.requests.clone();
    let languages = state.languages;
    // Everything but `/events` takes changes from the shop's own pages only.
    let same_site = Router::new()
        .route("/health", get(health::health))
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        // Innermost: the page cache keeps what it mends.
        .route_layer(axum::middleware::from_fn_with_state(state.policy.clone(), page_policy::mend))
        .route_layer(axum::middleware::from_fn_with_state(state.pages.clone(), page_cache::serve))
        .route_layer(axum::middleware::from_fn_with_state(state.consent.clone(), consent::pages))
        .route_layer(axum::middleware::from_fn(metrics::record_route))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell))
        .with_state(state)
        .layer(axum::middleware::from_fn(server_fns::guard))
        .merge(metrics_route)
        .merge(seo_routes)
        .merge(auth_routes)
        .merge(consent_routes)
        .merge(account_routes)
        .merge(mail_routes)
        .layer(RequestBodyLimitLayer::new(MAX_REQUEST_BYTES))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .layer(axum::middleware::from_fn(cache_policy))
        .layer(dynamic_compression())
        .merge(store_routes)
        .layer(axum::middleware::from_fn(origin::refuse_cross_site));
    // The language is taken off the address before the routes match it (a layer on
    // a router runs after its routing), so the whole router is a fallback service
    // behind it; requests are tracked with the address as asked.
    // `/events`, the hot path, has no language and is routed before the layer.
    let routed = tower::Layer::layer(&axum::middleware::from_fn_with_state(languages, language::choose), same_site);
    events.fallback_service(routed).layer(axum::middleware::from_fn_with_state(requests, request::track))
}
