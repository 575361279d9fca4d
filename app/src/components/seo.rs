//! What search engines and link previews read in a page's head: its canonical
//! address and its addresses in the shop's other languages, Open Graph and Twitter
//! card tags, all absolute on the shop's public origin (`APP_PUBLIC_URL`), which the
//! app loads once ([`Site`]).

use crate::api::ShopError;
use crate::i18n::page_language;
use jewelry::seo::absolute;
use leptos::prelude::*;
use leptos_meta::{Link, Meta};

/// The shop's name, at the end of every page's title.
pub const SHOP_NAME: &str = "Lumen Jewelry";

/// The shop's public origin, loaded once for the whole app (server-rendered with
/// the first page, so hydration needs no request).
#[derive(Clone, Copy)]
pub struct Site(pub Resource<Result<String, ShopError>>);

/// The public origin, once loaded: pages await it with their own data.
pub async fn site_origin() -> String {
    match use_context::<Site>() {
        Some(Site(site)) => site.await.unwrap_or_default(),
        None => String::new(),
    }
}

/// A page's canonical address in its language, and its `hreflang` alternates: one
/// per language the shop offers, and `x-default`, the default language's, for a
/// reader whose language is not offered. `path` is the page's path on the shop,
/// in no language (`/catalog?category=rings`).
#[component]
pub fn LanguageLinks(base: String, path: String) -> impl IntoView {
    let language = page_language();
    let locales = language.locales;
    let alternates = locales
        .offered()
        .iter()
        .map(|l| view! { <Link rel="alternate" hreflang=l.code() href=absolute(&base, &locales.path(*l, &path))/> })
        .collect_view();
    let default = absolute(&base, &locales.path(locales.default_locale(), &path));
    view! {
        <Link rel="canonical" href=absolute(&base, &locales.path(language.locale, &path))/>
        {alternates}
        <Link rel="alternate" hreflang="x-default" href=default/>
    }
}

/// The head tags a shared or indexed page carries. `title` is the page's words
/// (the shop's name is added), `path` its canonical path on the shop (in no
/// language: [`LanguageLinks`] adds them), `image` a site path or an absolute URL.
#[component]
pub fn ShareTags(
    base: String,
    path: String,
    title: String,
    description: String,
    #[prop(default = None)] image: Option<String>,
    #[prop(default = "website")] kind: &'static str,
) -> impl IntoView {
    let url = absolute(&base, &crate::i18n::href(&path));
    let og_locale = match page_language().locale {
        jewelry::Locale::Vi => "vi_VN",
        jewelry::Locale::En => "en_US",
    };
    let image = image.map(|i| absolute(&base, &i));
    let card = if image.is_some() { "summary_large_image" } else { "summary" };
    let title = if title.is_empty() { SHOP_NAME.to_owned() } else { format!("{title} · {SHOP_NAME}") };
    view! {
        <LanguageLinks base=base.clone() path/>
        <Meta property="og:type" content=kind/>
        <Meta property="og:locale" content=og_locale/>
        <Meta property="og:site_name" content=SHOP_NAME/>
        <Meta property="og:title" content=title.clone()/>
        <Meta property="og:description" content=description.clone()/>
        <Meta property="og:url" content=url/>
        {image.clone().map(|image| view! { <Meta property="og:image" content=image/> })}
        <Meta name="twitter:card" content=card/>
        <Meta name="twitter:title" content=title/>
        <Meta name="twitter:description" content=description/>
        {image.map(|image| view! { <Meta name="twitter:image" content=image/> })}
    }
}
