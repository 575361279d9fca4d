//! A product as a card, and prices.

use crate::i18n::{href, locale};
use jewelry::catalog::ProductSummary;
use jewelry::text::{fill, store};
use jewelry::{Locale, Money, PriceFormat};
use leptos::either::Either;
use leptos::prelude::*;

/// A price, with the regular price struck through when there is a discount, as
/// the page writes prices ([`PriceFormat`], from the context), named for screen
/// readers in the page's words (so rendered on the server, never in an island).
#[component]
pub fn Price(price: Money, discount: Option<Money>) -> impl IntoView {
    let prices = expect_context::<PriceFormat>();
    let w = store::words(locale());
    match discount.filter(|d| *d < price) {
        Some(now) => Either::Left(view! {
            <p class="price">
                <span class="price-now price-sale">
                    <span class="visually-hidden">{w.sale_price}</span>
                    {prices.show(now)}
                </span>
                " "
                <s class="price-was">
                    <span class="visually-hidden">{w.regular_price}</span>
                    {prices.show(price)}
                </s>
            </p>
        }),
        None => Either::Right(view! {
            <p class="price">
                <span class="price-now">{prices.show(price)}</span>
            </p>
        }),
    }
}

/// How many are left, in `words` (the page's): the note's class, and its text.
pub fn stock_note(stock: i64, words: &store::Words) -> (&'static str, String) {
    match stock {
        s if s <= 0 => ("stock out", words.sold_out.to_owned()),
        s if s <= 3 => ("stock low", fill(words.stock_low, &[("n", &s)])),
        s => ("stock in", fill(words.stock_in, &[("n", &s)])),
    }
}

/// How many pieces, `n`, in `locale`'s words, its digits grouped as the language
/// writes them: "1 piece", "12 pieces", "12 sản phẩm".
pub fn pieces(n: i64, locale: Locale) -> String {
    let w = store::words(locale);
    match n {
        1 => w.pieces_one.to_owned(),
        n => fill(w.pieces_many, &[("n", &locale.group_digits(u64::try_from(n).unwrap_or(0)))]),
    }
}

/// A product as a card in a list, its name a heading one level below the list's
/// own (`level`: 2 under a page's `h1`, 3 under a section's `h2`), so headings
/// never skip a level.
#[component]
pub fn ProductCard(product: ProductSummary, #[prop(default = 3)] level: u8) -> impl IntoView {
    let w = store::words(locale());
    let link = href(&format!("/products/{}", product.id));
    let sold_out = !product.in_stock();
    let name = product.name.get(locale()).to_owned();
    view! {
        <article class="product-card">
            <a href=link class="product-card-link">
                <div class="product-card-image">
                    {product
                        .image
                        .map(|img| {
                            let alt = img.alt.get(locale()).to_owned();
                            view! { <img src=img.url alt=alt width="400" height="400" loading="lazy"/> }
                        })}
                    {sold_out.then(|| view! { <span class="badge">{w.sold_out}</span> })}
                    {(!sold_out && product.discount_price.is_some())
                        .then(|| view! { <span class="badge badge-sale">{w.sale_badge}</span> })}
                </div>
                <div class="product-card-body">
                    <p class="product-brand">{product.brand}</p>
                    {match level {
                        2 => Either::Left(view! { <h2 class="product-name">{name}</h2> }),
                        _ => Either::Right(view! { <h3 class="product-name">{name}</h3> }),
                    }}
                    <Price price=product.price discount=product.discount_price/>
                </div>
            </a>
        </article>
    }
}
