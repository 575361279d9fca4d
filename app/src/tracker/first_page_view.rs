//! The script that sends a page's first `page_view` before the wasm has loaded,
//! once the shopper has accepted analytics, and carries out the consent banner's
//! and the privacy page's choices; assembled on the server from
//! `first_page_view.js` and the tracker's and consent's constants.

use http::request::Parts;
use leptos::reactive::owner::with_context;

/// The first `page_view`, sent by a few lines in the page itself before the wasm
/// has loaded (see `tracker/first_page_view.js`), with the tracker's own keys,
/// timeout and endpoint filled in, and its line breaks and indentation taken out;
/// nothing on admin pages, which are not shop traffic.
pub fn first_page_view_script() -> &'static str {
    let path = with_context::<Parts, _>(|parts| parts.uri.path().to_owned()).unwrap_or_default();
    if jewelry::events::is_shop_page(&path) { early_page_view_script() } else { "" }
}

fn early_page_view_script() -> &'static str {
    static SCRIPT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SCRIPT.get_or_init(|| {
        use super::{BEACONED_KEY, CLIENT_ID_KEY, EVENTS_URL, FIRST_PAGE_VIEW, SESSION_KEY, SESSION_TIMEOUT_MS};
        use jewelry::consent::{COOKIE, NOTICE_VERSION, REMEMBER_DAYS};
        include_str!("first_page_view.js")
            .lines()
            .map(str::trim)
            .collect::<String>()
            .replace("CONSENT_NAME", COOKIE)
            .replace("NOTICE_VERSION", &format!("'{NOTICE_VERSION}'"))
            .replace("REMEMBER_SECS", &format!("{}", REMEMBER_DAYS * 24 * 3600))
            .replace("BEACONED_KEY", &format!("'{BEACONED_KEY}'"))
            .replace("CLIENT_KEY", &format!("'{CLIENT_ID_KEY}'"))
            .replace("SESSION_KEY", &format!("'{SESSION_KEY}'"))
            .replace("TIMEOUT", &format!("{SESSION_TIMEOUT_MS}"))
            .replace("EVENTS_URL", &format!("'{EVENTS_URL}'"))
            .replace("FIRST_KEY", &format!("'{FIRST_PAGE_VIEW}'"))
            .replace("LOCALES", &serde_json::to_string(&jewelry::Locale::ALL).unwrap_or_default())
    })
}
