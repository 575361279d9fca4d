//! The consent banner: on a shopper's first visit, "accept" and "refuse" for
//! analytics with equal weight, a link to the privacy page, and, for a browser
//! sending Global Privacy Control, why nothing is recorded instead.
//!
//! Server-rendered and static (the server's `consent` layer chose which banner, or
//! none, and the page is kept per banner): a plain form posting to `/consent`, which
//! answers with the same page, so it works without JavaScript. The page's own
//! script (`tracker/first_page_view.js`) adds the ids it mints to an acceptance, and
//! shows the GPC words when the browser says so only to scripts
//! (`navigator.globalPrivacyControl`). Fixed to the foot of the window, it moves
//! nothing on the page.

use crate::i18n::{here, href, locale};
use jewelry::consent::Banner;
use jewelry::text::privacy::words;
use leptos::prelude::*;

#[component]
pub fn ConsentBanner() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let banner = crate::backend::consent_banner();
    #[cfg(not(feature = "ssr"))]
    let banner = Banner::None;
    (banner != Banner::None).then(|| {
        let w = words(locale());
        let address = href(&here());
        let privacy = href("/privacy");
        view! {
            <aside
                class="consent-banner"
                aria-label=w.consent_label
                data-gpc=(banner == Banner::Gpc).then_some("")
            >
                <form method="post" action="/consent" data-consent-form="">
                    <input type="hidden" name="source" value="banner"/>
                    <input type="hidden" name="return_to" value=address.clone()/>
                    <p class="consent-ask">{w.consent_ask}</p>
                    <p class="consent-gpc">{w.consent_gpc}</p>
                    <p>
                        <a href=privacy>{w.privacy_link}</a>
                    </p>
                    <div class="consent-actions consent-ask">
                        <button type="submit" name="choice" value="accepted" class="button">
                            {w.consent_accept}
                        </button>
                        <button type="submit" name="choice" value="refused" class="button">
                            {w.consent_refuse}
                        </button>
                    </div>
                    <div class="consent-actions consent-gpc">
                        <a class="button" href=address>{w.consent_close}</a>
                    </div>
                </form>
            </aside>
        }
    })
}
