use crate::api::load_admin_overview;
use crate::i18n::locale;
use crate::pages::account::OrdersTable;
use crate::pages::admin_products::{AdminNav, AdminRefusal};
use jewelry::PriceFormat;
use jewelry::order::AdminOverview;
use jewelry::text::{admin, common};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

/// The admin area: for members of the `admin` group only (401 without a sign-in, 403 without the role).
#[component]
pub fn AdminPage() -> impl IntoView {
    let w = common::words(locale());
    let overview = Resource::new(|| (), |_| load_admin_overview());
    view! {
        <Title text=w.admin/>
        <section class="admin-page" aria-labelledby="admin-heading">
            <AdminNav/>
            <h1 id="admin-heading">{w.admin}</h1>
            <Suspense fallback=move || view! { <p class="loading">{w.loading}</p> }>
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
    let locale = locale();
    let w = admin::words(locale);
    let count = |n: i64| locale.group_digits(u64::try_from(n).unwrap_or_default());
    view! {
        <ul class="admin-figures">
            <li>
                <span class="figure">{count(overview.order_count)}</span>
                {w.orders_figure}
            </li>
            <li>
                <span class="figure">{prices.show(overview.revenue)}</span>
                {w.in_orders_figure}
            </li>
            <li>
                <span class="figure">{count(overview.customers)}</span>
                {w.customers_figure}
            </li>
        </ul>
        <h2>{w.latest_orders}</h2>
        <OrdersTable orders=overview.recent with_email=true/>
    }
}
