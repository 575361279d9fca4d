use crate::api::{SignInOptions, load_sign_in_options};
use crate::i18n::{href, locale};
use jewelry::text::order::words;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The development identity provider's sign-in form (the embedded profile). With
/// Cognito, sign-in happens on its hosted UI and this page only reports a failure.
/// Without a `return_to`, signing in comes back to the home page in this page's language.
#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let home = StoredValue::new(href("/"));
    let return_to = move || {
        let to = query.read().get("return_to");
        match to {
            Some(to) => jewelry::identity::safe_return_to(Some(to.as_str())),
            None => home.get_value(),
        }
    };
    let error = move || query.read().get("error");
    let options = Resource::new(|| (), |_| load_sign_in_options());
    let w = words(locale());
    let sign_in = jewelry::text::common::words(locale()).sign_in;

    view! {
        <Title text=sign_in/>
        <section class="signin-page" aria-labelledby="signin-heading">
            <h1 id="signin-heading">{sign_in}</h1>
            {move || {
                error()
                    .map(|e| {
                        let message = match e.as_str() {
                            "invalid" => w.signin_invalid,
                            "cognito" => w.signin_incomplete,
                            _ => w.signin_unavailable,
                        };
                        view! { <p class="notice notice-error" role="alert">{message}</p> }
                    })
            }}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match options.await.unwrap_or_default() {
                        SignInOptions::DevForm => Either::Left(view! { <DevSignInForm return_to=return_to()/> }),
                        SignInOptions::HostedUi => {
                            let login = format!(
                                "/auth/login?return_to={}",
                                jewelry::catalog::encode_component(&return_to()),
                            );
                            Either::Right(view! {
                                <p>
                                    <a class="button" href=login rel="external">{sign_in}</a>
                                </p>
                            })
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn DevSignInForm(return_to: String) -> impl IntoView {
    let w = words(locale());
    let sign_in = jewelry::text::common::words(locale()).sign_in;
    view! {
        <form class="signin-form" method="post" action="/auth/dev/login">
            <p class="signin-hint">{w.signin_dev_hint}</p>
            <input type="hidden" name="return_to" value=return_to/>
            <div class="field">
                <label for="username">{w.signin_username}</label>
                <input id="username" name="username" type="text" autocomplete="username" required/>
            </div>
            <div class="field">
                <label for="password">{w.signin_password}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required/>
            </div>
            <button type="submit" class="button button-primary button-wide">{sign_in}</button>
            <p class="signin-guest">
                <a href=href("/catalog")>{w.continue_as_guest}</a>
            </p>
        </form>
    }
}
