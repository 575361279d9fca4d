use crate::api::{ShopError, load_order};
use crate::components::notice::{ErrorNotice, Missing, NotFoundNotice};
use crate::error::ErrorWords;
use crate::i18n::{href, locale};
use crate::pages::admin_orders::{OrderLinesTable, StatusHistory};
use jewelry::order::{OrderView, payment_method_label, status_label};
use jewelry::text::fill;
use jewelry::{Locale, PriceFormat};
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The confirmation a shopper sees after placing an order, and can come back to.
#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let order = Resource::new(move || id.get(), load_order);
    let locale = locale();
    let loading = jewelry::text::common::words(locale).loading;
    view! {
        <Suspense fallback=move || view! { <p class="loading">{loading}</p> }>
            {move || Suspend::new(async move {
                match order.await {
                    Ok(order) => EitherOf3::A(view! { <OrderConfirmation order/> }),
                    Err(ShopError::NotFound) => EitherOf3::B(view! { <NotFoundNotice what=Missing::Order/> }),
                    Err(error) => EitherOf3::C(view! { <ErrorNotice error words=ErrorWords::new(locale)/> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OrderConfirmation(order: OrderView) -> impl IntoView {
    let locale = locale();
    let w = jewelry::text::order::words(locale);
    // In the order's own currency, as the page writes amounts.
    let prices = PriceFormat { currency: order.currency, ..expect_context::<PriceFormat>() };
    // English thanks by the first name; Vietnamese puts the given name last, and
    // thanks by the whole name.
    let name = match locale {
        Locale::Vi => order.full_name.trim().to_owned(),
        Locale::En => order.full_name.split_whitespace().next().unwrap_or_default().to_owned(),
    };
    let title = fill(w.order_title, &[("id", &order.id)]);
    let details = fill(w.order_details_sent, &[("email", &order.email), ("total", &prices.show(order.total))]);
    // Just placed, the page thanks; later it is the order's own page.
    let heading = match order.status.as_str() {
        "placed" => w.order_received.to_owned(),
        _ => fill(w.order_heading, &[("id", &order.id)]),
    };
    let status_now = fill(w.order_status_now, &[("status", &status_label(&order.status, w))]);
    let shipment = order
        .shipment()
        .map(|(carrier, tracking)| fill(w.order_tracking, &[("carrier", &carrier), ("tracking", &tracking)]));
    let history = order.history.clone();
    let lines = order.clone();
    view! {
        <Title text=title/>
        <section class="order-page" aria-labelledby="order-heading">
            <p class="eyebrow">{fill(w.thank_you, &[("name", &name)])}</p>
            <h1 id="order-heading">{heading}</h1>
            <p class="order-number">
                {w.order_number} <strong data-testid="order-number">{order.id.clone()}</strong>
            </p>
            <p>{details}</p>
            <section class="order-status" aria-labelledby="status-heading">
                <h2 id="status-heading">{w.order_status}</h2>
                <p data-testid="order-status">{status_now}</p>
                {shipment.map(|s| view! { <p class="shipment" data-testid="order-tracking">{s}</p> })}
                <h3>{w.order_history}</h3>
                <StatusHistory history admin=false prices/>
            </section>
            <div class="order-columns">
                <div>
                    <h2>{w.order_items}</h2>
                    <OrderLinesTable order=lines prices/>
                </div>
                <div>
                    <h2>{w.delivery}</h2>
                    <address>
                        {order.full_name.clone()}
                        <br/>
                        {order.address.into_iter().map(|line| view! { {line} <br/> }).collect_view()}
                        {order.phone.clone()}
                    </address>
                    <h2>{w.payment}</h2>
                    <p>{payment_method_label(&order.payment_method, w).to_owned()}</p>
                </div>
            </div>
            <p>
                <a class="button" href=href("/catalog")>{w.continue_shopping}</a>
            </p>
        </section>
    }
}
