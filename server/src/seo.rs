//! For search engines: `/robots.txt` (the private and per-shopper pages kept out)
//! and `/sitemap.xml` (the home page, the catalog, every category and every listed
//! product, each with when it last changed), both from the database on request.

use crate::db::Database;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// What the two routes need: the database and the shop's public origin.
#[derive(Clone)]
pub struct Seo {
    pub pool: Database,
    /// `https://shop.example`, no trailing slash.
    pub origin: Arc<str>,
    /// The languages each page is listed in.
    pub locales: jewelry::Locales,
}

/// Pages crawlers are asked to leave alone: the admin area, accounts, carts,
/// checkout and orders (per shopper, never worth indexing), and the server
/// functions.
pub const DISALLOWED: &[&str] = &["/admin", "/account", "/cart", "/checkout", "/orders/", "/signin", "/api/", "/auth/"];

/// Crawlers may read these for an hour before asking again.
const CACHE: &str = "public, max-age=3600";

fn answer(content_type: &'static str, body: String) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE));
    response
}

pub async fn robots(State(seo): State<Seo>) -> Response {
    let mut body = String::from("User-agent: *\n");
    for path in DISALLOWED {
        body.push_str(&format!("Disallow: {path}\n"));
    }
    // The pages' addresses in the other languages (server functions have one only).
    for &locale in seo.locales.offered().iter().filter(|l| **l != seo.locales.default_locale()) {
        for path in DISALLOWED.iter().filter(|p| !p.starts_with("/api/") && !p.starts_with("/auth/")) {
            body.push_str(&format!("Disallow: {}\n", seo.locales.path(locale, path)));
        }
    }
    body.push_str(&format!("\nSitemap: {}/sitemap.xml\n", seo.origin));
    answer("text/plain; charset=utf-8", body)
}

pub async fn sitemap(State(seo): State<Seo>) -> Response {
    match sitemap_xml(&seo).await {
        Ok(xml) => answer("application/xml; charset=utf-8", xml),
        Err(e) => {
            tracing::error!(error = %e, "the sitemap could not be read from the database");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// XML text: `&`, `<` and `>` escaped (there are no attributes).
fn xml_text(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

async fn sitemap_xml(seo: &Seo) -> Result<String, sqlx::Error> {
    let products: Vec<(String, String)> =
        sqlx::query_as("SELECT id, updated_at FROM products WHERE archived = 0 ORDER BY id")
            .fetch_all(&seo.pool)
            .await?;
    let categories: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT c.id, MAX(p.updated_at) FROM categories c \
         LEFT JOIN products p ON p.category_id = c.id AND p.archived = 0 \
         GROUP BY c.id, c.position ORDER BY c.position, c.id",
    )
    .fetch_all(&seo.pool)
    .await?;
    let newest = products.iter().map(|(_, at)| at.as_str()).max().map(str::to_owned);
    let mut urls: Vec<(String, Option<String>)> =
        vec![("/".to_owned(), newest.clone()), ("/catalog".to_owned(), newest)];
    urls.extend(
        categories
            .into_iter()
            .map(|(id, at)| (jewelry::catalog::CatalogQuery { category: Some(id), ..Default::default() }.href(), at)),
    );
    urls.extend(products.into_iter().map(|(id, at)| (jewelry::seo::product_path(&id), Some(at))));
    // Every page in every language, each naming its alternates (Google's way of
    // listing `hreflang` in a sitemap).
    let locales = seo.locales;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for (path, modified) in urls {
        for &locale in locales.offered() {
            xml.push_str("  <url>\n    <loc>");
            xml.push_str(&xml_text(&jewelry::seo::absolute(&seo.origin, &locales.path(locale, &path))));
            xml.push_str("</loc>\n");
            if let Some(modified) = &modified {
                xml.push_str(&format!("    <lastmod>{}</lastmod>\n", xml_text(modified)));
            }
            if locales.offered().len() > 1 {
                let alternates =
                    locales.offered().iter().map(|l| (l.code(), *l)).chain([("x-default", locales.default_locale())]);
                for (hreflang, alternate) in alternates {
                    let href = jewelry::seo::absolute(&seo.origin, &locales.path(alternate, &path));
                    xml.push_str(&format!(
                        "    <xhtml:link rel=\"alternate\" hreflang=\"{hreflang}\" href=\"{}\"/>\n",
                        xml_text(&href)
                    ));
                }
            }
            xml.push_str("  </url>\n");
        }
    }
    xml.push_str("</urlset>\n");
    Ok(xml)
}
