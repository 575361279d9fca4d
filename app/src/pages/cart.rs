use crate::api::{RemoveCartLine, UpdateCartLine, load_cart};
use crate::components::cart_refresh::CartRefresh;
use crate::components::notice::ErrorNotice;
use jewelry::PriceFormat;
use jewelry::cart::{CartLine, CartView};
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CartPage() -> impl IntoView {
    view! {
        <Title text="Your cart"/>
        <CartSection/>
    }
}

/// The cart and its controls, an island of its own chunk of the wasm (a shopper's
/// first pages, home, catalog and products, do not download it): the cart is read
/// on the server with the page, and again in the browser after each change.
#[island(lazy)]
fn CartSection() -> impl IntoView {
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
    let failure = move || {
        [update.value().get(), remove.value().get()]
            .into_iter()
            .flatten()
            .find_map(|r| r.err())
            .map(|error| view! { <ErrorNotice error/> })
    };

    view! {
        <section class="cart-page" aria-labelledby="cart-heading">
            <h1 id="cart-heading">"Your cart"</h1>
            {failure}
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match cart.await {
                        Ok(cart) if cart.is_empty() => EitherOf3::A(view! {
                            <div class="empty-state">
                                <p>"Your cart is empty."</p>
                                <p>
                                    <a class="button" href="/catalog">"Browse the collection"</a>
                                </p>
                            </div>
                        }),
                        Ok(cart) => EitherOf3::B(view! { <CartContents cart update remove/> }),
                        Err(error) => EitherOf3::C(view! { <ErrorNotice error/> }),
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
) -> impl IntoView {
    let prices = expect_context::<PriceFormat>();
    let subtotal = cart.subtotal();
    let over_stock = cart.over_stock().count() > 0;
    view! {
        {over_stock.then(|| view! {
            <p class="notice notice-warning" role="alert">
                "Some pieces have less stock than your cart holds. Lower their quantity before checking out."
            </p>
        })}
        <ul class="cart-lines">
            {cart.lines.into_iter().map(|line| view! { <CartLineRow line update remove/> }).collect_view()}
        </ul>
        <div class="cart-summary">
            <dl>
                <div>
                    <dt>"Subtotal"</dt>
                    <dd data-testid="cart-subtotal">{prices.show(subtotal)}</dd>
                </div>
                <div>
                    <dt>"Shipping"</dt>
                    <dd>"Free"</dd>
                </div>
            </dl>
            <p class="cart-actions">
                <a class="button button-ghost" href="/catalog">"Continue shopping"</a>
                {if over_stock {
                    Either::Left(view! { <span class="button button-primary disabled" aria-disabled="true">"Checkout"</span> })
                } else {
                    Either::Right(view! { <a class="button button-primary" href="/checkout">"Checkout"</a> })
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
) -> impl IntoView {
    let product = line.product.clone();
    let href = format!("/products/{}", product.id);
    let input_id = format!("qty-{}", product.id);
    let max = line.max_quantity().max(line.quantity);
    let unit = line.unit_price();
    let prices = expect_context::<PriceFormat>();
    let total = line.total();
    let update_id = product.id.clone();
    let remove_id = product.id.clone();
    let quantity_label = format!("Quantity of {}", product.name);
    let remove_label = format!("Remove {} from cart", product.name);
    view! {
        <li class="cart-line" data-product-id=product.id.clone()>
            <a href=href.clone() class="cart-line-image" tabindex="-1" aria-hidden="true">
                {product.image.clone().map(|img| view! { <img src=img.url alt="" width="96" height="96"/> })}
            </a>
            <div class="cart-line-info">
                <p class="product-brand">{product.brand.clone()}</p>
                <a href=href class="cart-line-name">{product.name.clone()}</a>
                <p class="cart-line-unit">{format!("{} each", prices.show(unit))}</p>
            </div>
            <ActionForm action=update attr:class="cart-line-quantity">
                <input type="hidden" name="product_id" value=update_id/>
                <label for=input_id.clone()>{quantity_label}</label>
                <input id=input_id name="quantity" type="number" inputmode="numeric" min="0" max=max value=line.quantity/>
                <button type="submit" class="button-small">"Update"</button>
            </ActionForm>
            <p class="cart-line-total">{prices.show(total)}</p>
            <ActionForm action=remove attr:class="cart-line-remove">
                <input type="hidden" name="product_id" value=remove_id/>
                <button type="submit" class="link-button" aria-label=remove_label>
                    "Remove"
                </button>
            </ActionForm>
        </li>
    }
}
