use crate::api::load_admin_overview;
use crate::pages::account::OrdersTable;
use crate::pages::admin_products::{AdminNav, AdminRefusal};
use jewelry::PriceFormat;
use jewelry::order::AdminOverview;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

/// The admin area: for members of the `admin` group only (401 without a sign-in, 403 without the role).
#[component]
pub fn AdminPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| load_admin_overview());
    view! {
        <Title text="Admin"/>
        <section class="admin-page" aria-labelledby="admin-heading">
            <AdminNav/>
            <h1 id="admin-heading">"Admin"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(overview) => Either::Left(view! { <Overview overview/> }),
                        Err(error) => Either::Right(view! { <AdminRefusal error return_to="/admin".to_owned()/> }),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Overview(overview: AdminOverview) -> impl IntoView {
    let prices = expect_context::<PriceFormat>();
    view! {
        <ul class="admin-figures">
            <li>
                <span class="figure">{overview.order_count}</span>
                " orders"
            </li>
            <li>
                <span class="figure">{prices.show(overview.revenue)}</span>
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
