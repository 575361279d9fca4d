use crate::api::{RemoveCartLine, UpdateCartLine, load_cart};
use crate::components::cart_refresh::CartRefresh;
use crate::components::notice::ErrorNotice;
use crate::error::ErrorWords;
use crate::i18n::{locale, prefix};
use jewelry::PriceFormat;
use jewelry::cart::{CartLine, CartView};
use jewelry::text::fill;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;

crate::island_words!(
    /// What the cart says.
    pub struct CartWords from jewelry::text::order {
        cart_title, cart_empty_body, cart_over_stock, unit_price, quantity_of, update, remove, remove_from_cart,
        subtotal, shipping, shipping_free, continue_shopping, checkout,
    }
);

crate::island_words!(
    /// The words the buying islands share with the rest of the shop: sent to the
    /// cart and checkout islands.
    pub struct SharedWords from jewelry::text::common { loading, browse_collection }
);

#[component]
pub fn CartPage() -> impl IntoView {
    let locale = locale();
    let title = jewelry::text::order::words(locale).cart_title;
    view! {
        <Title text=title/>
        <CartSection
            words=CartWords::new(locale)
            shared=SharedWords::new(locale)
            errors=ErrorWords::new(locale)
            prefix=prefix()
        />
    }
}

/// The cart and its controls, an island of its own chunk of the wasm (a shopper's
/// first pages, home, catalog and products, do not download it): the cart is read
/// on the server with the page, and again in the browser after each change. Its
/// words come from the page (`prefix` starts its links: `""` or `/en`).
#[island(lazy)]
fn CartSection(words: CartWords, shared: SharedWords, errors: ErrorWords, prefix: String) -> impl IntoView {
    let refresh = expect_context::<CartRefresh>();
    let update = ServerAction::<UpdateCartLine>::new();
    let remove = ServerAction::<RemoveCartLine>::new();
    let cart = Resource::new(move || refresh.0.get(), |_| load_cart());
    // A finished change reloads the cart here and the count in the header.
    Effect::new(move |previous: Option<(usize, usize)>| {
        let versions = (update.version().get(), remove.version().get());
        if previous.is_some_and(|p| p != versions) {
            refresh.bump();
        }
        versions
    });
    let words = StoredValue::new(words);
    let shared = StoredValue::new(shared);
    let errors = StoredValue::new(errors);
    let prefix = StoredValue::new(prefix);
    let failure = move || {
        [update.value().get(), remove.value().get()]
            .into_iter()
            .flatten()
            .find_map(|r| r.err())
            .map(|error| view! { <ErrorNotice error words=errors.get_value()/> })
    };
    let loading = shared.with_value(|s| s.loading.clone());

    view! {
        <section class="cart-page" aria-labelledby="cart-heading">
            <h1 id="cart-heading">{words.with_value(|w| w.cart_title.clone())}</h1>
            {failure}
            <Transition fallback=move || view! { <p class="loading">{loading.clone()}</p> }>
                {move || Suspend::new(async move {
                    match cart.await {
                        Ok(cart) if cart.is_empty() => EitherOf3::A(view! {
                            <div class="empty-state">
                                <p>{words.with_value(|w| w.cart_empty_body.clone())}</p>
                                <p>
                                    <a class="button" href=format!("{}/catalog", prefix.get_value())>
                                        {shared.with_value(|s| s.browse_collection.clone())}
                                    </a>
                                </p>
                            </div>
                        }),
                        Ok(cart) => EitherOf3::B(view! {
                            <CartContents
                                cart
                                update
                                remove
                                words=words.get_value()
                                prefix=prefix.get_value()
                            />
                        }),
                        Err(error) => EitherOf3::C(view! { <ErrorNotice error words=errors.get_value()/> }),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn CartContents(
    cart: CartView,
    update: ServerAction<UpdateCartLine>,
    remove: ServerAction<RemoveCartLine>,
    words: CartWords,
    prefix: String,
) -> impl IntoView {
    let prices = expect_context::<PriceFormat>();
    let subtotal = cart.subtotal();
    let over_stock = cart.over_stock().count() > 0;
    let checkout = words.checkout.clone();
    view! {
        {over_stock.then(|| view! {
            <p class="notice notice-warning" role="alert">
                {words.cart_over_stock.clone()}
            </p>
        })}
        <ul class="cart-lines">
            {cart
                .lines
                .into_iter()
                .map(|line| view! { <CartLineRow line update remove words=words.clone() prefix=prefix.clone()/> })
                .collect_view()}
        </ul>
        <div class="cart-summary">
            <dl>
                <div>
                    <dt>{words.subtotal.clone()}</dt>
                    <dd data-testid="cart-subtotal">{prices.show(subtotal)}</dd>
                </div>
                <div>
                    <dt>{words.shipping.clone()}</dt>
                    <dd>{words.shipping_free.clone()}</dd>
                </div>
            </dl>
            <p class="cart-actions">
                <a class="button button-ghost" href=format!("{prefix}/catalog")>
                    {words.continue_shopping.clone()}
                </a>
                {if over_stock {
                    Either::Left(view! {
                        <span class="button button-primary disabled" aria-disabled="true">{checkout}</span>
                    })
                } else {
                    Either::Right(view! {
                        <a class="button button-primary" href=format!("{prefix}/checkout")>{checkout}</a>
                    })
                }}
            </p>
        </div>
    }
}

#[component]
fn CartLineRow(
    line: CartLine,
    update: ServerAction<UpdateCartLine>,
    remove: ServerAction<RemoveCartLine>,
    words: CartWords,
    prefix: String,
) -> impl IntoView {
    let product = line.product.clone();
    let variant = line.variant.clone();
    // The line's variant, its page showing it chosen.
    let href = match variant.options.is_empty() {
        true => format!("{prefix}/products/{}", product.id),
        false => {
            format!("{prefix}/products/{}?variant={}", product.id, jewelry::catalog::encode_component(&variant.sku))
        }
    };
    let input_id = format!("qty-{}", variant.id.replace(':', "-"));
    let max = line.max_quantity().max(line.quantity);
    let unit = line.unit_price();
    let prices = expect_context::<PriceFormat>();
    let total = line.total();
    let update_id = variant.id.clone();
    let remove_id = variant.id.clone();
    // Named as the page names it (its language; the browser's too), with its
    // options, which the labels name too: two sizes of one ring are two lines.
    let locale = crate::i18n::locale();
    let options = jewelry::variant::options_text(&variant.options, locale);
    let name = jewelry::variant::named_with_options(&product.name, &variant.options).get(locale).to_owned();
    let quantity_label = fill(&words.quantity_of, &[("name", &name)]);
    let remove_label = fill(&words.remove_from_cart, &[("name", &name)]);
    view! {
        <li class="cart-line" data-product-id=product.id.clone() data-variant-id=variant.id.clone()>
            <a href=href.clone() class="cart-line-image" tabindex="-1" aria-hidden="true">
                {product.image.clone().map(|img| view! { <img src=img.url alt="" width="96" height="96"/> })}
            </a>
            <div class="cart-line-info">
                <p class="product-brand">{product.brand.clone()}</p>
                <a href=href class="cart-line-name">{product.name.get(locale).to_owned()}</a>
                {(!options.is_empty()).then(|| view! { <p class="cart-line-options">{options}</p> })}
                <p class="cart-line-unit">{fill(&words.unit_price, &[("price", &prices.show(unit))])}</p>
            </div>
            <ActionForm action=update attr:class="cart-line-quantity">
                <input type="hidden" name="variant_id" value=update_id/>
                <label for=input_id.clone()>{quantity_label}</label>
                <input id=input_id name="quantity" type="number" inputmode="numeric" min="0" max=max value=line.quantity/>
                <button type="submit" class="button-small">{words.update.clone()}</button>
            </ActionForm>
            <p class="cart-line-total">{prices.show(total)}</p>
            <ActionForm action=remove attr:class="cart-line-remove">
                <input type="hidden" name="variant_id" value=remove_id/>
                <button type="submit" class="link-button" aria-label=remove_label>
                    {words.remove.clone()}
                </button>
            </ActionForm>
        </li>
    }
}
