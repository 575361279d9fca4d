//! What the routes share: one [`AppState`], built once at start-up, from which each
//! handler and sub-router extracts the part it needs (`State<Database>`,
//! `State<Arc<Auth>>`, ...; axum's `FromRef`).
//!
//! The state is one `Arc`: axum clones a route's state with its service on every
//! request (each `from_fn` layer around the pages clones what it wraps), and a
//! kept page is answered in microseconds, where cloning every part of the state
//! several times over (a few dozen reference counts shared by both cores) cost a
//! tenth of its speed. So the parts are extracted through `FromRef` impls written
//! here, one line each, rather than derived field by field.

use crate::auth::Auth;
use crate::db::Database;
use crate::language::Languages;
use crate::logs::LogSink;
use crate::media::local::LocalStore;
use crate::metrics::MetricsAccess;
use crate::origin::EventOrigins;
use crate::page_cache::PageCache;
use crate::request::RequestLayer;
use crate::seo::Seo;
use axum::extract::FromRef;
use jewelry_app::api::{PublicUrl, SignInOptions};
use jewelry_app::events::Clickstream;
use jewelry_app::policy::PagePolicy;
use jewelry_app::services::{InsightReports, Media, Shop, ShopContext};
use leptos::config::LeptosOptions;
use std::net::SocketAddr;
use std::sync::Arc;

use crate::config::{Settings, SiteSettings};

/// Everything the router serves from, cheap to clone ([`Shared`] behind one `Arc`).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> AppState {
        AppState(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The parts handlers extract: `State<T>` for each `T` named here.
macro_rules! parts {
    ($($field:ident: $ty:ty),* $(,)?) => {
        $(impl FromRef<AppState> for $ty {
            fn from_ref(state: &AppState) -> $ty {
                state.0.$field.clone()
            }
        })*
    };
}

parts!(
    languages: Languages,
    leptos_options: LeptosOptions,
    pool: Database,
    logs: LogSink,
    seo: Seo,
    auth: Arc<Auth>,
    metrics: Arc<MetricsAccess>,
    local_mailbox: crate::mail::LocalMailbox,
);

/// What [`AppState`] holds. The hot routes (`/events`, the request layer, the page
/// cache) are given their own part's `Arc` besides.
pub struct Shared {
    pub leptos_options: LeptosOptions,
    pub pool: Database,
    pub logs: LogSink,
    /// What the pages and server functions work with (their Leptos context).
    pub shop: ShopContext,
    pub sign_in: SignInOptions,
    /// The pages' Content-Security-Policy.
    pub policy: PagePolicy,
    pub public_url: PublicUrl,
    pub seo: Seo,
    pub auth: Arc<Auth>,
    pub metrics: Arc<MetricsAccess>,
    /// The storefront's pages kept for anonymous shoppers.
    pub pages: Arc<PageCache>,
    /// `/events`' work.
    pub clickstream: Arc<dyn Clickstream>,
    /// Whose pages may send events besides the shop's own (the CORS layer).
    pub origins: EventOrigins,
    /// The request id, client and log line of every request.
    pub requests: Arc<RequestLayer>,
    /// The local object store, whose upload and read routes this server answers.
    pub local_store: Option<Arc<LocalStore>>,
    /// The languages offered, for the layer choosing each request's.
    pub languages: Languages,
    /// Consent banners, choices and the count of pages served.
    pub consent: Arc<crate::consent::Consent>,
    /// What the privacy page says of the shop's settings.
    pub privacy: jewelry_app::pages::privacy::PrivacyFacts,
    /// The file transport's mailbox, which admins read on `/admin/mail`.
    pub local_mailbox: crate::mail::LocalMailbox,
}

/// The Leptos options: cargo-leptos's when it built or runs the binary, else the
/// project's defaults; the site's root from the settings, its address the one bound.
/// What the pages and server functions are given of the shop: its services, and the
/// settings they read.
pub fn shop_context(
    settings: &Settings,
    shop: Arc<dyn Shop>,
    media: Arc<dyn Media>,
    insights: Arc<dyn InsightReports>,
) -> ShopContext {
    ShopContext {
        shop,
        media,
        insights,
        secure_cookies: settings.cookies_secure(),
        currency: settings.currency,
        ships_to: settings.ships_to.clone().into(),
    }
}

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
