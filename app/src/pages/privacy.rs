//! The privacy page: what the shop collects and why, how long it keeps it, where,
//! and the shopper's choice about analytics, which they change here. Rendered for
//! each request (it shows the browser's choice), in both languages.

use crate::i18n::{href, locale};
use jewelry::consent::{Choice, NOTICE_VERSION, REMEMBER_DAYS};
use jewelry::text::fill;
use jewelry::text::privacy::words;
use leptos::prelude::*;
use leptos_meta::Title;

/// What the page says of the shop's settings (the server provides it).
#[derive(Clone, Copy, Debug, Default)]
pub struct PrivacyFacts {
    /// How long log lines are kept (`privacy.log_retention_days`).
    pub log_retention_days: u32,
    /// How long the insights' counts are kept (`insights.retention_days`).
    pub insights_retention_days: u32,
    /// The logs go to CloudWatch Logs: the shop runs on AWS.
    pub on_aws: bool,
}

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let w = words(locale());
    let facts = use_context::<PrivacyFacts>().unwrap_or_default();
    #[cfg(feature = "ssr")]
    let (choice, gpc) = crate::backend::consent_choice();
    #[cfg(not(feature = "ssr"))]
    let (choice, gpc) = (None::<Choice>, false);
    let status = match (choice, gpc) {
        (Some(Choice::Accepted), _) => w.choice_accepted,
        (Some(Choice::Withdrawn), _) => w.choice_withdrawn,
        (_, true) => w.choice_gpc,
        (Some(Choice::Refused), _) => w.choice_refused,
        (None, false) => w.choice_none,
    };
    let button = move |choice: Choice, label: &'static str| {
        view! {
            <button type="submit" name="choice" value=choice.as_str() class="button">
                {label}
            </button>
        }
    };
    let buttons = match choice {
        Some(Choice::Accepted) => button(Choice::Withdrawn, w.withdraw).into_any(),
        Some(Choice::Refused) | Some(Choice::Withdrawn) => button(Choice::Accepted, w.consent_accept).into_any(),
        None => view! { {button(Choice::Accepted, w.consent_accept)} {button(Choice::Refused, w.consent_refuse)} }
            .into_any(),
    };
    let days = |template: &str, n: u32| fill(template, &[("days", &n)]);
    view! {
        <Title text=w.privacy_title/>
        <article class="privacy-page" aria-labelledby="privacy-heading">
            <h1 id="privacy-heading">{w.privacy_title}</h1>
            <p>{w.privacy_intro}</p>
            <p class="privacy-version">{fill(w.privacy_version, &[("version", &NOTICE_VERSION)])}</p>
            <section aria-labelledby="choice-heading" class="privacy-choice">
                <h2 id="choice-heading">{w.choice_heading}</h2>
                <p class="privacy-status" data-choice=choice.map(Choice::as_str)>{status}</p>
                <form method="post" action="/consent" class="consent-actions" data-consent-form="">
                    <input type="hidden" name="source" value="privacy_page"/>
                    <input type="hidden" name="return_to" value=href("/privacy")/>
                    {buttons}
                </form>
                {(choice == Some(Choice::Accepted)).then(|| view! { <p class="hint">{w.withdraw_note}</p> })}
            </section>
            <section aria-labelledby="collected-heading">
                <h2 id="collected-heading">{w.collected_heading}</h2>
                <ul>
                    <li>{w.collected_orders}</li>
                    <li>{w.collected_account}</li>
                    <li>{w.collected_analytics}</li>
                    <li>{w.collected_security}</li>
                    <li>{w.collected_count}</li>
                </ul>
            </section>
            <section aria-labelledby="kept-heading">
                <h2 id="kept-heading">{w.kept_heading}</h2>
                <ul>
                    <li>{days(w.kept_logs, facts.log_retention_days)}</li>
                    <li>{days(w.kept_insights, facts.insights_retention_days)}</li>
                    <li>{w.kept_orders}</li>
                </ul>
            </section>
            <section aria-labelledby="stored-heading">
                <h2 id="stored-heading">{w.stored_heading}</h2>
                <p>{if facts.on_aws { w.stored_aws } else { w.stored_server }}</p>
            </section>
            <section aria-labelledby="rights-heading">
                <h2 id="rights-heading">{w.rights_heading}</h2>
                <p>{w.rights_text} " " <a href=href("/account")>{w.rights_heading}</a></p>
            </section>
            <section aria-labelledby="change-heading">
                <h2 id="change-heading">{w.change_heading}</h2>
                <p>{days(w.change_text, REMEMBER_DAYS as u32)}</p>
            </section>
        </article>
    }
}
