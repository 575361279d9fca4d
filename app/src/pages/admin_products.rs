//! The admin area's products: list and search, create, edit, archive.

use crate::api::{
    AdminArchiveProduct, AdminSaveProduct, ShopError, admin_categories, admin_list_products, admin_load_product,
};
use crate::components::form::{FormField, TextAreaField};
use crate::components::notice::{ErrorNotice, ForbiddenNotice, NotFoundNotice, SignInNotice};
use crate::pages::admin_images::ProductImages;
use jewelry::admin::{AdminProduct, AdminProductRow, ProductInput, SaveOutcome};
use jewelry::catalog::{Category, encode_component};
use jewelry::checkout::FieldErrors;
use jewelry::{Currency, PriceFormat};
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The admin area's own navigation.
#[component]
pub fn AdminNav() -> impl IntoView {
    view! {
        <nav class="admin-nav" aria-label="Admin">
            <a href="/admin">"Overview"</a>
            <a href="/admin/products">"Products"</a>
            <a href="/admin/insights">"Insights"</a>
        </nav>
    }
}

/// What an admin page shows instead of its content when the request may not see it.
#[component]
pub fn AdminRefusal(error: ShopError, return_to: String) -> impl IntoView {
    match error {
        ShopError::SignInRequired => EitherOf3::A(view! { <SignInNotice return_to/> }),
        ShopError::Forbidden => EitherOf3::B(view! { <ForbiddenNotice/> }),
        error => EitherOf3::C(view! { <ErrorNotice error/> }),
    }
}

#[component]
pub fn AdminProductsPage() -> impl IntoView {
    let query = use_query_map();
    let search = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let products = Resource::new(move || search.get(), admin_list_products);
    view! {
        <Title text="Products · Admin"/>
        <section class="admin-page" aria-labelledby="products-heading">
            <AdminNav/>
            <header class="admin-header">
                <h1 id="products-heading">"Products"</h1>
                <a class="button button-primary" href="/admin/products/new">"New product"</a>
            </header>
            <form class="admin-search" method="get" action="/admin/products" role="search">
                <label for="admin-search">"Search products"</label>
                <input id="admin-search" type="search" name="q" value=move || search.get() placeholder="Name, brand or id"/>
                <button type="submit">"Search"</button>
            </form>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match products.await {
                        Ok(rows) => Either::Left(view! { <ProductsTable rows/> }),
                        Err(error) => {
                            Either::Right(view! { <AdminRefusal error return_to="/admin/products".to_owned()/> })
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ProductsTable(rows: Vec<AdminProductRow>) -> impl IntoView {
    let prices = expect_context::<PriceFormat>();
    if rows.is_empty() {
        return Either::Left(view! { <p class="empty-state">"No products match."</p> });
    }
    Either::Right(view! {
        <table class="orders-table admin-products">
            <thead>
                <tr>
                    <th scope="col">"Product"</th>
                    <th scope="col">"Category"</th>
                    <th scope="col">"Price"</th>
                    <th scope="col">"Stock"</th>
                    <th scope="col">"Images"</th>
                    <th scope="col">"Status"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|row| {
                        let href = format!("/admin/products/{}/edit", row.id);
                        let price = match row.discount_price {
                            Some(sale) => format!("{} (was {})", prices.show(sale), prices.show(row.price)),
                            None => prices.show(row.price),
                        };
                        let status = match (row.archived, row.featured) {
                            (true, _) => "Archived",
                            (false, true) => "In the catalog, featured",
                            (false, false) => "In the catalog",
                        };
                        view! {
                            <tr class:archived=row.archived>
                                <td>
                                    <a href=href>{row.name}</a>
                                    <span class="product-brand">{format!("{} · {}", row.brand, row.id)}</span>
                                </td>
                                <td>{row.category_name}</td>
                                <td>{price}</td>
                                <td>{row.stock}</td>
                                <td>{row.image_count}</td>
                                <td>{status}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    })
}

#[component]
pub fn AdminNewProductPage() -> impl IntoView {
    view! {
        <Title text="New product · Admin"/>
        <NewProductSection/>
    }
}

/// The new product's form, an island of its own chunk of the wasm (as are the
/// edit page's): shoppers never download the admin area's code.
#[island(lazy)]
fn NewProductSection() -> impl IntoView {
    let categories = Resource::new(|| (), |_| admin_categories());
    let save = ServerAction::<AdminSaveProduct>::new();
    Effect::new(move |_| {
        if let Some(Ok(SaveOutcome::Saved { id, .. })) = save.value().get() {
            crate::components::browser::go_to(&format!("/admin/products/{}/edit?created=1", encode_component(&id)));
        }
    });
    view! {
        <section class="admin-page" aria-labelledby="new-product-heading">
            <AdminNav/>
            <h1 id="new-product-heading">"New product"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match categories.await {
                        Ok(categories) => Either::Left(view! {
                            <ProductForm initial=ProductInput::default() categories save creating=true/>
                        }),
                        Err(error) => {
                            Either::Right(view! { <AdminRefusal error return_to="/admin/products/new".to_owned()/> })
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn AdminEditProductPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = params.read_untracked().get("id").unwrap_or_default();
    let created = query.read_untracked().get("created").is_some();
    view! {
        <Title text="Edit product · Admin"/>
        <EditProductSection id created/>
    }
}

/// The product's form, archiving and images, an island of its own chunk.
/// `created`: the page is the one a new product's creation led to.
#[island(lazy)]
fn EditProductSection(id: String, created: bool) -> impl IntoView {
    let id = StoredValue::new(id);
    let save = ServerAction::<AdminSaveProduct>::new();
    let archive = ServerAction::<AdminArchiveProduct>::new();
    let product = Resource::new(
        move || (save.version().get(), archive.version().get()),
        move |_| admin_load_product(id.get_value()),
    );
    let images = Resource::new(|| (), move |_| admin_load_product(id.get_value()));
    let categories = Resource::new(|| (), |_| admin_categories());
    let created = move || created && save.version().get() == 0;
    view! {
        <section class="admin-page" aria-labelledby="edit-product-heading">
            <AdminNav/>
            {move || {
                created()
                    .then(|| {
                        view! {
                            <p class="notice notice-success" role="status">
                                "Product created. Add its images below."
                            </p>
                        }
                    })
            }}
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match (product.await, categories.await) {
                        (Ok(product), Ok(categories)) => {
                            EitherOf3::A(view! { <EditProduct product categories save archive/> })
                        }
                        (Err(ShopError::NotFound), _) => EitherOf3::B(view! { <NotFoundNotice what="Product"/> }),
                        (Err(error), _) | (_, Err(error)) => {
                            let return_to = format!("/admin/products/{}/edit", id.get_value());
                            EitherOf3::C(view! { <AdminRefusal error return_to/> })
                        }
                    }
                })}
            </Transition>
            // Loaded apart from the form, so saving the form leaves uploads in progress alone.
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    images.await.ok().map(|product| {
                        view! {
                            <ProductImages
                                product_id=product.input.id
                                product_name=product.input.name
                                images=product.images
                            />
                        }
                    })
                })}
            </Transition>
        </section>
    }
}

#[component]
fn EditProduct(
    product: AdminProduct,
    categories: Vec<Category>,
    save: ServerAction<AdminSaveProduct>,
    archive: ServerAction<AdminArchiveProduct>,
) -> impl IntoView {
    let public_href = format!("/products/{}", product.input.id);
    let archived = product.archived;
    let archive_result = move || match archive.value().get() {
        Some(Ok(SaveOutcome::Conflict { .. })) => {
            Some("Someone changed this product meanwhile; it is shown as it is now. Try again.".to_owned())
        }
        Some(Err(error)) => Some(error.to_string()),
        _ => None,
    };
    view! {
        <header class="admin-header">
            <h1 id="edit-product-heading">{product.input.name.clone()}</h1>
            {(!archived).then(|| view! { <a href=public_href.clone()>"View in the shop"</a> })}
        </header>
        <p class="admin-status">
            {if archived { "Archived: not in the catalog. Past orders still show it." } else { "In the catalog." }}
            {format!(" Version {}.", product.version)}
        </p>
        <ProductForm initial=product.input.clone() categories save creating=false/>
        <ActionForm action=archive attr:class="archive-form">
            <input type="hidden" name="id" value=product.input.id.clone()/>
            <input type="hidden" name="version" value=product.version/>
            <input type="hidden" name="archived" value=(!archived).to_string()/>
            <button type="submit" class="button button-ghost">
                {if archived { "Restore to the catalog" } else { "Archive product" }}
            </button>
        </ActionForm>
        {move || archive_result().map(|m| view! { <p class="notice notice-error" role="alert">{m}</p> })}
    }
}

/// The product's fields. Creating, the id can be chosen; afterwards it is the URL and stays.
#[component]
fn ProductForm(
    initial: ProductInput,
    categories: Vec<Category>,
    save: ServerAction<AdminSaveProduct>,
    creating: bool,
) -> impl IntoView {
    let price_label = match expect_context::<PriceFormat>().currency {
        Currency::Vnd => "Price (VND)",
        Currency::Usd => "Price (USD)",
    };
    let errors = Memo::new(move |_| match save.value().get() {
        Some(Ok(SaveOutcome::Invalid(errors))) => errors,
        _ => FieldErrors::new(),
    });
    let status = move || match save.value().get() {
        Some(Ok(SaveOutcome::Saved { version, .. })) if !creating => Some(Either::Left(
            view! { <p class="notice notice-success" role="status">{format!("Saved (version {version}).")}</p> },
        )),
        Some(Ok(SaveOutcome::Invalid(errors))) => Some(Either::Right(view! {
            <p class="notice notice-error" role="alert">
                {format!("Please correct {} in the form below.", if errors.len() == 1 { "one field".to_owned() } else { format!("{} fields", errors.len()) })}
            </p>
        })),
        Some(Ok(SaveOutcome::Conflict { current_version })) => Some(Either::Right(view! {
            <p class="notice notice-error" role="alert">
                {format!(
                    "Someone else saved this product (now version {current_version}) while you were editing. Nothing was overwritten: reload to see their changes, then make yours again.",
                )}
            </p>
        })),
        Some(Err(error)) => {
            Some(Either::Right(view! { <p class="notice notice-error" role="alert">{error.to_string()}</p> }))
        }
        _ => None,
    };
    let field = move |name: &'static str| errors.read().get(name).cloned();
    let selected = initial.category_id.clone();
    view! {
        {status}
        <ActionForm action=save attr:class="product-form" attr:novalidate="true">
            <input type="hidden" name="input[version]" value=initial.version.clone()/>
            <input type="hidden" name="input[stock_was]" value=initial.stock_was.clone()/>
            {if creating {
                Either::Left(view! {
                    <FormField optional=true errors name="id" label="Id (its address: /products/…)" value=initial.id.clone()/>
                })
            } else {
                Either::Right(view! { <input type="hidden" name="input[id]" value=initial.id.clone()/> })
            }}
            <FormField optional=true errors name="name" label="Name" value=initial.name.clone()/>
            <FormField optional=true errors name="brand" label="Brand" value=initial.brand.clone()/>
            <div class="field" class:has-error=move || field("category_id").is_some()>
                <label for="category_id">"Category"</label>
                <select id="category_id" name="input[category_id]">
                    <option value="">"Choose a category"</option>
                    {categories
                        .into_iter()
                        .map(|c| {
                            let is_selected = c.id == selected;
                            view! { <option value=c.id selected=is_selected>{c.name}</option> }
                        })
                        .collect_view()}
                </select>
                <p class="field-error">{move || field("category_id")}</p>
            </div>
            <TextAreaField errors name="description" label="Description" value=initial.description.clone()/>
            <div class="field-row">
                <FormField optional=true errors name="price" label=price_label value=initial.price.clone()/>
                <FormField optional=true errors name="discount_price" label="Sale price (optional)" value=initial.discount_price.clone()/>
            </div>
            <FormField optional=true errors name="stock" label="In stock" value=initial.stock.clone()/>
            <label class="radio">
                <input type="checkbox" name="input[featured]" checked=initial.featured.is_some()/>
                "Featured on the home page"
            </label>
            <button type="submit" class="button button-primary" disabled=move || save.pending().get()>
                {if creating { "Create product" } else { "Save changes" }}
            </button>
        </ActionForm>
    }
}
