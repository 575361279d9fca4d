use crate::api::ShopError;
use crate::api::{AddToCart, load_product};
use crate::components::cart_refresh::CartRefresh;
use crate::components::notice::{ErrorNotice, GoneNotice, Missing, NotFoundNotice};
use crate::components::product::{Price, stock_note};
use crate::components::seo::{LanguageLinks, ShareTags, site_origin};
use crate::error::ErrorWords;
use crate::i18n::{href, locale, prefix};
use crate::tracker;
use jewelry::PriceFormat;
use jewelry::cart::LineVariant;
use jewelry::cart::max_quantity;
use jewelry::catalog::{ProductDetail, ProductImage, ProductSummary};
use jewelry::text::{common, fill, store};
use jewelry::variant::{Availability, OptionKind, ProductOption, Variant};
use leptos::either::{Either, EitherOf3, EitherOf4};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

crate::island_words!(
    /// What the gallery says: its thumbnails' names.
    pub struct GalleryWords from jewelry::text::store { show_image }
);

crate::island_words!(
    /// What the add-to-cart form says (its errors are [`ErrorWords`]).
    pub struct AddToCartWords from jewelry::text::store {
        sold_out_note, variant_sold_out_note, added_to_cart, view_cart, quantity, adding, add_to_cart,
    }
);

#[component]
pub fn ProductPage() -> impl IntoView {
    let locale = locale();
    let loading = common::words(locale).loading;
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    // The variant chosen, by its SKU (`?variant=`): the page's address says it.
    let query = use_query_map();
    let sku = move || query.read_untracked().get("variant");
    let product = Resource::new(move || id.get(), load_product);

    view! {
        <Suspense fallback=move || view! { <p class="loading">{loading}</p> }>
            {move || Suspend::new(async move {
                let base = site_origin().await;
                // A product's page names its languages with its share tags; any
                // other answer at its address names them here.
                let path = jewelry::seo::product_path(&id.get_untracked());
                match product.await {
                    Ok(product) => EitherOf4::A(view! { <ProductView product base sku=sku()/> }),
                    Err(ShopError::NotFound) => EitherOf4::B(view! {
                        <LanguageLinks base path/>
                        <NotFoundNotice what=Missing::Product/>
                    }),
                    Err(ShopError::Gone) => EitherOf4::C(view! {
                        <LanguageLinks base path/>
                        <GoneNotice/>
                    }),
                    Err(error) => EitherOf4::D(view! {
                        <LanguageLinks base path/>
                        <ErrorNotice error words=ErrorWords::new(locale)/>
                    }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProductView(product: ProductDetail, base: String, sku: Option<String>) -> impl IntoView {
    let locale = locale();
    let w = store::words(locale);
    let prices = expect_context::<PriceFormat>();
    // What the page sells: the variant chosen (for a product without options, its
    // one), its price and stock standing in for the product's.
    let variant = product.chosen(sku.as_deref()).cloned();
    let mut summary = product.summary.clone();
    if let Some(v) = &variant {
        summary.price = v.price;
        summary.discount_price = v.discount_price;
        summary.stock = v.stock;
    }
    let name = summary.name.get(locale).to_owned();
    let title = fill(w.product_title, &[("name", &name), ("brand", &summary.brand)]);
    let full_description = product.description.get(locale).to_owned();
    let description: String = full_description.chars().take(160).collect();
    let (stock_class, stock_text) = stock_note(summary.stock, w);
    let category_href = href(&format!("/catalog?category={}", summary.category_id));
    let images = match &variant {
        Some(v) if !v.images.is_empty() => v.images.clone(),
        _ => product.images.clone(),
    };

    // schema.org's Product for rich results, in the page's language, as JSON no
    // text in it can end.
    let address = href(&jewelry::seo::product_path(&summary.id));
    let structured_data = jewelry::seo::product_json_ld(&product, &base, &address, prices.currency, locale);
    let structured = jewelry::seo::json_for_script(&structured_data);
    let price = summary.effective_price().to_input(prices.currency);
    let line_variant = variant.as_ref().map(|v| LineVariant {
        id: v.id.clone(),
        sku: v.sku.clone(),
        options: jewelry::variant::describe(&product.options, &v.values),
    });
    let pickers = variant.as_ref().filter(|_| product.has_options()).map(|current| {
        view! {
            <VariantPickers
                product_id=product.summary.id.clone()
                options=product.options.clone()
                variants=product.variants.clone()
                current=current.clone()
            />
        }
    });
    let sku_line = variant
        .as_ref()
        .filter(|_| product.has_options())
        .map(|v| view! { <p class="product-sku">{w.sku}": " <span data-testid="sku">{v.sku.clone()}</span></p> });
    let size_guide = product.options.iter().any(|o| o.kind == OptionKind::Size).then(|| view! { <SizeGuide/> });
    view! {
        <Title text=title.clone()/>
        <Meta name="description" content=description.clone()/>
        <ShareTags
            base
            path=jewelry::seo::product_path(&summary.id)
            title
            description
            image=images.first().map(|i| i.url.clone())
            kind="product"
        />
        <Meta property="product:price:amount" content=price/>
        <Meta property="product:price:currency" content=prices.currency.code()/>
        // A data block, never run; it carries the nonce as every script of the page does.
        <script type="application/ld+json" nonce=leptos::nonce::use_nonce() inner_html=structured></script>
        <nav class="breadcrumbs" aria-label=w.breadcrumb>
            <ol>
                <li>
                    <a href=href("/")>{w.home}</a>
                </li>
                <li>
                    <a href=category_href>{summary.category_name.get(locale).to_owned()}</a>
                </li>
                <li aria-current="page">{name.clone()}</li>
            </ol>
        </nav>
        <article class="product-page">
            <Gallery images words=GalleryWords::new(locale)/>
            <div class="product-info">
                <p class="product-brand">{summary.brand.clone()}</p>
                <h1>{name}</h1>
                <Price price=summary.price discount=summary.discount_price/>
                {pickers}
                {size_guide}
                <p class=stock_class data-testid="stock">{stock_text}</p>
                {sku_line}
                <p class="product-description">{full_description}</p>
                <AddToCartForm
                    product=summary.clone()
                    variant=line_variant
                    words=AddToCartWords::new(locale)
                    errors=ErrorWords::new(locale)
                    prefix=prefix()
                />
                <ul class="assurances">
                    <li>{w.assurance_delivery}</li>
                    <li>{w.assurance_cash}</li>
                    <li>{w.assurance_returns}</li>
                </ul>
            </div>
        </article>
    }
}

/// A picker per option: its values as links to the variant each leads to (an
/// ordinary page load, answered from the kept pages: no JavaScript needed),
/// marked as a group of radios, the chosen one checked; a combination sold out
/// or not made says so.
#[component]
fn VariantPickers(
    product_id: String,
    options: Vec<ProductOption>,
    variants: Vec<Variant>,
    current: Variant,
) -> impl IntoView {
    let locale = locale();
    let w = store::words(locale);
    options
        .iter()
        .enumerate()
        .map(|(i, option)| {
            let label_id = format!("variant-option-{}", i + 1);
            let chosen = option
                .values
                .iter()
                .find(|v| current.values.get(i) == Some(&v.code))
                .map(|v| v.label.get(locale).to_owned())
                .unwrap_or_default();
            let values = jewelry::variant::picker(&options, &variants, &current, i)
                .into_iter()
                .map(|p| {
                    let label = p.value.label.get(locale).to_owned();
                    let (class, note) = match p.availability {
                        Availability::Available => ("variant-value", None),
                        Availability::SoldOut => ("variant-value sold-out", Some(w.variant_sold_out)),
                        Availability::Unavailable => ("variant-value unavailable", Some(w.variant_unavailable)),
                    };
                    let note = note.map(|n| view! { <span class="visually-hidden">{n}</span> });
                    let checked = p.selected.to_string();
                    match p.target {
                        Some(target) => Either::Left(view! {
                            <a
                                class=class
                                role="radio"
                                aria-checked=checked
                                href=href(&format!(
                                    "{}?variant={}",
                                    jewelry::seo::product_path(&product_id),
                                    jewelry::catalog::encode_component(&target.sku),
                                ))
                                data-sku=target.sku.clone()
                            >
                                {label}
                                {note}
                            </a>
                        }),
                        None => Either::Right(view! {
                            <span class=class role="radio" aria-checked=checked aria-disabled="true">
                                {label}
                                {note}
                            </span>
                        }),
                    }
                })
                .collect_view();
            view! {
                <div class="variant-option">
                    <p class="variant-option-name" id=label_id.clone()>
                        {fill(w.variant_chosen, &[("option", &option.name.get(locale)), ("value", &chosen)])}
                    </p>
                    <div class="variant-values" role="radiogroup" aria-labelledby=label_id>
                        {values}
                    </div>
                </div>
            }
        })
        .collect_view()
}

/// Ring sizes against their inside circumference and diameter, in a disclosure
/// that opens without JavaScript.
#[component]
fn SizeGuide() -> impl IntoView {
    let locale = locale();
    let w = store::words(locale);
    let rows = jewelry::variant::ring_size_guide()
        .into_iter()
        .map(|(size, circumference, diameter)| {
            view! {
                <tr>
                    <th scope="row">{size}</th>
                    <td>{jewelry::variant::millimetres(circumference, locale)}</td>
                    <td>{jewelry::variant::millimetres(diameter, locale)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <details class="size-guide">
            <summary>{w.size_guide}</summary>
            <p>{w.size_guide_intro}</p>
            <table>
                <thead>
                    <tr>
                        <th scope="col">{w.size_guide_size}</th>
                        <th scope="col">{w.size_guide_circumference}</th>
                        <th scope="col">{w.size_guide_diameter}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </details>
    }
}

/// The product's images: the one shown large, and buttons that choose it, named
/// in `words` (the page's).
#[island]
fn Gallery(images: Vec<ProductImage>, words: GalleryWords) -> impl IntoView {
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
                let label = fill(&words.show_image, &[("i", &(i + 1)), ("n", &images.len())]);
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
                    main_image().map(|img| {
                        let alt = img.alt.get(crate::i18n::locale()).to_owned();
                        view! { <img src=img.url alt=alt width="800" height="800" fetchpriority="high"/> }
                    })
                }}
            </div>
            {thumbnails.map(|t| view! { <ul class="thumbs">{t}</ul> })}
        </div>
    }
}

/// The add-to-cart form, or the sold-out note, and the page's `product_view`
/// (sent once this island is interactive: effects never run on the server).
/// `words` and `errors` are the page's; `prefix` starts its addresses (the cart's).
#[island]
fn AddToCartForm(
    product: ProductSummary,
    variant: Option<LineVariant>,
    words: AddToCartWords,
    errors: ErrorWords,
    prefix: String,
) -> impl IntoView {
    let summary = product;
    let currency = expect_context::<PriceFormat>().currency;
    {
        let summary = summary.clone();
        let variant = variant.clone();
        Effect::new(move |_| tracker::product_view(&summary, variant.as_ref(), currency));
    }
    let add = ServerAction::<AddToCart>::new();
    let refresh = expect_context::<CartRefresh>();
    Effect::new(move |_| {
        if let Some(Ok(added)) = add.value().get() {
            tracker::add_to_cart(&added.product, &added.variant, added.added, currency);
            refresh.bump();
        }
    });

    let max = max_quantity(summary.stock);
    if max == 0 {
        // A variant sold out when its product has others: choose another.
        let note = match variant.as_ref().is_some_and(|v| !v.options.is_empty()) {
            true => words.variant_sold_out_note.clone(),
            false => words.sold_out_note.clone(),
        };
        return Either::Left(view! { <p class="sold-out-note">{note}</p> });
    }
    // A plain form, which posts to the server function where there is no
    // JavaScript yet; once interactive, a submit calls the action instead (the
    // browser has checked the quantity against `min`, `max` and `required` by
    // then). Not `ActionForm`: it reads the form into the function's arguments with
    // `serde_qs`'s deserializer, 20 KB of the first-visit wasm (brotli) that no
    // other storefront island needs.
    let quantity = NodeRef::<leptos::html::Input>::new();
    let product_id = summary.id.clone();
    let variant_id = variant.map(|v| v.id);
    let submit = {
        let variant_id = variant_id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let wanted = quantity.get().and_then(|input| input.value().parse::<u32>().ok());
            if let Some(quantity) = wanted {
                add.dispatch(AddToCart { product_id: product_id.clone(), variant_id: variant_id.clone(), quantity });
            }
        }
    };
    let AddToCartWords { added_to_cart, view_cart, quantity: quantity_label, adding, add_to_cart, .. } = words;
    let cart_href = format!("{prefix}/cart");
    let status = move || match add.value().get() {
        Some(Ok(added)) => EitherOf3::A(view! {
            <p class="form-status success" role="status">
                {fill(&added_to_cart, &[("n", &added.line_quantity)])}
                <a href=cart_href.clone()>{view_cart.clone()}</a>
            </p>
        }),
        Some(Err(error)) => EitherOf3::B(view! {
            <p class="form-status error" role="alert">
                {error.say(&errors)}
            </p>
        }),
        None => EitherOf3::C(view! { <p class="form-status" role="status"></p> }),
    };
    Either::Right(view! {
        <form method="post" action=AddToCart::url() class="add-to-cart" on:submit=submit>
            <input type="hidden" name="product_id" value=summary.id.clone()/>
            {variant_id.map(|id| view! { <input type="hidden" name="variant_id" value=id/> })}
            <div class="quantity-field">
                <label for="quantity">{quantity_label}</label>
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
                {move || if add.pending().get() { adding.clone() } else { add_to_cart.clone() }}
            </button>
        </form>
        {status}
    })
}
