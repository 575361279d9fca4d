use crate::api::{ShopError, load_order};
use crate::components::notice::{ErrorNotice, NotFoundNotice};
use jewelry::PriceFormat;
use jewelry::order::OrderView;
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
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match order.await {
                    Ok(order) => EitherOf3::A(view! { <OrderConfirmation order/> }),
                    Err(ShopError::NotFound) => EitherOf3::B(view! { <NotFoundNotice what="Order"/> }),
                    Err(error) => EitherOf3::C(view! { <ErrorNotice error/> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OrderConfirmation(order: OrderView) -> impl IntoView {
    // In the order's own currency, as the page writes amounts.
    let prices = PriceFormat { currency: order.currency, ..expect_context::<PriceFormat>() };
    let first_name = order.full_name.split_whitespace().next().unwrap_or_default().to_owned();
    view! {
        <Title text=format!("Order {} confirmed", order.id)/>
        <section class="order-page" aria-labelledby="order-heading">
            <p class="eyebrow">"Thank you, " {first_name}</p>
            <h1 id="order-heading">"Your order is confirmed"</h1>
            <p class="order-number">
                "Order number " <strong data-testid="order-number">{order.id.clone()}</strong>
            </p>
            <p>
                {format!(
                    "We have sent the details to {}. Please have {} ready in cash when the courier arrives.",
                    order.email,
                    prices.show(order.total),
                )}
            </p>
            <div class="order-columns">
                <div>
                    <h2>"Items"</h2>
                    <table class="order-lines">
                        <thead>
                            <tr>
                                <th scope="col">"Piece"</th>
                                <th scope="col">"Qty"</th>
                                <th scope="col">"Price"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {order
                                .lines
                                .into_iter()
                                .map(|line| {
                                    view! {
                                        <tr>
                                            <td>
                                                <a href=format!("/products/{}", line.product_id)>{line.name}</a>
                                                <span class="product-brand">{line.brand}</span>
                                            </td>
                                            <td>{line.quantity}</td>
                                            <td>{prices.show(line.line_total)}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                        <tfoot>
                            <tr>
                                <th scope="row" colspan="2">"Subtotal"</th>
                                <td>{prices.show(order.subtotal)}</td>
                            </tr>
                            <tr>
                                <th scope="row" colspan="2">"Shipping"</th>
                                <td>{if order.shipping.minor() == 0 { "Free".to_owned() } else { prices.show(order.shipping) }}</td>
                            </tr>
                            <tr class="total">
                                <th scope="row" colspan="2">"Total"</th>
                                <td data-testid="order-total">{prices.show(order.total)}</td>
                            </tr>
                        </tfoot>
                    </table>
                </div>
                <div>
                    <h2>"Delivery"</h2>
                    <address>
                        {order.full_name.clone()}
                        <br/>
                        {order.address.into_iter().map(|line| view! { {line} <br/> }).collect_view()}
                        {order.phone.clone()}
                    </address>
                    <h2>"Payment"</h2>
                    <p>"Cash on delivery"</p>
                </div>
            </div>
            <p>
                <a class="button" href="/catalog">"Continue shopping"</a>
            </p>
        </section>
    }
}
