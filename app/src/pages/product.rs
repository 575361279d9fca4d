use crate::api::ShopError;
use crate::api::{AddToCart, load_product};
use crate::components::cart_refresh::CartRefresh;
use crate::components::notice::{ErrorNotice, GoneNotice, NotFoundNotice};
use crate::components::product::{Price, stock_note};
use crate::components::seo::{ShareTags, site_origin};
use crate::tracker;
use jewelry::PriceFormat;
use jewelry::cart::max_quantity;
use jewelry::catalog::{ProductDetail, ProductImage, ProductSummary};
use leptos::either::{Either, EitherOf3, EitherOf4};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let product = Resource::new(move || id.get(), load_product);

    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let base = site_origin().await;
                match product.await {
                    Ok(product) => EitherOf4::A(view! { <ProductView product base/> }),
                    Err(ShopError::NotFound) => EitherOf4::B(view! { <NotFoundNotice what="Product"/> }),
                    Err(ShopError::Gone) => EitherOf4::C(view! { <GoneNotice/> }),
                    Err(error) => EitherOf4::D(view! { <ErrorNotice error/> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProductView(product: ProductDetail, base: String) -> impl IntoView {
    let summary = product.summary.clone();
    let prices = expect_context::<PriceFormat>();
    let title = format!("{} by {}", summary.name, summary.brand);
    let description: String = product.description.chars().take(160).collect();
    let (stock_class, stock_text) = stock_note(summary.stock);
    let category_href = format!("/catalog?category={}", summary.category_id);

    // schema.org's Product for rich results, as JSON no text in it can end.
    let structured = jewelry::seo::json_for_script(&jewelry::seo::product_json_ld(&product, &base, prices.currency));
    let price = summary.effective_price().to_input(prices.currency);
    view! {
        <Title text=title.clone()/>
        <Meta name="description" content=description.clone()/>
        <ShareTags
            base
            path=jewelry::seo::product_path(&summary.id)
            title
            description
            image=product.images.first().map(|i| i.url.clone())
            kind="product"
        />
        <Meta property="product:price:amount" content=price/>
        <Meta property="product:price:currency" content=prices.currency.code()/>
        // A data block, never run; it carries the nonce as every script of the page does.
        <script type="application/ld+json" nonce=leptos::nonce::use_nonce() inner_html=structured></script>
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <ol>
                <li>
                    <a href="/">"Home"</a>
                </li>
                <li>
                    <a href=category_href>{summary.category_name.clone()}</a>
                </li>
                <li aria-current="page">{summary.name.clone()}</li>
            </ol>
        </nav>
        <article class="product-page">
            <Gallery images=product.images.clone()/>
            <div class="product-info">
                <p class="product-brand">{summary.brand.clone()}</p>
                <h1>{summary.name.clone()}</h1>
                <Price price=summary.price discount=summary.discount_price/>
                <p class=stock_class data-testid="stock">{stock_text}</p>
                <p class="product-description">{product.description.clone()}</p>
                <AddToCartForm product=product.summary.clone()/>
                <ul class="assurances">
                    <li>"Free insured delivery"</li>
                    <li>"Pay cash on delivery"</li>
                    <li>"30-day returns"</li>
                </ul>
            </div>
        </article>
    }
}

/// The product's images: the one shown large, and buttons that choose it.
#[island]
fn Gallery(images: Vec<ProductImage>) -> impl IntoView {
    let selected = RwSignal::new(0usize);
    let main_image = {
        let images = images.clone();
        move || images.get(selected.get()).cloned()
    };
    let thumbnails = (images.len() > 1).then(|| {
        images
            .iter()
            .enumerate()
            .map(|(i, img)| {
                let label = format!("Show image {} of {}", i + 1, images.len());
                view! {
                    <li>
                        <button
                            type="button"
                            class="thumb"
                            aria-label=label
                            aria-pressed=move || (selected.get() == i).to_string()
                            on:click=move |_| selected.set(i)
                        >
                            <img src=img.url.clone() alt="" width="80" height="80"/>
                        </button>
                    </li>
                }
            })
            .collect_view()
    });
    view! {
        <div class="gallery">
            <div class="gallery-main">
                {move || {
                    main_image().map(|img| view! { <img src=img.url alt=img.alt width="800" height="800"/> })
                }}
            </div>
            {thumbnails.map(|t| view! { <ul class="thumbs">{t}</ul> })}
        </div>
    }
}

/// The add-to-cart form, or the sold-out note, and the page's `product_view`
/// (sent once this island is interactive: effects never run on the server).
#[island]
fn AddToCartForm(product: ProductSummary) -> impl IntoView {
    let summary = product;
    let currency = expect_context::<PriceFormat>().currency;
    {
        let summary = summary.clone();
        Effect::new(move |_| tracker::product_view(&summary, currency));
    }
    let add = ServerAction::<AddToCart>::new();
    let refresh = expect_context::<CartRefresh>();
    Effect::new(move |_| {
        if let Some(Ok(added)) = add.value().get() {
            tracker::add_to_cart(&added.product, added.added, currency);
            refresh.bump();
        }
    });

    let max = max_quantity(summary.stock);
    if max == 0 {
        return Either::Left(view! {
            <p class="sold-out-note">"This piece is sold out. Browse similar pieces in the collection."</p>
        });
    }
    // A plain form, which posts to the server function where there is no
    // JavaScript yet; once interactive, a submit calls the action instead (the
    // browser has checked the quantity against `min`, `max` and `required` by
    // then). Not `ActionForm`: it reads the form into the function's arguments with
    // `serde_qs`'s deserializer, 20 KB of the first-visit wasm (brotli) that no
    // other storefront island needs.
    let quantity = NodeRef::<leptos::html::Input>::new();
    let product_id = summary.id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let wanted = quantity.get().and_then(|input| input.value().parse::<u32>().ok());
        if let Some(quantity) = wanted {
            add.dispatch(AddToCart { product_id: product_id.clone(), quantity });
        }
    };
    let status = move || match add.value().get() {
        Some(Ok(added)) => EitherOf3::A(view! {
            <p class="form-status success" role="status">
                {format!("Added to your cart. You have {} of this piece in your cart. ", added.line_quantity)}
                <a href="/cart">"View cart"</a>
            </p>
        }),
        Some(Err(error)) => EitherOf3::B(view! {
            <p class="form-status error" role="alert">
                {error.to_string()}
            </p>
        }),
        None => EitherOf3::C(view! { <p class="form-status" role="status"></p> }),
    };
    Either::Right(view! {
        <form method="post" action=AddToCart::url() class="add-to-cart" on:submit=submit>
            <input type="hidden" name="product_id" value=summary.id.clone()/>
            <div class="quantity-field">
                <label for="quantity">"Quantity"</label>
                <input
                    id="quantity"
                    name="quantity"
                    type="number"
                    inputmode="numeric"
                    min="1"
                    max=max
                    value="1"
                    required
                    node_ref=quantity
                />
            </div>
            <button type="submit" class="button button-primary" disabled=move || add.pending().get()>
                {move || if add.pending().get() { "Adding…" } else { "Add to cart" }}
            </button>
        </form>
        {status}
    })
}
