use crate::api::{PlaceOrder, ShopError, load_cart};
use crate::components::form::FormField;
use crate::components::notice::ErrorNotice;
use crate::tracker;
use jewelry::PriceFormat;
use jewelry::cart::CartView;
use jewelry::checkout::{FieldErrors, VIETNAM, country_name};
use jewelry::order::CheckoutOutcome;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CheckoutPage() -> impl IntoView {
    // The countries the shop ships to (a setting), the first its home.
    #[cfg(feature = "ssr")]
    let ships_to: Vec<String> =
        crate::backend::ships_to().map(|codes| codes.iter().map(|c| (*c).to_owned()).collect()).unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let ships_to: Vec<String> = Vec::new();
    view! {
        <Title text="Checkout"/>
        <CheckoutSection ships_to/>
    }
}

/// The checkout form and the order's summary, an island of its own chunk of the
/// wasm (a shopper who never checks out never downloads it).
#[island(lazy)]
fn CheckoutSection(ships_to: Vec<String>) -> impl IntoView {
    let prices = expect_context::<PriceFormat>();
    let ships_to = StoredValue::new(ships_to);
    let cart = Resource::new(|| (), |_| load_cart());
    let place = ServerAction::<PlaceOrder>::new();

    // `checkout_start` once, when checkout opens with something in the cart.
    let started = StoredValue::new(false);
    Effect::new(move |_| {
        if let Some(Ok(cart)) = cart.get()
            && !cart.is_empty()
            && !started.get_value()
        {
            started.set_value(true);
            tracker::checkout_start(&cart, prices.currency);
        }
    });

    // `checkout_complete` with what the server answered, then the confirmation.
    Effect::new(move |_| {
        if let Some(Ok(CheckoutOutcome::Placed { order_id, total, currency, .. })) = place.value().get() {
            tracker::checkout_complete(&order_id, total, currency);
            crate::components::browser::go_to(&format!("/orders/{order_id}"));
        }
    });

    view! {
        <section class="checkout-page" aria-labelledby="checkout-heading">
            <h1 id="checkout-heading">"Checkout"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match cart.await {
                        Ok(cart) if cart.is_empty() => EitherOf3::A(view! {
                            <div class="empty-state">
                                <p>"Your cart is empty, so there is nothing to check out yet."</p>
                                <p>
                                    <a class="button" href="/catalog">"Browse the collection"</a>
                                </p>
                            </div>
                        }),
                        Ok(cart) => EitherOf3::B(view! { <CheckoutForm cart place ships_to=ships_to.get_value()/> }),
                        Err(error) => EitherOf3::C(view! { <ErrorNotice error/> }),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn CheckoutForm(cart: CartView, place: ServerAction<PlaceOrder>, ships_to: Vec<String>) -> impl IntoView {
    // The address's fields follow the country: a Vietnamese address is province or
    // city, ward or commune, then street and number.
    let country = RwSignal::new(ships_to.first().cloned().unwrap_or_default());
    let errors = Memo::new(move |_| match place.value().get() {
        Some(Ok(CheckoutOutcome::Invalid(errors))) => errors,
        _ => FieldErrors::new(),
    });
    let problem = move || match place.value().get() {
        Some(Ok(CheckoutOutcome::Invalid(errors))) => Some(format!(
            "Please correct {} in the form below.",
            if errors.len() == 1 { "one field".to_owned() } else { format!("{} fields", errors.len()) }
        )),
        Some(Ok(CheckoutOutcome::StockChanged(message))) => Some(message),
        Some(Ok(CheckoutOutcome::EmptyCart)) => Some("Your cart is empty.".to_owned()),
        Some(Err(error)) => Some(ShopError::to_string(&error)),
        _ => None,
    };
    let prices = expect_context::<PriceFormat>();
    let subtotal = cart.subtotal();

    view! {
        <div class="checkout">
            <ActionForm action=place attr:class="checkout-form" attr:novalidate="true">
                {move || problem().map(|p| view! { <p class="notice notice-error" role="alert">{p}</p> })}
                <fieldset>
                    <legend>"Contact"</legend>
                    <FormField errors name="email" label="Email" kind="email" autocomplete="email"/>
                    <FormField errors name="phone" label="Phone" kind="tel" autocomplete="tel"/>
                </fieldset>
                <fieldset>
                    <legend>"Shipping address"</legend>
                    <FormField errors name="full_name" label="Full name" kind="text" autocomplete="name"/>
                    <CountryField errors ships_to country/>
                    {move || {
                        if country.get() == VIETNAM {
                            Either::Left(view! { <VietnameseAddress errors/> })
                        } else {
                            Either::Right(view! { <Address errors/> })
                        }
                    }}
                </fieldset>
                <fieldset>
                    <legend>"Payment"</legend>
                    <label class="radio">
                        <input type="radio" name="input[payment_method]" value="cash_on_delivery" checked=true/>
                        "Cash on delivery: pay the courier when your order arrives"
                    </label>
                </fieldset>
                <button type="submit" class="button button-primary button-wide" disabled=move || place.pending().get()>
                    {move || if place.pending().get() { "Placing your order…".to_owned() } else { format!("Place order · {}", prices.show(subtotal)) }}
                </button>
            </ActionForm>
            <OrderSummary cart/>
        </div>
    }
}

/// A Vietnamese address, in the order people there write it; the postal code is optional.
#[component]
fn VietnameseAddress(errors: Memo<FieldErrors>) -> impl IntoView {
    view! {
        <div class="field-row">
            <FormField errors name="region" label="Province or city" kind="text" autocomplete="address-level1"/>
            <FormField errors name="city" label="Ward or commune" kind="text" autocomplete="address-level2"/>
        </div>
        <FormField errors name="address_line1" label="Street and house number" kind="text" autocomplete="address-line1"/>
        <div class="field-row">
            <FormField
                errors
                name="address_line2"
                label="Building, floor, etc. (optional)"
                kind="text"
                autocomplete="address-line2"
                optional=true
            />
            <FormField
                errors
                name="postal_code"
                label="Postal code (optional)"
                kind="text"
                autocomplete="postal-code"
                optional=true
            />
        </div>
    }
}

/// An address elsewhere: street, town, region, postal code.
#[component]
fn Address(errors: Memo<FieldErrors>) -> impl IntoView {
    view! {
        <FormField errors name="address_line1" label="Street address" kind="text" autocomplete="address-line1"/>
        <FormField
            errors
            name="address_line2"
            label="Apartment, suite, etc. (optional)"
            kind="text"
            autocomplete="address-line2"
            optional=true
        />
        <div class="field-row">
            <FormField errors name="city" label="Town or city" kind="text" autocomplete="address-level2"/>
            <FormField
                errors
                name="region"
                label="State or region (optional)"
                kind="text"
                autocomplete="address-level1"
                optional=true
            />
        </div>
        <FormField errors name="postal_code" label="Postal code" kind="text" autocomplete="postal-code"/>
    }
}

/// The countries the shop ships to, the first chosen to begin with.
#[component]
fn CountryField(errors: Memo<FieldErrors>, ships_to: Vec<String>, country: RwSignal<String>) -> impl IntoView {
    let error = move || errors.read().get("country").cloned();
    let first = country.get_untracked();
    view! {
        <div class="field" class:has-error=move || error().is_some()>
            <label for="country">"Country"</label>
            <select
                id="country"
                name="input[country]"
                autocomplete="country"
                required=true
                aria-invalid=move || error().is_some().then_some("true")
                aria-describedby=move || error().map(|_| "country-error")
                on:change=move |ev| country.set(event_target_value(&ev))
            >
                {ships_to
                    .into_iter()
                    .map(|code| {
                        let name = country_name(&code).unwrap_or_default();
                        let selected = code == first;
                        view! {
                            <option value=code selected=selected>
                                {name}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <p class="field-error" id="country-error">
                {error}
            </p>
        </div>
    }
}

#[component]
fn OrderSummary(cart: CartView) -> impl IntoView {
    let prices = expect_context::<PriceFormat>();
    let subtotal = cart.subtotal();
    let count = cart.item_count();
    view! {
        <aside class="order-summary" aria-labelledby="summary-heading">
            <h2 id="summary-heading">{format!("Order summary ({count} {})", if count == 1 { "item" } else { "items" })}</h2>
            <ul>
                {cart
                    .lines
                    .into_iter()
                    .map(|line| {
                        let total = line.total();
                        view! {
                            <li>
                                <span>{format!("{} × {}", line.quantity, line.product.name)}</span>
                                <span>{prices.show(total)}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <dl>
                <div>
                    <dt>"Subtotal"</dt>
                    <dd>{prices.show(subtotal)}</dd>
                </div>
                <div>
                    <dt>"Shipping"</dt>
                    <dd>"Free"</dd>
                </div>
                <div class="total">
                    <dt>"Total"</dt>
                    <dd data-testid="checkout-total">{prices.show(subtotal)}</dd>
                </div>
            </dl>
        </aside>
    }
}
