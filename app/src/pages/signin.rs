use crate::api::{SignInOptions, load_sign_in_options};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The development identity provider's sign-in form (the embedded profile). With
/// Cognito, sign-in happens on its hosted UI and this page only reports a failure.
#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let return_to = move || jewelry::identity::safe_return_to(query.read().get("return_to").as_deref());
    let error = move || query.read().get("error");
    let options = Resource::new(|| (), |_| load_sign_in_options());

    view! {
        <Title text="Sign in"/>
        <section class="signin-page" aria-labelledby="signin-heading">
            <h1 id="signin-heading">"Sign in"</h1>
            {move || {
                error()
                    .map(|e| {
                        let message = match e.as_str() {
                            "invalid" => "That email or password is not right. Please try again.",
                            "cognito" => "Signing in did not complete. Please try again.",
                            _ => "Signing in is not available right now. Please try again in a moment.",
                        };
                        view! { <p class="notice notice-error" role="alert">{message}</p> }
                    })
            }}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match options.await.unwrap_or_default() {
                        SignInOptions::DevForm => Either::Left(view! { <DevSignInForm return_to=return_to()/> }),
                        SignInOptions::HostedUi => {
                            let href = format!(
                                "/auth/login?return_to={}",
                                jewelry::catalog::encode_component(&return_to()),
                            );
                            Either::Right(view! {
                                <p>
                                    <a class="button" href=href rel="external">"Sign in"</a>
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
    view! {
        <form class="signin-form" method="post" action="/auth/dev/login">
            <p class="signin-hint">
                "This shop is running with its built-in development identity provider. "
                "Its accounts are listed in the README."
            </p>
            <input type="hidden" name="return_to" value=return_to/>
            <div class="field">
                <label for="username">"Email or username"</label>
                <input id="username" name="username" type="text" autocomplete="username" required/>
            </div>
            <div class="field">
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required/>
            </div>
            <button type="submit" class="button button-primary button-wide">"Sign in"</button>
            <p class="signin-guest">
                <a href="/catalog">"Continue as a guest"</a>
            </p>
        </form>
    }
}
