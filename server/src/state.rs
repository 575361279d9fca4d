//! What the routes share: one [`AppState`], built once at start-up, from which each
//! handler and sub-router extracts the part it needs (`State<Database>`,
//! `State<Arc<Auth>>`, ...; axum's `FromRef`).

use crate::auth::Auth;
use crate::db::Database;
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
use jewelry_app::services::ShopContext;
use leptos::config::LeptosOptions;
use std::net::SocketAddr;
use std::sync::Arc;

use crate::config::SiteSettings;

/// Everything the router serves from. Cloned per request by the routers that hold
/// all of it (the pages, sign-in, `/metrics`, search engines'); the hot ones
/// (`/events`, the request layer, the page cache) are given only their `Arc`.
#[derive(Clone, FromRef)]
pub struct AppState {
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
