//! The page's language, its addresses, and the words its islands are sent.
//!
//! On the server the request's language ([`PageLanguage`], which the server's
//! language layer puts on the request) is provided to the whole page by [`App`];
//! pages read their words from `jewelry::text` with [`locale`] and write links with
//! [`href`]. Islands get no table: each takes the words it shows as a prop (made
//! with [`island_words!`]), so the browser is sent those words only, in the
//! page's language.
//!
//! [`App`]: crate::App

use jewelry::{Locale, Locales};

/// The language a page is rendered in, and the languages the shop offers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PageLanguage {
    pub locale: Locale,
    pub locales: Locales,
}

/// The page's language and the shop's languages (the defaults outside a request).
pub fn page_language() -> PageLanguage {
    leptos::prelude::use_context::<PageLanguage>().unwrap_or_default()
}

/// The language the page is rendered in (in the browser too: `hydrate` provides it
/// from `<html lang>`, for the islands' product names; their words come as props).
pub fn locale() -> Locale {
    page_language().locale
}

/// `path` (`/catalog?q=x`) as an address in the page's language (`/en/catalog?q=x`).
pub fn href(path: &str) -> String {
    let page = page_language();
    page.locales.path(page.locale, path)
}

/// The page's path and query on the shop, in no language (`/catalog?q=x` for
/// `/en/catalog?q=x`): the server's language layer took the language off. Read in
/// place from the request (`/` outside one).
pub fn here() -> String {
    #[cfg(feature = "ssr")]
    {
        leptos::reactive::owner::with_context::<http::request::Parts, _>(|parts| {
            parts.uri.path_and_query().map(ToString::to_string)
        })
        .flatten()
        .unwrap_or_else(|| "/".to_owned())
    }
    #[cfg(not(feature = "ssr"))]
    String::from("/")
}

/// What the page's addresses start with: `""` in the default language, `/en` in
/// English. For islands, which take it as a prop: `format!("{prefix}/checkout")`.
pub fn prefix() -> String {
    let page = page_language();
    if page.locale == page.locales.default_locale() { String::new() } else { format!("/{}", page.locale.code()) }
}

/// Declares the words an island shows, taken from an area of `jewelry::text`:
/// `island_words!(pub struct CartLinkWords from jewelry::text::store { cart, cart_empty });`
/// makes a struct of those entries as owned strings, a prop the server fills with
/// `CartLinkWords::new(locale)`. A name the area lacks does not compile.
#[macro_export]
macro_rules! island_words {
    ($(#[$meta:meta])* $vis:vis struct $name:ident from $($area:ident)::+ { $($field:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        $vis struct $name { $(pub $field: String,)* }

        impl $name {
            /// The words in `locale` (on the server: the browser gets them as props).
            pub fn new(locale: jewelry::Locale) -> Self {
                let words = $($area)::+::words(locale);
                Self { $($field: words.$field.to_owned(),)* }
            }
        }
    };
}
