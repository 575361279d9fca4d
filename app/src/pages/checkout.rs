use crate::api::{PlaceOrder, load_cart};
use crate::components::form::FormField;
use crate::components::notice::ErrorNotice;
use crate::error::ErrorWords;
use crate::i18n::{locale, prefix};
use crate::pages::cart::SharedWords;
use crate::tracker;
use jewelry::PriceFormat;
use jewelry::cart::CartView;
use jewelry::checkout::{FieldErrors, VIETNAM};
use jewelry::order::CheckoutOutcome;
use jewelry::text::fill;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;

crate::island_words!(
    /// What checkout says (the messages of its fields come from the server).
    pub struct CheckoutWords from jewelry::text::order {
        checkout, checkout_empty, cart_empty_body, correct_one, correct_many, contact, email, phone,
        shipping_address, full_name, country, vn_region, vn_ward, vn_street, vn_line2, postal_code_optional,
        street, line2, town, region_optional, postal_code, payment, cash_on_delivery_detail, placing_order,
        place_order, summary_one, summary_many, subtotal, shipping, shipping_free, total,
    }
);

#[component]
pub fn CheckoutPage() -> impl IntoView {
    let locale = locale();
    // The countries the shop ships to (a setting), the first its home, each with
    // its name in the page's language.
    #[cfg(feature = "ssr")]
    let ships_to: Vec<(String, String)> = crate::backend::ships_to()
        .map(|codes| {
            let name = |code: &'static str| jewelry::checkout::country_name(code, locale).unwrap_or(code);
            codes.iter().map(|&code| (code.to_owned(), name(code).to_owned())).collect()
        })
        .unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let ships_to: Vec<(String, String)> = Vec::new();
    let title = jewelry::text::order::words(locale).checkout;
    view! {
        <Title text=title/>
        <CheckoutSection
            ships_to
            words=CheckoutWords::new(locale)
            shared=SharedWords::new(locale)
            errors=ErrorWords::new(locale)
            prefix=prefix()
        />
    }
}

/// The checkout form and the order's summary, an island of its own chunk of the
/// wasm (a shopper who never checks out never downloads it). `ships_to` are the
/// countries' codes and names; its words come from the page, and `prefix` starts
/// its links (`""` or `/en`).
#[island(lazy)]
fn CheckoutSection(
    ships_to: Vec<(String, String)>,
    words: CheckoutWords,
    shared: SharedWords,
    errors: ErrorWords,
    prefix: String,
) -> impl IntoView {
    let prices = expect_context::<PriceFormat>();
    let ships_to = StoredValue::new(ships_to);
    let words = StoredValue::new(words);
    let shared = StoredValue::new(shared);
    let errors = StoredValue::new(errors);
    let prefix = StoredValue::new(prefix);
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

    // `checkout_complete` with what the server answered, then the confirmation
    // (in the page's language).
    Effect::new(move |_| {
        if let Some(Ok(CheckoutOutcome::Placed { order_id, total, currency, items, .. })) = place.value().get() {
            tracker::checkout_complete(&order_id, total, currency, &items);
            crate::components::browser::go_to(&format!("{}/orders/{order_id}", prefix.get_value()));
        }
    });
    let loading = shared.with_value(|s| s.loading.clone());

    view! {
        <section class="checkout-page" aria-labelledby="checkout-heading">
            <h1 id="checkout-heading">{words.with_value(|w| w.checkout.clone())}</h1>
            <Suspense fallback=move || view! { <p class="loading">{loading.clone()}</p> }>
                {move || Suspend::new(async move {
                    match cart.await {
                        Ok(cart) if cart.is_empty() => EitherOf3::A(view! {
                            <div class="empty-state">
                                <p>{words.with_value(|w| w.checkout_empty.clone())}</p>
                                <p>
                                    <a class="button" href=format!("{}/catalog", prefix.get_value())>
                                        {shared.with_value(|s| s.browse_collection.clone())}
                                    </a>
                                </p>
                            </div>
                        }),
                        Ok(cart) => EitherOf3::B(view! {
                            <CheckoutForm
                                cart
                                place
                                ships_to=ships_to.get_value()
                                words=words.get_value()
                                error_words=errors.get_value()
                            />
                        }),
                        Err(error) => EitherOf3::C(view! { <ErrorNotice error words=errors.get_value()/> }),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn CheckoutForm(
    cart: CartView,
    place: ServerAction<PlaceOrder>,
    ships_to: Vec<(String, String)>,
    words: CheckoutWords,
    error_words: ErrorWords,
) -> impl IntoView {
    // The address's fields follow the country: a Vietnamese address is province or
    // city, ward or commune, then street and number.
    let country = RwSignal::new(ships_to.first().map(|(code, _)| code.clone()).unwrap_or_default());
    let errors = Memo::new(move |_| match place.value().get() {
        Some(Ok(CheckoutOutcome::Invalid(errors))) => errors,
        _ => FieldErrors::new(),
    });
    let words = StoredValue::new(words);
    let problem = move || match place.value().get() {
        Some(Ok(CheckoutOutcome::Invalid(fields))) => Some(words.with_value(|w| match fields.len() {
            1 => w.correct_one.clone(),
            n => fill(&w.correct_many, &[("n", &n)]),
        })),
        Some(Ok(CheckoutOutcome::StockChanged(message))) => Some(message),
        Some(Ok(CheckoutOutcome::EmptyCart)) => Some(words.with_value(|w| w.cart_empty_body.clone())),
        Some(Err(error)) => Some(error.say(&error_words)),
        _ => None,
    };
    let prices = expect_context::<PriceFormat>();
    let subtotal = cart.subtotal();
    let w = words.get_value();
    let place_order = fill(&w.place_order, &[("total", &prices.show(subtotal))]);

    view! {
        <div class="checkout">
            <ActionForm action=place attr:class="checkout-form" attr:novalidate="true">
                {move || problem().map(|p| view! { <p class="notice notice-error" role="alert">{p}</p> })}
                <fieldset>
                    <legend>{w.contact.clone()}</legend>
                    <FormField errors name="email" label=w.email.clone() kind="email" autocomplete="email"/>
                    <FormField errors name="phone" label=w.phone.clone() kind="tel" autocomplete="tel"/>
                </fieldset>
                <fieldset>
                    <legend>{w.shipping_address.clone()}</legend>
                    <FormField errors name="full_name" label=w.full_name.clone() kind="text" autocomplete="name"/>
                    <CountryField errors ships_to country label=w.country.clone()/>
                    {move || {
                        if country.get() == VIETNAM {
                            Either::Left(view! { <VietnameseAddress errors words=words.get_value()/> })
                        } else {
                            Either::Right(view! { <Address errors words=words.get_value()/> })
                        }
                    }}
                </fieldset>
                <fieldset>
                    <legend>{w.payment.clone()}</legend>
                    <label class="radio">
                        <input type="radio" name="input[payment_method]" value="cash_on_delivery" checked=true/>
                        {w.cash_on_delivery_detail.clone()}
                    </label>
                </fieldset>
                <button type="submit" class="button button-primary button-wide" disabled=move || place.pending().get()>
                    {move || {
                        if place.pending().get() {
                            words.with_value(|w| w.placing_order.clone())
                        } else {
                            place_order.clone()
                        }
                    }}
                </button>
            </ActionForm>
            <OrderSummary cart words=words.get_value()/>
        </div>
    }
}

/// A Vietnamese address, in the order people there write it; the postal code is optional.
#[component]
fn VietnameseAddress(errors: Memo<FieldErrors>, words: CheckoutWords) -> impl IntoView {
    view! {
        <div class="field-row">
            <FormField errors name="region" label=words.vn_region kind="text" autocomplete="address-level1"/>
            <FormField errors name="city" label=words.vn_ward kind="text" autocomplete="address-level2"/>
        </div>
        <FormField errors name="address_line1" label=words.vn_street kind="text" autocomplete="address-line1"/>
        <div class="field-row">
            <FormField
                errors
                name="address_line2"
                label=words.vn_line2
                kind="text"
                autocomplete="address-line2"
                optional=true
            />
            <FormField
                errors
                name="postal_code"
                label=words.postal_code_optional
                kind="text"
                autocomplete="postal-code"
                optional=true
            />
        </div>
    }
}

/// An address elsewhere: street, town, region, postal code.
#[component]
fn Address(errors: Memo<FieldErrors>, words: CheckoutWords) -> impl IntoView {
    view! {
        <FormField errors name="address_line1" label=words.street kind="text" autocomplete="address-line1"/>
        <FormField
            errors
            name="address_line2"
            label=words.line2
            kind="text"
            autocomplete="address-line2"
            optional=true
        />
        <div class="field-row">
            <FormField errors name="city" label=words.town kind="text" autocomplete="address-level2"/>
            <FormField
                errors
                name="region"
                label=words.region_optional
                kind="text"
                autocomplete="address-level1"
                optional=true
            />
        </div>
        <FormField errors name="postal_code" label=words.postal_code kind="text" autocomplete="postal-code"/>
    }
}

/// The countries the shop ships to (code and name), the first chosen to begin with.
#[component]
fn CountryField(
    errors: Memo<FieldErrors>,
    ships_to: Vec<(String, String)>,
    country: RwSignal<String>,
    label: String,
) -> impl IntoView {
    let error = move || errors.read().get("country").cloned();
    let first = country.get_untracked();
    view! {
        <div class="field" class:has-error=move || error().is_some()>
            <label for="country">{label}</label>
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
                    .map(|(code, name)| {
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
fn OrderSummary(cart: CartView, words: CheckoutWords) -> impl IntoView {
    let prices = expect_context::<PriceFormat>();
    let subtotal = cart.subtotal();
    let heading = match cart.item_count() {
        1 => words.summary_one.clone(),
        n => fill(&words.summary_many, &[("n", &n)]),
    };
    view! {
        <aside class="order-summary" aria-labelledby="summary-heading">
            <h2 id="summary-heading">{heading}</h2>
            <ul>
                {cart
                    .lines
                    .into_iter()
                    .map(|line| {
                        let total = line.total();
                        view! {
                            <li>
                                <span>
                                    {format!(
                                        "{} × {}",
                                        line.quantity,
                                        jewelry::variant::named_with_options(&line.product.name, &line.variant.options)
                                            .get(crate::i18n::locale()),
                                    )}
                                </span>
                                <span>{prices.show(total)}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <dl>
                <div>
                    <dt>{words.subtotal}</dt>
                    <dd>{prices.show(subtotal)}</dd>
                </div>
                <div>
                    <dt>{words.shipping}</dt>
                    <dd>{words.shipping_free}</dd>
                </div>
                <div class="total">
                    <dt>{words.total}</dt>
                    <dd data-testid="checkout-total">{prices.show(subtotal)}</dd>
                </div>
            </dl>
        </aside>
    }
}
