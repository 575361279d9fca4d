use crate::api::{ShopError, load_account};
use crate::components::notice::{ErrorNotice, SignInNotice};
use jewelry::PriceFormat;
use jewelry::order::{AccountView, OrderSummary};
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;

/// A signed-in shopper's account: who they are, and their orders.
#[component]
pub fn AccountPage() -> impl IntoView {
    let account = Resource::new(|| (), |_| load_account());
    view! {
        <Title text="Your account"/>
        <section class="account-page" aria-labelledby="account-heading">
            <h1 id="account-heading">"Your account"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match account.await {
                        Ok(account) => EitherOf3::A(view! { <AccountOrders account/> }),
                        Err(ShopError::SignInRequired) => EitherOf3::B(view! { <SignInNotice return_to="/account"/> }),
                        Err(error) => EitherOf3::C(view! { <ErrorNotice error/> }),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn AccountOrders(account: AccountView) -> impl IntoView {
    view! {
        <p class="account-who">"Signed in as " <strong>{account.user.display_name}</strong></p>
        <h2>"Your orders"</h2>
        {if account.orders.is_empty() {
            Either::Left(view! {
                <div class="empty-state">
                    <p>"You have not ordered anything yet."</p>
                    <p>
                        <a class="button" href="/catalog">"Browse the collection"</a>
                    </p>
                </div>
            })
        } else {
            Either::Right(view! { <OrdersTable orders=account.orders with_email=false/> })
        }}
    }
}

/// `2026-11-26T19:42:55.123Z` as `2026-11-26 19:42 UTC`.
pub fn short_time(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(date), Some(time)) => format!("{date} {time} UTC"),
        _ => rfc3339.to_owned(),
    }
}

#[component]
pub fn OrdersTable(orders: Vec<OrderSummary>, with_email: bool) -> impl IntoView {
    let prices = expect_context::<PriceFormat>();
    view! {
        <table class="orders-table">
            <thead>
                <tr>
                    <th scope="col">"Order"</th>
                    <th scope="col">"Placed"</th>
                    {with_email.then(|| view! { <th scope="col">"Customer"</th> })}
                    <th scope="col">"Items"</th>
                    <th scope="col">"Total"</th>
                    <th scope="col">"Status"</th>
                </tr>
            </thead>
            <tbody>
                {orders
                    .into_iter()
                    .map(|order| {
                        let href = format!("/orders/{}", order.id);
                        view! {
                            <tr>
                                <td>
                                    <a href=href>{order.id.clone()}</a>
                                </td>
                                <td>{short_time(&order.placed_at)}</td>
                                {with_email.then(|| view! { <td>{order.email.clone().unwrap_or_default()}</td> })}
                                <td>{order.item_count}</td>
                                <td>{prices.show(order.total)}</td>
                                <td>{order.status.clone()}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
