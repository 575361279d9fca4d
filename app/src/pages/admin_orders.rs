//! The order desk: `/admin/orders`, every order with filters (status, days placed)
//! and a search (order number, email, phone), pages in the address; and
//! `/admin/orders/:id`, one order's lines, customer, address and status history,
//! with the moves it may make (each a plain form too, which posts without
//! JavaScript and comes back to the page).

use crate::api::{AdminMoveOrder, admin_list_orders, admin_load_order, admin_outbox};
use crate::components::browser::go_to;
use crate::error::ErrorWords;
use crate::i18n::{href, locale, prefix};
use crate::pages::account::OrdersTable;
use crate::pages::admin_products::{AdminNav, AdminRefusal};
use jewelry::PriceFormat;
use jewelry::checkout::FieldErrors;
use jewelry::fulfilment::{AdminOrder, MoveOutcome, OrderList, OrderQuery, OrderStatus, OutboxEmail, StatusChange};
use jewelry::order::{payment_method_label, placed_when};
use jewelry::text::{admin, common, fill, order};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/admin/orders`: for members of the `admin` group only.
#[component]
pub fn AdminOrdersPage() -> impl IntoView {
    let locale = locale();
    let w = admin::words(locale);
    let common_words = common::words(locale);
    let order_words = order::words(locale);
    let params = use_query_map();
    let query = Memo::new(move |_| {
        let params = params.read();
        OrderQuery::from_params(|name| params.get(name))
    });
    let orders = Resource::new(move || query.get(), admin_list_orders);
    let chosen = query.get_untracked();
    view! {
        <Title text=w.orders_title/>
        <section class="admin-page" aria-labelledby="orders-heading">
            <AdminNav/>
            <h1 id="orders-heading">{w.orders_heading}</h1>
            <form class="admin-search order-filters" method="get" action=href("/admin/orders") aria-label=w.orders_filter>
                <label for="order-status">{order_words.col_status}</label>
                <select id="order-status" name="status">
                    <option value="" selected=chosen.status.is_none()>{w.orders_status_any}</option>
                    {OrderStatus::ALL
                        .into_iter()
                        .map(|status| {
                            view! {
                                <option value=status.as_str() selected=chosen.status == Some(status)>
                                    {status.label(order_words)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <label for="order-from">{w.orders_from}</label>
                <input id="order-from" type="date" name="from" value=chosen.from.clone().unwrap_or_default()/>
                <label for="order-to">{w.orders_to}</label>
                <input id="order-to" type="date" name="to" value=chosen.to.clone().unwrap_or_default()/>
                <label for="order-search">{w.orders_search_label}</label>
                <input
                    id="order-search"
                    type="search"
                    name="q"
                    value=chosen.q.clone()
                    placeholder=w.orders_search
                    maxlength="100"
                />
                <button type="submit">{w.orders_apply}</button>
            </form>
            <Transition fallback=move || view! { <p class="loading">{common_words.loading}</p> }>
                {move || Suspend::new(async move {
                    match orders.await {
                        Ok(list) => Either::Left(view! { <OrderListView list query=query.get_untracked()/> }),
                        Err(error) => {
                            Either::Right(view! { <AdminRefusal error return_to="/admin/orders".to_owned()/> })
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn OrderListView(list: OrderList, query: OrderQuery) -> impl IntoView {
    let locale = locale();
    let w = admin::words(locale);
    if list.orders.is_empty() {
        return Either::Left(view! { <p class="empty-state">{w.orders_none}</p> });
    }
    let count =
        fill(w.orders_count, &[("n", &locale.group_digits(list.total)), ("page", &list.page), ("pages", &list.pages)]);
    let page_link = |page: u32| href(&format!("/admin/orders{}", query.href_query(page)));
    let previous = (list.page > 1).then(|| page_link(list.page - 1));
    let next = (list.page < list.pages).then(|| page_link(list.page + 1));
    Either::Right(view! {
        <p class="hint" data-testid="orders-count">{count}</p>
        <OrdersTable orders=list.orders with_email=true/>
        {(previous.is_some() || next.is_some())
            .then(|| {
                view! {
                    <nav class="pagination" aria-label=w.orders_pages>
                        {previous.map(|link| view! { <a href=link rel="prev">{w.orders_previous}</a> })}
                        {next.map(|link| view! { <a href=link rel="next">{w.orders_next}</a> })}
                    </nav>
                }
            })}
    })
}

/// `/admin/orders/:id`: one order on the desk.
#[component]
pub fn AdminOrderPage() -> impl IntoView {
    let params = use_params_map();
    let id = params.read_untracked().get("id").unwrap_or_default();
    let locale = locale();
    let loading = common::words(locale).loading;
    let title = fill(admin::words(locale).order_desk_title, &[("id", &id)]);
    let return_to = format!("/admin/orders/{id}");
    let order = Resource::new(move || id.clone(), admin_load_order);
    view! {
        <Title text=title/>
        <section class="admin-page order-desk" aria-labelledby="order-heading">
            <AdminNav/>
            <Suspense fallback=move || view! { <p class="loading">{loading}</p> }>
                {move || {
                    let return_to = return_to.clone();
                    Suspend::new(async move {
                        match order.await {
                            Ok(order) => Either::Left(view! { <DeskOrder order/> }),
                            Err(error) => Either::Right(view! { <AdminRefusal error return_to/> }),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

#[component]
fn DeskOrder(order: AdminOrder) -> impl IntoView {
    let locale = locale();
    let w = admin::words(locale);
    let ow = order::words(locale);
    let prices = PriceFormat { currency: order.order.currency, ..expect_context::<PriceFormat>() };
    let AdminOrder { order, user_id, moves } = order;
    let status = OrderStatus::parse(&order.status);
    let status_text = status.map(|s| s.label(ow)).unwrap_or(&order.status).to_owned();
    let cash = order.total.to_input(order.currency);
    let account = match user_id {
        Some(sub) => fill(w.order_account, &[("sub", &sub)]),
        None => w.order_guest.to_owned(),
    };
    view! {
        <h1 id="order-heading">{order.id.clone()}</h1>
        <p class="order-status-now">
            {ow.col_status} ": " <strong data-testid="order-status">{status_text}</strong> " · "
            {placed_when(&order.placed_at, locale)}
        </p>
        <div class="order-columns">
            <div>
                <h2>{ow.order_items}</h2>
                <OrderLinesTable order=order.clone() prices/>
            </div>
            <div>
                <h2>{w.order_customer}</h2>
                <address>
                    {order.full_name.clone()}
                    <br/>
                    {order.email.clone()}
                    <br/>
                    {order.phone.clone()}
                </address>
                <p class="hint">{account}</p>
                <h2>{ow.delivery}</h2>
                <address>{order.address.iter().map(|line| view! { {line.clone()} <br/> }).collect_view()}</address>
                <h2>{ow.payment}</h2>
                <p>{payment_method_label(&order.payment_method, ow).to_owned()}</p>
            </div>
        </div>
        <h2 id="history-heading">{w.order_history_heading}</h2>
        <StatusHistory history=order.history.clone() admin=true prices/>
        <h2 id="moves-heading">{w.order_moves_heading}</h2>
        {if moves.is_empty() {
            Either::Left(view! { <p class="hint">{w.order_no_moves}</p> })
        } else {
            Either::Right(view! {
                <OrderMoves
                    order_id=order.id.clone()
                    version=order.version
                    moves
                    cash
                    words=MoveWords::new(locale)
                    errors=ErrorWords::new(locale)
                    page=format!("{}/admin/orders/{}", prefix(), order.id)
                />
            })
        }}
    }
}

/// An order's lines with its subtotal, shipping and total: the shopper's order
/// page and the desk's.
#[component]
pub fn OrderLinesTable(order: jewelry::order::OrderView, prices: PriceFormat) -> impl IntoView {
    let w = order::words(locale());
    view! {
        <table class="order-lines">
            <thead>
                <tr>
                    <th scope="col">{w.col_piece}</th>
                    <th scope="col">{w.col_quantity}</th>
                    <th scope="col">{w.col_price}</th>
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
                                    <a href=href(&format!("/products/{}", line.product_id))>{line.name}</a>
                                    {(!line.options.is_empty())
                                        .then(|| view! { <span class="order-line-options">{line.options}</span> })}
                                    {line.sku.map(|sku| view! { <span class="product-sku">{sku}</span> })}
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
                    <th scope="row" colspan="2">{w.subtotal}</th>
                    <td>{prices.show(order.subtotal)}</td>
                </tr>
                <tr>
                    <th scope="row" colspan="2">{w.shipping}</th>
                    <td>
                        {if order.shipping.minor() == 0 { w.shipping_free.to_owned() } else { prices.show(order.shipping) }}
                    </td>
                </tr>
                <tr class="total">
                    <th scope="row" colspan="2">{w.total}</th>
                    <td data-testid="order-total">{prices.show(order.total)}</td>
                </tr>
            </tfoot>
        </table>
    }
}

/// An order's statuses, oldest first: when, and what the move recorded. `admin`
/// adds who moved it and the desk's notes (the shopper's page has neither).
#[component]
pub fn StatusHistory(history: Vec<StatusChange>, admin: bool, prices: PriceFormat) -> impl IntoView {
    let locale = locale();
    let ow = order::words(locale);
    let w = admin::words(locale);
    view! {
        <ol class="status-history" data-testid="status-history">
            {history
                .into_iter()
                .map(|change| {
                    let who = admin
                        .then(|| {
                            let who = change.actor.clone().unwrap_or_else(|| w.order_history_shopper.to_owned());
                            format!(" · {}", fill(w.order_history_by, &[("who", &who)]))
                        });
                    let shipment = match (&change.carrier, &change.tracking) {
                        (Some(carrier), Some(tracking)) => {
                            Some(fill(ow.order_tracking, &[("carrier", carrier), ("tracking", tracking)]))
                        }
                        _ => None,
                    };
                    let cash = change
                        .cash_collected
                        .filter(|_| admin)
                        .map(|amount| fill(w.order_cash_collected, &[("amount", &prices.show(amount))]));
                    let resold = change
                        .resellable
                        .filter(|_| admin)
                        .map(|r| if r { w.order_resellable } else { w.order_not_resellable });
                    view! {
                        <li data-status=change.status.as_str()>
                            <strong>{change.status.label(ow)}</strong>
                            " · "
                            <time datetime=change.at.clone()>{placed_when(&change.at, locale)}</time>
                            {who}
                            {shipment.map(|s| view! { <p class="shipment">{s}</p> })}
                            {cash.map(|c| view! { <p>{c}</p> })}
                            {resold.map(|r| view! { <p>{r}</p> })}
                            {change.note.filter(|_| admin).map(|note| view! { <p class="note">{note}</p> })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

crate::island_words!(
    /// What the desk's moves say.
    pub struct MoveWords from jewelry::text::admin {
        move_confirm, move_ship, move_deliver, move_cancel, move_return, label_carrier, label_tracking, label_cash,
        label_note, label_reason, label_resellable, correct_one, correct_many,
    }
);

/// The moves the order may make, a form each. A move made sends the browser to
/// the order's page again (`page`), which shows its new status and history.
#[island(lazy)]
fn OrderMoves(
    order_id: String,
    version: i64,
    moves: Vec<OrderStatus>,
    /// The order's total as a form writes it: the cash a delivery collects.
    cash: String,
    words: MoveWords,
    errors: ErrorWords,
    page: String,
) -> impl IntoView {
    let action = ServerAction::<AdminMoveOrder>::new();
    let page = StoredValue::new(page);
    Effect::new(move |_| {
        if let Some(Ok(MoveOutcome::Moved { .. })) = action.value().get() {
            go_to(&page.get_value());
        }
    });
    let invalid = Memo::new(move |_| match action.value().get() {
        Some(Ok(MoveOutcome::Invalid(errors))) => errors,
        _ => FieldErrors::new(),
    });
    let said = StoredValue::new((words.clone(), errors));
    let note = move || {
        said.with_value(|(w, e)| match action.value().get() {
            Some(Ok(MoveOutcome::Invalid(errors))) => Some(match errors.len() {
                1 => w.correct_one.clone(),
                n => fill(&w.correct_many, &[("n", &n)]),
            }),
            Some(Err(error)) => Some(error.say(e)),
            _ => None,
        })
        .map(|text| view! { <p class="notice notice-error" role="alert">{text}</p> })
    };
    let field_error = move |name: &'static str| {
        move || {
            invalid
                .read()
                .get(name)
                .cloned()
                .map(|e| view! { <p class="field-error" id=format!("move-{name}-error")>{e}</p> })
        }
    };
    let forms = moves
        .into_iter()
        .map(|to| {
            let id = StoredValue::new(order_id.clone());
            let hidden = move || {
                view! {
                    <input type="hidden" name="input[order_id]" value=id.get_value()/>
                    <input type="hidden" name="input[version]" value=version.to_string()/>
                    <input type="hidden" name="input[to]" value=to.as_str()/>
                }
            };
            let slug = to.as_str();
            let (button, fields) = match to {
                OrderStatus::Confirmed => (words.move_confirm.clone(), Either::Left(note_field(slug, &words.label_note, false))),
                OrderStatus::Cancelled => (words.move_cancel.clone(), Either::Left(note_field(slug, &words.label_reason, true))),
                OrderStatus::Shipped => (
                    words.move_ship.clone(),
                    Either::Right(view! {
                        <div class="field">
                            <label for="move-carrier">{words.label_carrier.clone()}</label>
                            <input id="move-carrier" name="input[carrier]" required="" maxlength="60" autocomplete="off"/>
                            {field_error("carrier")}
                        </div>
                        <div class="field">
                            <label for="move-tracking">{words.label_tracking.clone()}</label>
                            <input id="move-tracking" name="input[tracking]" required="" maxlength="60" autocomplete="off"/>
                            {field_error("tracking")}
                        </div>
                        {note_field(slug, &words.label_note, false)}
                    }.into_any()),
                ),
                OrderStatus::Delivered => (
                    words.move_deliver.clone(),
                    Either::Right(view! {
                        <div class="field">
                            <label for="move-cash">{words.label_cash.clone()}</label>
                            <input id="move-cash" name="input[cash]" required="" inputmode="decimal" value=cash.clone()/>
                            {field_error("cash")}
                        </div>
                        {note_field(slug, &words.label_note, false)}
                    }.into_any()),
                ),
                OrderStatus::Returned => (
                    words.move_return.clone(),
                    Either::Right(view! {
                        <div class="field field-check">
                            <label>
                                <input type="checkbox" name="input[resellable]" value="on"/>
                                " "
                                {words.label_resellable.clone()}
                            </label>
                        </div>
                        {note_field(slug, &words.label_note, false)}
                    }.into_any()),
                ),
                OrderStatus::Placed => return None,
            };
            let danger = matches!(to, OrderStatus::Cancelled | OrderStatus::Returned);
            Some(view! {
                <ActionForm action attr:class="order-move" attr:data-move=slug>
                    {hidden()}
                    {fields}
                    {field_error("note")}
                    <button type="submit" class="button" class:button-danger=danger class:button-primary=!danger>
                        {button}
                    </button>
                </ActionForm>
            })
        })
        .collect_view();
    view! {
        <div class="order-moves" aria-labelledby="moves-heading">
            {note}
            {forms}
        </div>
    }
}

/// A move's note (or, `required`, a cancellation's reason).
fn note_field(slug: &'static str, label: &str, required: bool) -> impl IntoView + use<> {
    let id = format!("move-{slug}-note");
    view! {
        <div class="field">
            <label for=id.clone()>{label.to_owned()}</label>
            <textarea id=id name="input[note]" rows="2" maxlength="500" required=required></textarea>
        </div>
    }
}

/// `/admin/mail`: the latest order emails, sent, waiting or refused, each with its
/// `.eml` file when the file transport wrote one.
#[component]
pub fn AdminMailPage() -> impl IntoView {
    let locale = locale();
    let w = admin::words(locale);
    let loading = common::words(locale).loading;
    let emails = Resource::new(|| (), |_| admin_outbox());
    view! {
        <Title text=w.mail_title/>
        <section class="admin-page" aria-labelledby="mail-heading">
            <AdminNav/>
            <h1 id="mail-heading">{w.mail_heading}</h1>
            <p class="hint">{w.mail_intro}</p>
            <Suspense fallback=move || view! { <p class="loading">{loading}</p> }>
                {move || Suspend::new(async move {
                    match emails.await {
                        Ok(emails) => Either::Left(view! { <OutboxTable emails/> }),
                        Err(error) => Either::Right(view! { <AdminRefusal error return_to="/admin/mail".to_owned()/> }),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn OutboxTable(emails: Vec<OutboxEmail>) -> impl IntoView {
    let locale = locale();
    let w = admin::words(locale);
    if emails.is_empty() {
        return Either::Left(view! { <p class="empty-state">{w.mail_none}</p> });
    }
    Either::Right(view! {
        <table class="orders-table outbox" data-testid="outbox">
            <thead>
                <tr>
                    <th scope="col">{w.column_created}</th>
                    <th scope="col">{w.column_order}</th>
                    <th scope="col">{w.column_kind}</th>
                    <th scope="col">{w.column_to}</th>
                    <th scope="col">{w.column_subject}</th>
                    <th scope="col">{w.column_state}</th>
                </tr>
            </thead>
            <tbody>
                {emails
                    .into_iter()
                    .map(|email| {
                        let why = email.last_error.clone().unwrap_or_default();
                        let state = if email.sent_at.is_some() {
                            w.mail_sent.to_owned()
                        } else if email.failed_at.is_some() {
                            fill(w.mail_refused, &[("why", &why)])
                        } else if email.attempts > 0 && !why.is_empty() {
                            fill(w.mail_waiting, &[("n", &email.attempts), ("why", &why)])
                        } else {
                            w.mail_queued.to_owned()
                        };
                        let file = email.file.clone().map(|file| {
                            view! {
                                <br/>
                                <a href=format!("{}/admin/mail/{file}", prefix()) download=file.clone()>{w.mail_open_file}</a>
                                " "
                                <code>{format!("mail/{file}")}</code>
                            }
                        });
                        view! {
                            <tr data-kind=email.kind.clone()>
                                <td>{placed_when(&email.created_at, locale)}</td>
                                <td>
                                    <a href=href(&format!("/admin/orders/{}", email.order_id))>{email.order_id.clone()}</a>
                                </td>
                                <td>{email.kind.clone()}</td>
                                <td>{email.recipient.clone()}</td>
                                <td>{email.subject.clone()}</td>
                                <td>{state} {file}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    })
}
