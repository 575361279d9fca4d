//! The storefront's pages (home, catalog and search, product) as rendered for a
//! guest, kept for the next shopper, whoever they are.
//!
//! A page depends on its address (its language included) and on the catalog alone, save for two parts:
//! the Content-Security-Policy nonce, which must be new on every response, and the
//! header's account links, which name a signed-in shopper. A kept page is answered
//! with a fresh nonce put where the old one was (its header and its scripts) and,
//! for a signed-in shopper, with their account links in place of the guest's
//! (both from [`account_element_html`]). Pages are kept per catalog generation
//! ([`CatalogCache`]) and for as long as the catalog's reads are: a change made
//! here shows at once, one made by another instance within `catalog_cache_secs`.
//! A page not kept yet is rendered for a guest (with the request's identity set
//! to a guest's), kept, and answered the same way; any other page, and any answer
//! that is not a plain `200` page (an error, a redirect, one that sets a cookie),
//! is rendered every time, for whoever asked.
//!
//! The consent banner is the third: a page is kept once per banner the `consent`
//! layer chose for the request (none, asking, Global Privacy Control's), so the
//! banner is part of the kept page, not a reason to render one per request.
//!
//! Nothing else on a storefront page comes from the request: not the cart (the
//! header's cart badge is filled in by the browser, see `SiteHeader`), nor any
//! other cookie (a load balancer's stickiness cookie, the sign-in flow's).

use crate::shop::CatalogCache;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_SECURITY_POLICY, CONTENT_TYPE, SET_COOKIE, TRANSFER_ENCODING};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jewelry::consent::Banner;
use jewelry::identity::Identity;
use jewelry::order::UserSummary;
use jewelry_app::components::layout::account_element_html;
use jewelry_app::i18n::PageLanguage;
use jewelry_app::request::RequestContext;
use std::sync::{Arc, LazyLock};

/// The pages kept take this much memory at most.
const MAX_BYTES: u64 = 32 * 1024 * 1024;
/// A page longer than this is not kept (none is near it).
const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;

pub struct PageCache {
    catalog: Arc<CatalogCache>,
    /// Keyed by catalog generation, the page's path and query, and its consent banner.
    pages: Option<moka::sync::Cache<Key, Arc<KeptPage>>>,
}

/// A kept page's catalog generation, address (its language's) and consent banner
/// (the `consent` layer's choice: none, asking, or Global Privacy Control's).
type Key = (u64, String, Banner);

struct KeptPage {
    status: StatusCode,
    headers: HeaderMap,
    html: String,
    /// The nonce the page was rendered with.
    nonce: String,
    /// Where that nonce is in `html`, found once when the page is kept: a guest's
    /// answer is the page copied with a fresh nonce at these places, not searched
    /// for it again (a search through the page cost more than the copy).
    nonce_at: Vec<usize>,
    /// Where the header's account element is, with a guest's links (found once,
    /// when the page is kept; the first match is the header's, and a match can
    /// come from nothing else: text and attribute values escape its quotes).
    account: Option<std::ops::Range<usize>>,
}

impl PageCache {
    /// Pages live as long as the catalog's reads; none are kept when those are not.
    pub fn new(catalog: Arc<CatalogCache>) -> Self {
        let pages = catalog.ttl().map(|ttl| {
            moka::sync::Cache::builder()
                .max_capacity(MAX_BYTES)
                .weigher(|key: &Key, page: &Arc<KeptPage>| {
                    u32::try_from(key.1.len() + page.html.len()).unwrap_or(u32::MAX)
                })
                .time_to_live(ttl)
                .build()
        });
        PageCache { catalog, pages }
    }
}

/// The pages kept: the same for every shopper but for the header's account links.
fn is_storefront(path: &str) -> bool {
    path == "/" || path == "/catalog" || path.strip_prefix("/products/").is_some_and(|id| !id.is_empty())
}

/// How a storefront page was answered: from a kept page, or rendered for the request.
#[derive(Clone, Copy)]
enum Outcome {
    Hit = 0,
    Rendered = 1,
}

/// `jewelry_page_cache_answers_total{outcome="hit"|"rendered"}`, registered once (a
/// kept page is answered in microseconds; a lookup by name per answer would show).
static ANSWERS: LazyLock<[metrics::Counter; 2]> = LazyLock::new(|| {
    ["hit", "rendered"].map(|outcome| metrics::counter!("jewelry_page_cache_answers_total", "outcome" => outcome))
});

fn count(outcome: Outcome) {
    ANSWERS[outcome as usize].increment(1);
}

/// Who the request is from, as the header names them (`None` for a guest).
fn shopper(request: &Request) -> Option<UserSummary> {
    request.extensions().get::<RequestContext>()?.identity.user().map(UserSummary::from)
}

/// The nonce a page's policy names (`'nonce-...'`).
fn nonce_of(headers: &HeaderMap) -> Option<String> {
    let policy = headers.get(CONTENT_SECURITY_POLICY)?.to_str().ok()?;
    let nonce = policy.split("'nonce-").nth(1)?.split('\'').next()?;
    (nonce.len() >= 16).then(|| nonce.to_owned())
}

/// Middleware on the page routes: answers a kept page, or renders and keeps it.
pub async fn serve(State(cache): State<Arc<PageCache>>, request: Request, next: Next) -> Response {
    let Some(pages) = &cache.pages else { return next.run(request).await };
    if request.method() != Method::GET || !is_storefront(request.uri().path()) {
        return next.run(request).await;
    }
    let user = shopper(&request);
    // The address as asked, in its language (the language layer took it off the URI).
    let language = request.extensions().get::<PageLanguage>().copied().unwrap_or_default();
    let plain = request.uri().path_and_query().map_or_else(|| request.uri().path().to_owned(), |p| p.to_string());
    let banner = request.extensions().get::<Banner>().copied().unwrap_or_default();
    let key = (cache.catalog.generation(), language.locales.path(language.locale, &plain), banner);
    if let Some(page) = pages.get(&key) {
        return match page.answer(user.as_ref(), &key.1, language) {
            Some(response) => {
                count(Outcome::Hit);
                response
            }
            None => {
                count(Outcome::Rendered);
                next.run(request).await
            }
        };
    }
    count(Outcome::Rendered);
    // Rendered for a guest, whoever asked: that is the page kept.
    let (parts, body) = request.into_parts();
    let mut as_guest = Request::from_parts(parts.clone(), body);
    if let Some(context) = as_guest.extensions_mut().get_mut::<RequestContext>() {
        context.identity = Identity::guest();
    }
    let response = next.clone().run(as_guest).await;
    let html = response.headers().get(CONTENT_TYPE).is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    let nonce = nonce_of(response.headers());
    let (Some(nonce), true, StatusCode::OK, false) =
        (nonce, html, response.status(), response.headers().contains_key(SET_COOKIE))
    else {
        // Not a page to keep (a 404, say): a signed-in shopper's is rendered for them.
        return match user {
            None => response,
            Some(_) => next.run(Request::from_parts(parts, Body::empty())).await,
        };
    };
    let (mut response_parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!(error = %e, "rendering a page failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    response_parts.headers.remove(CONTENT_LENGTH);
    response_parts.headers.remove(TRANSFER_ENCODING);
    let page = std::str::from_utf8(&bytes).ok().map(|html| {
        let guest = account_element_html(None, &key.1, language);
        let account = html.find(&guest).map(|at| at..at + guest.len());
        // (None inside the account element, which holds links only.)
        let nonce_at = html
            .match_indices(nonce.as_str())
            .map(|(at, _)| at)
            .filter(|at| !account.as_ref().is_some_and(|a| a.contains(at)))
            .collect();
        let page = KeptPage {
            status: response_parts.status,
            headers: response_parts.headers.clone(),
            html: html.to_owned(),
            nonce,
            nonce_at,
            account,
        };
        Arc::new(page)
    });
    // Not kept if the catalog changed while it was rendered.
    if let Some(page) = &page
        && cache.catalog.generation() == key.0
    {
        pages.insert(key.clone(), page.clone());
    }
    let Some(user) = user else {
        return Response::from_parts(response_parts, Body::from(bytes));
    };
    match page.and_then(|page| page.answer(Some(&user), &key.1, language)) {
        Some(response) => response,
        None => next.run(Request::from_parts(parts, Body::empty())).await,
    }
}

impl KeptPage {
    /// The page with `fresh` wherever its nonce was and, for a signed-in shopper,
    /// `account`'s links in place of the guest's: one copy of the page.
    fn with_nonce(&self, fresh: &str, account: Option<(std::ops::Range<usize>, &str)>) -> String {
        let extra = account.as_ref().map_or(0, |(_, links)| links.len());
        let mut html = String::with_capacity(self.html.len() + self.nonce_at.len() * fresh.len() + extra);
        let mut from = 0;
        let mut account = account;
        for &at in &self.nonce_at {
            if let Some((range, links)) = account.take_if(|(range, _)| range.start <= at) {
                html.push_str(&self.html[from..range.start]);
                html.push_str(links);
                from = range.end;
            }
            html.push_str(&self.html[from..at]);
            html.push_str(fresh);
            from = at + self.nonce.len();
        }
        if let Some((range, links)) = account {
            html.push_str(&self.html[from..range.start]);
            html.push_str(links);
            from = range.end;
        }
        html.push_str(&self.html[from..]);
        html
    }

    /// The page with a nonce of its own, in its policy and on its scripts, and
    /// `user`'s account links; `None` if the page has no guest's links to replace
    /// (every storefront page has them).
    fn answer(&self, user: Option<&UserSummary>, address: &str, language: PageLanguage) -> Option<Response> {
        let fresh = leptos::nonce::Nonce::new().to_string();
        let html = match user {
            None => self.with_nonce(&fresh, None),
            Some(user) => {
                let links = account_element_html(Some(user), address, language);
                self.with_nonce(&fresh, Some((self.account.clone()?, &links)))
            }
        };
        let mut headers = self.headers.clone();
        let policy =
            headers.get(CONTENT_SECURITY_POLICY).and_then(|v| v.to_str().ok()).map(|v| v.replace(&self.nonce, &fresh));
        if let Some(value) = policy.and_then(|p| HeaderValue::from_str(&p).ok()) {
            headers.insert(CONTENT_SECURITY_POLICY, value);
        }
        let mut response = Response::new(Body::from(html));
        *response.status_mut() = self.status;
        *response.headers_mut() = headers;
        Some(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header::COOKIE;
    use std::time::Duration;
    use tower::ServiceExt;

    #[test]
    fn only_the_storefronts_pages_are_kept() {
        for path in ["/", "/catalog", "/products/aurora-solitaire-ring"] {
            assert!(is_storefront(path), "{path}");
        }
        for path in
            ["/cart", "/checkout", "/account", "/admin", "/products/", "/signin", "/orders/JW-1", "/api/catalog"]
        {
            assert!(!is_storefront(path), "{path}");
        }
    }

    /// A shopper signed in (through the request's context, as `request::track`
    /// leaves it), or a guest.
    fn context(user: Option<&str>) -> RequestContext {
        let identity = match user {
            Some(name) => Identity::signed_in(jewelry::identity::User {
                sub: format!("sub-{name}"),
                source: jewelry::identity::IdentitySource::Dev,
                username: name.to_owned(),
                email: None,
                groups: Vec::new(),
            }),
            None => Identity::guest(),
        };
        RequestContext {
            request_id: Arc::from("r-1"),
            identity,
            source_ip: None,
            user_agent: None,
            method: Method::GET,
            path: Arc::from("/catalog"),
            started: std::time::Instant::now(),
            locale: jewelry::Locale::default(),
        }
    }

    struct Answer {
        status: StatusCode,
        /// With its nonce (new in every answer) as `N`.
        html: String,
    }

    fn without_nonce(html: &str) -> String {
        match html.split("nonce=\"").nth(1).and_then(|rest| rest.split('"').next()) {
            Some(nonce) => html.replace(nonce, "N"),
            None => html.to_owned(),
        }
    }

    /// Sends GET /catalog once per entry, from that request (a `Cookie` header, a
    /// signed-in shopper's name), to a page behind the cache that answers `status`
    /// and names whoever it is rendered for; answers what each was sent and who the
    /// page was rendered for, in turn (`None`: a guest).
    /// The pages in English, at their plain addresses (as the assertions read them).
    fn english() -> PageLanguage {
        let locales = jewelry::Locales::new(jewelry::Locale::En, &jewelry::Locale::ALL).unwrap();
        PageLanguage { locale: jewelry::Locale::En, locales }
    }

    async fn requests(status: StatusCode, from: &[(Option<&str>, Option<&str>)]) -> (Vec<Answer>, Vec<Option<String>>) {
        let renders = Arc::new(std::sync::Mutex::new(Vec::new()));
        let cache = Arc::new(PageCache::new(Arc::new(CatalogCache::new(Duration::from_secs(60)))));
        let page = {
            let renders = renders.clone();
            move |request: Request| {
                let user = shopper(&request);
                renders.lock().unwrap().push(user.as_ref().map(|u| u.display_name.clone()));
                let nonce = "exnP7BblPNCWnDBhT6_FbA";
                std::future::ready((
                    status,
                    [
                        (CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
                        (CONTENT_SECURITY_POLICY, format!("script-src 'nonce-{nonce}'")),
                    ],
                    format!(
                        "<header>{}</header><script nonce=\"{nonce}\"></script>",
                        account_element_html(user.as_ref(), "/catalog", english())
                    ),
                ))
            }
        };
        let app = axum::Router::new()
            .route("/catalog", axum::routing::get(page))
            .layer(axum::middleware::from_fn_with_state(cache, serve));
        let mut answers = Vec::new();
        for (cookie, user) in from {
            let mut request = Request::get("/catalog");
            if let Some(cookie) = cookie {
                request = request.header(COOKIE, *cookie);
            }
            let mut request = request.body(Body::empty()).unwrap();
            request.extensions_mut().insert(context(*user));
            request.extensions_mut().insert(english());
            let response = app.clone().oneshot(request).await.unwrap();
            let status = response.status();
            let body = axum::body::to_bytes(response.into_body(), MAX_PAGE_BYTES).await.unwrap();
            answers.push(Answer { status, html: without_nonce(std::str::from_utf8(&body).unwrap()) });
        }
        let renders = renders.lock().unwrap().clone();
        (answers, renders)
    }

    #[tokio::test]
    async fn a_request_with_any_cookies_is_sent_the_kept_page() {
        let from = [
            (None, None),
            (Some("AWSALB=abc123; consent=yes"), None),
            (Some("_ga=GA1.1.2"), None),
            (Some("jw_cart=0b6f"), None),
            (Some("AWSALB=abc123; jw_cart=77aa; jw_oauth=flow"), None),
        ];
        let (answers, renders) = requests(StatusCode::OK, &from).await;
        assert_eq!(renders, [None], "rendered once, for a guest, then kept");
        assert!(answers.iter().all(|a| a.status == StatusCode::OK && a.html.contains(">Sign in</a>")));
    }

    #[tokio::test]
    async fn a_signed_in_shopper_is_sent_the_kept_page_with_their_own_account_links() {
        let from = [(None, None), (Some("jw_id=a"), Some("ada")), (Some("jw_id=b"), Some("grace")), (None, None)];
        let (answers, renders) = requests(StatusCode::OK, &from).await;
        assert_eq!(renders, [None], "rendered once, for a guest, then kept");
        let [guest, ada, grace, guest_again] = &answers[..] else { panic!("four answers") };
        assert_eq!(ada.html, grace.html.replace("grace", "ada"), "the same page but for the name");
        assert!(ada.html.contains("Account of </span>ada</a>") && !ada.html.contains("Sign in"), "{}", ada.html);
        assert!(!grace.html.contains("ada"), "{}", grace.html);
        for page in [guest, guest_again] {
            assert!(page.html.contains(">Sign in</a>") && !page.html.contains("Account of"), "{}", page.html);
        }
        assert_eq!(guest.html, guest_again.html, "a shopper's links never reach the kept page");
    }

    #[tokio::test]
    async fn a_shopper_s_name_is_escaped_as_leptos_escapes_text() {
        let (answers, _) = requests(StatusCode::OK, &[(None, None), (Some("jw_id=a"), Some("<b>ada</b> & co"))]).await;
        assert!(
            answers[1].html.contains("Account of </span>&lt;b&gt;ada&lt;/b&gt; &amp; co</a>"),
            "{}",
            answers[1].html
        );
    }

    #[tokio::test]
    async fn a_page_first_asked_for_by_a_signed_in_shopper_is_rendered_and_kept_for_a_guest() {
        let (answers, renders) = requests(StatusCode::OK, &[(Some("jw_id=a"), Some("ada")), (None, None)]).await;
        assert_eq!(renders, [None], "rendered for a guest: the page kept");
        assert!(answers[0].html.contains("Account of </span>ada</a>"), "{}", answers[0].html);
        assert!(!answers[1].html.contains("ada"), "{}", answers[1].html);
    }

    #[tokio::test]
    async fn a_page_not_kept_is_rendered_for_the_signed_in_shopper_who_asked() {
        let (answers, renders) = requests(StatusCode::NOT_FOUND, &[(Some("jw_id=a"), Some("ada")), (None, None)]).await;
        assert_eq!(renders, [None, Some("ada".to_owned()), None], "a 404 is never kept");
        assert_eq!(answers[0].status, StatusCode::NOT_FOUND);
        assert!(answers[0].html.contains("Account of </span>ada</a>"), "{}", answers[0].html);
        assert!(!answers[1].html.contains("ada"), "{}", answers[1].html);
    }

    #[test]
    fn the_nonce_is_read_from_the_policy() {
        let mut headers = HeaderMap::new();
        headers.insert(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; script-src 'self' 'nonce-exnP7BblPNCWnDBhT6_FbA' 'wasm-unsafe-eval'",
            ),
        );
        assert_eq!(nonce_of(&headers).as_deref(), Some("exnP7BblPNCWnDBhT6_FbA"));
        headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'self'"));
        assert_eq!(nonce_of(&headers), None);
    }
}
