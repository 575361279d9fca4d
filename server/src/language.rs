//! Which language a request is served in, decided before routing.
//!
//! Every page has one address per language: the default language's is the plain
//! path (`/catalog`), another's the same path after its code (`/en/catalog`). One
//! route table serves them all: this layer takes the code off the address, so the
//! routes, the page cache and the links inside the shop work on the plain path, and
//! puts the language on the request ([`PageLanguage`]) for the page to render in.
//!
//! Why a prefix, and the same path in every language (`/en/products/x`, not
//! `/en/products/x` beside `/san-pham/x`): a product's address stays its id in
//! both languages, the switcher and `hreflang` swap a prefix rather than translate
//! a path, and the clickstream's page paths compare across languages once the
//! prefix is off.
//!
//! Only a first visit is chosen for: a page asked for at its plain address, by a
//! browser that has made no choice (no `lang` cookie), is sent to the address of
//! the language its `Accept-Language` prefers, and that choice is remembered. A
//! choice made with the language switcher (`/language/{code}`) is remembered the
//! same way, and a plain address then sends the shopper to their language's. An
//! address with a language's code is always served in that language, as linked.
//!
//! Server functions have no address of their own per language: one answers in the
//! language of the page that called it (its `Referer`, sent by browsers for the
//! shop's own requests), else the remembered one, else the default.

use crate::auth::cookie_value;
use axum::extract::{Request, State};
use axum::http::header::{ACCEPT, ACCEPT_LANGUAGE, LOCATION, REFERER, SET_COOKIE, VARY};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use cookie::{Cookie, SameSite};
use jewelry::{Locale, Locales};
use jewelry_app::i18n::PageLanguage;
use jewelry_app::request::RequestContext;

/// The cookie remembering a shopper's language.
pub const LANGUAGE_COOKIE: &str = "lang";
/// A remembered choice lasts a year.
const REMEMBER_SECS: i64 = 365 * 24 * 3600;

#[derive(Clone, Copy)]
pub struct Languages {
    pub locales: Locales,
    pub secure_cookies: bool,
}

impl Languages {
    /// The cookie remembering `locale`.
    fn remember(self, locale: Locale) -> HeaderValue {
        let cookie = Cookie::build((LANGUAGE_COOKIE, locale.code()))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.secure_cookies)
            .max_age(cookie::time::Duration::seconds(REMEMBER_SECS))
            .build();
        HeaderValue::from_str(&cookie.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
    }

    /// The language a shopper chose before, if the shop still offers it.
    fn remembered(self, headers: &HeaderMap) -> Option<Locale> {
        cookie_value(headers, LANGUAGE_COOKIE)
            .and_then(|code| Locale::parse(&code))
            .filter(|l| self.locales.offered().contains(l))
    }
}

/// Paths that are not pages: never sent to another language's address.
fn is_page(path: &str) -> bool {
    const NOT_PAGES: [&str; 11] = [
        "/api/",
        "/auth/",
        "/pkg/",
        "/media/",
        "/uploads/",
        "/events",
        "/health",
        "/metrics",
        "/dev-idp/",
        "/language/",
        "/images/",
    ];
    !NOT_PAGES.iter().any(|p| path.starts_with(p)) && !path.rsplit('/').next().is_some_and(|last| last.contains('.'))
}

/// Puts the language on the request, for the page and on its request context.
fn serve_in(request: &mut Request, language: PageLanguage) {
    if let Some(context) = request.extensions_mut().get_mut::<RequestContext>() {
        context.locale = language.locale;
    }
    request.extensions_mut().insert(language);
}

/// The layer: around the whole router (it changes the address routes match).
pub async fn choose(State(languages): State<Languages>, mut request: Request, next: Next) -> Response {
    let locales = languages.locales;
    let path = request.uri().path();
    if let Some(code) = path.strip_prefix("/language/") {
        return switch(languages, code, request.uri());
    }
    let (locale, rest) = locales.split(path);
    if rest.len() != path.len() {
        // An address in a language other than the default's: served in it.
        let plain = match request.uri().query() {
            Some(query) => format!("{rest}?{query}"),
            None => rest.to_owned(),
        };
        if let Ok(uri) = plain.parse::<Uri>() {
            *request.uri_mut() = uri;
        }
        serve_in(&mut request, PageLanguage { locale, locales });
        return next.run(request).await;
    }
    let headers = request.headers();
    let page = matches!(*request.method(), Method::GET | Method::HEAD)
        && is_page(path)
        && headers.get(ACCEPT).and_then(|a| a.to_str().ok()).is_some_and(|a| a.contains("text/html"));
    if !page {
        // A server function, an asset: the calling page's language.
        let caller = headers
            .get(REFERER)
            .and_then(|r| r.to_str().ok())
            .and_then(|r| r.parse::<Uri>().ok())
            .map(|uri| locales.split(uri.path()).0);
        let locale = caller.or_else(|| languages.remembered(headers)).unwrap_or(locale);
        serve_in(&mut request, PageLanguage { locale, locales });
        return next.run(request).await;
    }
    let remembered = languages.remembered(headers);
    let wanted = remembered
        .or_else(|| headers.get(ACCEPT_LANGUAGE).and_then(|a| a.to_str().ok()).and_then(|a| locales.negotiate(a)));
    if let Some(wanted) = wanted.filter(|w| *w != locale) {
        let here = request.uri().path_and_query().map_or(path, |p| p.as_str());
        let mut response = (StatusCode::FOUND, [(LOCATION, locales.path(wanted, here))]).into_response();
        response.headers_mut().insert(VARY, HeaderValue::from_static("Accept-Language, Cookie"));
        if remembered.is_none() {
            response.headers_mut().insert(SET_COOKIE, languages.remember(wanted));
        }
        return response;
    }
    serve_in(&mut request, PageLanguage { locale, locales });
    let mut response = next.run(request).await;
    response.headers_mut().append(VARY, HeaderValue::from_static("Accept-Language, Cookie"));
    response
}

/// `/language/{code}?return_to=/catalog?q=x`: remembers the choice and goes to
/// the page's address in that language (a plain path on the shop only).
fn switch(languages: Languages, code: &str, uri: &Uri) -> Response {
    let Some(locale) = Locale::parse(code).filter(|l| languages.locales.offered().contains(l) && code.len() == 2)
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let return_to = uri.query().and_then(|q| {
        url::form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "return_to").map(|(_, v)| v.into_owned())
    });
    let return_to = jewelry::identity::safe_return_to(return_to.as_deref());
    // The page's plain path, whichever language's address it came as.
    let plain = languages.locales.split(&return_to).1.to_owned();
    let mut response = (StatusCode::SEE_OTHER, [(LOCATION, languages.locales.path(locale, &plain))]).into_response();
    response.headers_mut().insert(SET_COOKIE, languages.remember(locale));
    response
}

#[cfg(test)]
mod tests {
    use super::is_page;

    #[test]
    fn pages_are_the_routes_not_the_assets() {
        for page in ["/", "/catalog", "/products/aurora-ring", "/cart", "/admin/products", "/no-such-page"] {
            assert!(is_page(page), "{page}");
        }
        for other in ["/api/cart", "/pkg/jewelry.wasm", "/favicon.svg", "/robots.txt", "/events", "/media/a.webp"] {
            assert!(!is_page(other), "{other}");
        }
    }
}
