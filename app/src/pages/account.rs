use crate::api::{ShopError, load_account};
use crate::components::notice::{ErrorNotice, SignInNotice};
use crate::error::ErrorWords;
use crate::i18n::{href, locale};
use jewelry::PriceFormat;
use jewelry::order::{AccountView, OrderSummary, placed_when, status_label};
use jewelry::text::order::words;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;

/// A signed-in shopper's account: who they are, and their orders.
#[component]
pub fn AccountPage() -> impl IntoView {
    let account = Resource::new(|| (), |_| load_account());
    let locale = locale();
    let w = words(locale);
    let loading = jewelry::text::common::words(locale).loading;
    view! {
        <Title text=w.account_title/>
        <section class="account-page" aria-labelledby="account-heading">
            <h1 id="account-heading">{w.account_title}</h1>
            <Suspense fallback=move || view! { <p class="loading">{loading}</p> }>
                {move || Suspend::new(async move {
                    match account.await {
                        Ok(account) => EitherOf3::A(view! { <AccountOrders account/> }),
                        Err(ShopError::SignInRequired) => EitherOf3::B(view! { <SignInNotice return_to="/account"/> }),
                        Err(error) => EitherOf3::C(view! { <ErrorNotice error words=ErrorWords::new(locale)/> }),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn AccountOrders(account: AccountView) -> impl IntoView {
    let w = words(locale());
    let browse = jewelry::text::common::words(locale()).browse_collection;
    view! {
        <p class="account-who">{w.signed_in_as} <strong>{account.user.display_name}</strong></p>
        <h2>{w.your_orders}</h2>
        {if account.orders.is_empty() {
            Either::Left(view! {
                <div class="empty-state">
                    <p>{w.no_orders}</p>
                    <p>
                        <a class="button" href=href("/catalog")>{browse}</a>
                    </p>
                </div>
            })
        } else {
            Either::Right(view! { <OrdersTable orders=account.orders with_email=false/> })
        }}
        <section class="account-data" aria-labelledby="your-data-heading">
            <h2 id="your-data-heading">{w.your_data}</h2>
            <p>{w.your_data_text}</p>
            <p>
                <a class="button" href="/account/data" download="">{w.download_data}</a>
            </p>
            <form method="post" action="/account/delete" class="delete-account">
                <p>{w.delete_account_text}</p>
                <p>
                    <label>
                        <input type="checkbox" name="confirm" value="yes" required=""/>
                        " "
                        {w.delete_confirm}
                    </label>
                </p>
                <button type="submit" class="button button-danger">{w.delete_account}</button>
            </form>
        </section>
    }
}

/// Orders in a table: the account page's, and the admin area's latest (`with_email`
/// adds the customer's). Server-rendered, in the page's language.
#[component]
pub fn OrdersTable(orders: Vec<OrderSummary>, with_email: bool) -> impl IntoView {
    let prices = expect_context::<PriceFormat>();
    let locale = locale();
    let w = words(locale);
    view! {
        <table class="orders-table">
            <thead>
                <tr>
                    <th scope="col">{w.col_order}</th>
                    <th scope="col">{w.col_placed}</th>
                    {with_email.then(|| view! { <th scope="col">{w.col_customer}</th> })}
                    <th scope="col">{w.col_items}</th>
                    <th scope="col">{w.total}</th>
                    <th scope="col">{w.col_status}</th>
                </tr>
            </thead>
            <tbody>
                {orders
                    .into_iter()
                    .map(|order| {
                        // The admin area's rows open the order on the desk.
                        let link = match with_email {
                            true => href(&format!("/admin/orders/{}", order.id)),
                            false => href(&format!("/orders/{}", order.id)),
                        };
                        view! {
                            <tr>
                                <td>
                                    <a href=link>{order.id.clone()}</a>
                                </td>
                                <td>{placed_when(&order.placed_at, locale)}</td>
                                {with_email.then(|| view! { <td>{order.email.clone().unwrap_or_default()}</td> })}
                                <td>{order.item_count}</td>
                                <td>{prices.show(order.total)}</td>
                                <td>{status_label(&order.status, w).to_owned()}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
