use crate::SHOP_NAME;
use crate::api::{ShopError, load_admin_overview};
use crate::components::notice::{ErrorNotice, SignInNotice};
use crate::pages::account::OrdersTable;
use jewelry::order::AdminOverview;
use leptos::either::EitherOf4;
use leptos::prelude::*;
use leptos_meta::Title;

/// The admin area: for members of the `admin` group only (401 without a sign-in, 403 without the role).
#[component]
pub fn AdminPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| load_admin_overview());
    view! {
        <Title text=format!("Admin · {SHOP_NAME}")/>
        <section class="admin-page" aria-labelledby="admin-heading">
            <crate::pages::admin_products::AdminNav/>
            <h1 id="admin-heading">"Admin"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(overview) => EitherOf4::A(view! { <Overview overview/> }),
                        Err(ShopError::SignInRequired) => EitherOf4::B(view! { <SignInNotice return_to="/admin"/> }),
                        Err(ShopError::Forbidden) => EitherOf4::C(view! {
                            <div class="notice notice-error" role="alert">
                                <p>"This area is for the shop's administrators. Your account is not one of them."</p>
                            </div>
                        }),
                        Err(error) => EitherOf4::D(view! { <ErrorNotice error/> }),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Overview(overview: AdminOverview) -> impl IntoView {
    view! {
        <ul class="admin-figures">
            <li>
                <span class="figure">{overview.order_count}</span>
                " orders"
            </li>
            <li>
                <span class="figure">{overview.revenue.to_string()}</span>
                " in orders"
            </li>
            <li>
                <span class="figure">{overview.customers}</span>
                " customers"
            </li>
        </ul>
        <h2>"Latest orders"</h2>
        <OrdersTable orders=overview.recent with_email=true/>
    }
}
