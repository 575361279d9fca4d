//! The admin area's products: list and search, create, edit, archive.

use crate::api::{
    AdminArchiveProduct, AdminSaveProduct, ShopError, admin_categories, admin_list_products, admin_load_product,
};
use crate::components::form::{FormField, TextAreaField};
use crate::components::notice::{
    ErrorNotice, ForbiddenNotice, ForbiddenPrompt, NotFoundSection, SignInNotice, SignInPrompt,
};
use crate::error::ErrorWords;
use crate::i18n::{href, locale, prefix};
use crate::pages::admin_images::{ImagesWords, ProductImages};
use crate::pages::admin_variants::{ProductVariants, VariantWords};
use jewelry::PriceFormat;
use jewelry::admin::{AdminProduct, AdminProductRow, ProductInput, SaveOutcome};
use jewelry::catalog::{Category, encode_component};
use jewelry::checkout::FieldErrors;
use jewelry::text::{admin, common, fill};
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

crate::island_words!(
    /// The admin area's navigation, in the page's language.
    pub struct AdminNavWords from jewelry::text::admin { nav_label, overview, nav_orders, products, insights, nav_mail }
);

crate::island_words!(
    /// What the product islands say: the form, what saving and archiving did.
    pub struct ProductWords from jewelry::text::admin {
        new_product_heading, product_created, archive_conflict, view_in_shop, archived_note, in_catalog_note,
        version_note, restore, archive, price_label, saved_version, correct_one, correct_many, save_conflict,
        label_id, label_name, label_name_vi, label_brand, category, choose_category, label_description,
        label_description_vi, label_discount_price,
        label_stock, featured_label, create_product, save_changes, stock_per_variant, label_metal, metal_none,
    }
);

crate::island_words!(
    /// The shop's shared words the product islands show: loading, and the notices
    /// standing in for what the request may not see (outside an island,
    /// `components::notice` reads them from the page's table itself).
    pub struct SharedWords from jewelry::text::common {
        loading, sign_in_notice, sign_in, forbidden_notice, not_found_product, not_found_body, browse_collection,
    }
);

/// The admin area's own navigation, on a page the server renders.
#[component]
pub fn AdminNav() -> impl IntoView {
    view! { <AdminNavLinks words=AdminNavWords::new(locale()) prefix=prefix()/> }
}

/// The admin area's navigation, with its words and the page's address prefix given
/// (as an island has them).
#[component]
pub fn AdminNavLinks(words: AdminNavWords, prefix: String) -> impl IntoView {
    view! {
        <nav class="admin-nav" aria-label=words.nav_label>
            <a href=format!("{prefix}/admin")>{words.overview}</a>
            <a href=format!("{prefix}/admin/orders")>{words.nav_orders}</a>
            <a href=format!("{prefix}/admin/products")>{words.products}</a>
            <a href=format!("{prefix}/admin/insights")>{words.insights}</a>
            <a href=format!("{prefix}/admin/mail")>{words.nav_mail}</a>
        </nav>
    }
}

/// What an admin page shows instead of its content when the request may not see it.
#[component]
pub fn AdminRefusal(error: ShopError, return_to: String) -> impl IntoView {
    match error {
        ShopError::SignInRequired => EitherOf3::A(view! { <SignInNotice return_to/> }),
        ShopError::Forbidden => EitherOf3::B(view! { <ForbiddenNotice/> }),
        error => EitherOf3::C(view! { <ErrorNotice error words=ErrorWords::new(locale())/> }),
    }
}

/// [`AdminRefusal`] in an island: the same notices (and statuses), with the words
/// and the page's address prefix given.
#[component]
fn IslandRefusal(
    error: ShopError,
    return_to: String,
    shared: SharedWords,
    errors: ErrorWords,
    prefix: String,
) -> impl IntoView {
    match error {
        ShopError::SignInRequired => EitherOf3::A(view! {
            <SignInPrompt
                address=format!("{prefix}{return_to}")
                notice=shared.sign_in_notice
                action=shared.sign_in
            />
        }),
        ShopError::Forbidden => EitherOf3::B(view! { <ForbiddenPrompt notice=shared.forbidden_notice/> }),
        error => EitherOf3::C(view! { <ErrorNotice error words=errors/> }),
    }
}

/// [`NotFoundNotice`](crate::components::notice::NotFoundNotice) for a product, in
/// an island: the same notice (and status), with the words and prefix given.
#[component]
fn ProductNotFound(shared: SharedWords, prefix: String) -> impl IntoView {
    view! {
        <NotFoundSection
            heading=shared.not_found_product
            body=shared.not_found_body
            browse=shared.browse_collection
            catalog=format!("{prefix}/catalog")
        />
    }
}

#[component]
pub fn AdminProductsPage() -> impl IntoView {
    let w = admin::words(locale());
    let common_words = common::words(locale());
    let query = use_query_map();
    let search = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let products = Resource::new(move || search.get(), admin_list_products);
    view! {
        <Title text=w.products_title/>
        <section class="admin-page" aria-labelledby="products-heading">
            <AdminNav/>
            <header class="admin-header">
                <h1 id="products-heading">{w.products}</h1>
                <a class="button button-primary" href=href("/admin/products/new")>{w.new_product_button}</a>
            </header>
            <form class="admin-search" method="get" action=href("/admin/products") role="search">
                <label for="admin-search">{w.search_label}</label>
                <input
                    id="admin-search"
                    type="search"
                    name="q"
                    value=move || search.get()
                    placeholder=w.search_placeholder
                />
                <button type="submit">{common_words.search_button}</button>
            </form>
            <Transition fallback=move || view! { <p class="loading">{common_words.loading}</p> }>
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
    let locale = locale();
    let w = admin::words(locale);
    let count = |n: i64| locale.group_digits(u64::try_from(n).unwrap_or_default());
    if rows.is_empty() {
        return Either::Left(view! { <p class="empty-state">{w.no_products_match}</p> });
    }
    Either::Right(view! {
        <table class="orders-table admin-products">
            <thead>
                <tr>
                    <th scope="col">{w.column_product}</th>
                    <th scope="col">{w.category}</th>
                    <th scope="col">{w.column_price}</th>
                    <th scope="col">{w.column_stock}</th>
                    <th scope="col">{w.column_images}</th>
                    <th scope="col">{w.column_status}</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|row| {
                        let edit_href = href(&format!("/admin/products/{}/edit", row.id));
                        let price = match row.discount_price {
                            Some(sale) => {
                                fill(w.price_was, &[("sale", &prices.show(sale)), ("price", &prices.show(row.price))])
                            }
                            None => prices.show(row.price),
                        };
                        let status = match (row.archived, row.featured) {
                            (true, _) => w.status_archived,
                            (false, true) => w.status_featured,
                            (false, false) => w.status_in_catalog,
                        };
                        // A language the product is not written in: shoppers reading it
                        // are shown the other language's, which the admin should know.
                        let missing = row
                            .name
                            .missing()
                            .into_iter()
                            .map(|l| match l {
                                jewelry::Locale::Vi => w.missing_vi,
                                jewelry::Locale::En => w.missing_en,
                            })
                            .map(|mark| view! { <span class="badge badge-missing">{mark}</span> })
                            .collect_view();
                        view! {
                            <tr class:archived=row.archived>
                                <td>
                                    <a href=edit_href>{row.name.get(locale).to_owned()}</a>
                                    {missing}
                                    <span class="product-brand">{format!("{} · {}", row.brand, row.id)}</span>
                                </td>
                                <td>{row.category_name.get(locale).to_owned()}</td>
                                <td>{price}</td>
                                <td>{count(row.stock)}</td>
                                <td>{count(row.image_count)}</td>
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
    let locale = locale();
    view! {
        <Title text=admin::words(locale).new_product_title/>
        <NewProductSection
            words=ProductWords::new(locale)
            nav=AdminNavWords::new(locale)
            shared=SharedWords::new(locale)
            errors=ErrorWords::new(locale)
            prefix=prefix()
        />
    }
}

/// The new product's form, an island of its own chunk of the wasm (as are the
/// edit page's): shoppers never download the admin area's code. It is sent the
/// words it shows, and `prefix`, what the page's addresses start with.
#[island(lazy)]
fn NewProductSection(
    words: ProductWords,
    nav: AdminNavWords,
    shared: SharedWords,
    errors: ErrorWords,
    prefix: String,
) -> impl IntoView {
    let categories = Resource::new(|| (), |_| admin_categories());
    let save = ServerAction::<AdminSaveProduct>::new();
    let heading = words.new_product_heading.clone();
    let (words, shared, errors, prefix) =
        (StoredValue::new(words), StoredValue::new(shared), StoredValue::new(errors), StoredValue::new(prefix));
    Effect::new(move |_| {
        if let Some(Ok(SaveOutcome::Saved { id, .. })) = save.value().get() {
            let to = prefix.with_value(|p| format!("{p}/admin/products/{}/edit?created=1", encode_component(&id)));
            crate::components::browser::go_to(&to);
        }
    });
    view! {
        <section class="admin-page" aria-labelledby="new-product-heading">
            <AdminNavLinks words=nav prefix=prefix.get_value()/>
            <h1 id="new-product-heading">{heading}</h1>
            <Suspense fallback=move || view! { <p class="loading">{shared.with_value(|s| s.loading.clone())}</p> }>
                {move || Suspend::new(async move {
                    match categories.await {
                        Ok(categories) => Either::Left(view! {
                            <ProductForm
                                initial=ProductInput::default()
                                categories
                                save
                                creating=true
                                words=words.get_value()
                                error_words=errors.get_value()
                            />
                        }),
                        Err(error) => Either::Right(view! {
                            <IslandRefusal
                                error
                                return_to="/admin/products/new".to_owned()
                                shared=shared.get_value()
                                errors=errors.get_value()
                                prefix=prefix.get_value()
                            />
                        }),
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
    let locale = locale();
    view! {
        <Title text=admin::words(locale).edit_product_title/>
        <EditProductSection
            id
            created
            words=ProductWords::new(locale)
            image_words=ImagesWords::new(locale)
            variant_words=VariantWords::new(locale)
            nav=AdminNavWords::new(locale)
            shared=SharedWords::new(locale)
            errors=ErrorWords::new(locale)
            prefix=prefix()
        />
    }
}

/// The product's form, archiving and images, an island of its own chunk.
/// `created`: the page is the one a new product's creation led to. It is sent the
/// words it shows, and `prefix`, what the page's addresses start with.
#[island(lazy)]
fn EditProductSection(
    id: String,
    created: bool,
    words: ProductWords,
    image_words: ImagesWords,
    variant_words: VariantWords,
    nav: AdminNavWords,
    shared: SharedWords,
    errors: ErrorWords,
    prefix: String,
) -> impl IntoView {
    let variants = view! { <ProductVariants product_id=id.clone() words=variant_words errors=errors.clone()/> };
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
    let product_created = words.product_created.clone();
    let (words, image_words, shared, errors, prefix) = (
        StoredValue::new(words),
        StoredValue::new(image_words),
        StoredValue::new(shared),
        StoredValue::new(errors),
        StoredValue::new(prefix),
    );
    view! {
        <section class="admin-page" aria-labelledby="edit-product-heading">
            <AdminNavLinks words=nav prefix=prefix.get_value()/>
            {move || {
                created()
                    .then(|| {
                        view! {
                            <p class="notice notice-success" role="status">
                                {product_created.clone()}
                            </p>
                        }
                    })
            }}
            <Transition fallback=move || view! { <p class="loading">{shared.with_value(|s| s.loading.clone())}</p> }>
                {move || Suspend::new(async move {
                    match (product.await, categories.await) {
                        (Ok(product), Ok(categories)) => EitherOf3::A(view! {
                            <EditProduct
                                product
                                categories
                                save
                                archive
                                words=words.get_value()
                                errors=errors.get_value()
                                prefix=prefix.get_value()
                            />
                        }),
                        (Err(ShopError::NotFound), _) => EitherOf3::B(view! {
                            <ProductNotFound shared=shared.get_value() prefix=prefix.get_value()/>
                        }),
                        (Err(error), _) | (_, Err(error)) => {
                            let return_to = format!("/admin/products/{}/edit", id.get_value());
                            EitherOf3::C(view! {
                                <IslandRefusal
                                    error
                                    return_to
                                    shared=shared.get_value()
                                    errors=errors.get_value()
                                    prefix=prefix.get_value()
                                />
                            })
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
                                variants=product.variant_choices
                                words=image_words.get_value()
                                errors=errors.get_value()
                            />
                        }
                    })
                })}
            </Transition>
            {variants}
        </section>
    }
}

#[component]
fn EditProduct(
    product: AdminProduct,
    categories: Vec<Category>,
    save: ServerAction<AdminSaveProduct>,
    archive: ServerAction<AdminArchiveProduct>,
    words: ProductWords,
    errors: ErrorWords,
    prefix: String,
) -> impl IntoView {
    let public_href = format!("{prefix}/products/{}", product.input.id);
    let archived = product.archived;
    let conflict = words.archive_conflict.clone();
    let form_errors = errors.clone();
    let archive_result = move || match archive.value().get() {
        Some(Ok(SaveOutcome::Conflict { .. })) => Some(conflict.clone()),
        Some(Err(error)) => Some(error.say(&errors)),
        _ => None,
    };
    let status_note = if archived { words.archived_note.clone() } else { words.in_catalog_note.clone() };
    let version_note = fill(&words.version_note, &[("version", &product.version)]);
    let archive_label = if archived { words.restore.clone() } else { words.archive.clone() };
    let view_in_shop = words.view_in_shop.clone();
    view! {
        <header class="admin-header">
            <h1 id="edit-product-heading">{product.input.name.clone()}</h1>
            {(!archived).then(|| view! { <a href=public_href.clone()>{view_in_shop.clone()}</a> })}
        </header>
        <p class="admin-status">
            {status_note}
            {version_note}
        </p>
        <ProductForm
            initial=product.input.clone()
            categories
            save
            creating=false
            has_options=product.has_options
            words
            error_words=form_errors
        />
        <ActionForm action=archive attr:class="archive-form">
            <input type="hidden" name="id" value=product.input.id.clone()/>
            <input type="hidden" name="version" value=product.version/>
            <input type="hidden" name="archived" value=(!archived).to_string()/>
            <button type="submit" class="button button-ghost">
                {archive_label}
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
    /// The product sells by options: its stock is its variants', not this form's.
    #[prop(optional)]
    has_options: bool,
    words: ProductWords,
    error_words: ErrorWords,
) -> impl IntoView {
    let price_label = fill(&words.price_label, &[("currency", &expect_context::<PriceFormat>().currency)]);
    let errors = Memo::new(move |_| match save.value().get() {
        Some(Ok(SaveOutcome::Invalid(errors))) => errors,
        _ => FieldErrors::new(),
    });
    let said = StoredValue::new((words.clone(), error_words));
    let status = move || match save.value().get() {
        Some(Ok(SaveOutcome::Saved { version, .. })) if !creating => Some(Either::Left(view! {
            <p class="notice notice-success" role="status">
                {said.with_value(|(w, _)| fill(&w.saved_version, &[("version", &version)]))}
            </p>
        })),
        Some(Ok(SaveOutcome::Invalid(errors))) => Some(Either::Right(view! {
            <p class="notice notice-error" role="alert">
                {said.with_value(|(w, _)| match errors.len() {
                    1 => w.correct_one.clone(),
                    n => fill(&w.correct_many, &[("n", &n)]),
                })}
            </p>
        })),
        Some(Ok(SaveOutcome::Conflict { current_version })) => Some(Either::Right(view! {
            <p class="notice notice-error" role="alert">
                {said.with_value(|(w, _)| fill(&w.save_conflict, &[("version", &current_version)]))}
            </p>
        })),
        Some(Err(error)) => Some(Either::Right(view! {
            <p class="notice notice-error" role="alert">{said.with_value(|(_, e)| error.say(e))}</p>
        })),
        _ => None,
    };
    let field = move |name: &'static str| errors.read().get(name).cloned();
    let selected = initial.category_id.clone();
    let submit = if creating { words.create_product.clone() } else { words.save_changes.clone() };
    view! {
        {status}
        <ActionForm action=save attr:class="product-form" attr:novalidate="true">
            <input type="hidden" name="input[version]" value=initial.version.clone()/>
            <input type="hidden" name="input[stock_was]" value=initial.stock_was.clone()/>
            {if creating {
                Either::Left(view! {
                    <FormField
                        optional=true
                        errors
                        name="id"
                        label=words.label_id.clone()
                        value=initial.id.clone()
                    />
                })
            } else {
                Either::Right(view! { <input type="hidden" name="input[id]" value=initial.id.clone()/> })
            }}
            <FormField
                optional=true
                errors
                name="name_vi"
                label=words.label_name_vi.clone()
                value=initial.name_vi.clone()
            />
            <FormField optional=true errors name="name" label=words.label_name.clone() value=initial.name.clone()/>
            <FormField optional=true errors name="brand" label=words.label_brand.clone() value=initial.brand.clone()/>
            <div class="field" class:has-error=move || field("category_id").is_some()>
                <label for="category_id">{words.category.clone()}</label>
                <select id="category_id" name="input[category_id]">
                    <option value="">{words.choose_category.clone()}</option>
                    {categories
                        .into_iter()
                        .map(|c| {
                            let is_selected = c.id == selected;
                            let name = c.name.get(crate::i18n::locale()).to_owned();
                            view! { <option value=c.id selected=is_selected>{name}</option> }
                        })
                        .collect_view()}
                </select>
                <p class="field-error">{move || field("category_id")}</p>
            </div>
            <TextAreaField
                errors
                name="description_vi"
                label=words.label_description_vi.clone()
                value=initial.description_vi.clone()
            />
            <TextAreaField
                errors
                name="description"
                label=words.label_description.clone()
                value=initial.description.clone()
            />
            <div class="field-row">
                <FormField optional=true errors name="price" label=price_label value=initial.price.clone()/>
                <FormField
                    optional=true
                    errors
                    name="discount_price"
                    label=words.label_discount_price.clone()
                    value=initial.discount_price.clone()
                />
            </div>
            {if has_options {
                Either::Left(view! {
                    <input type="hidden" name="input[stock]" value=initial.stock_was.clone()/>
                    <p class="hint">{fill(&words.stock_per_variant, &[("n", &initial.stock)])}</p>
                })
            } else {
                Either::Right(view! {
                    <FormField optional=true errors name="stock" label=words.label_stock.clone() value=initial.stock.clone()/>
                })
            }}
            <div class="field" class:has-error=move || field("metal").is_some()>
                <label for="metal">{words.label_metal.clone()}</label>
                <select id="metal" name="input[metal]">
                    <option value="">{words.metal_none.clone()}</option>
                    {jewelry::variant::Metal::ALL
                        .into_iter()
                        .map(|m| {
                            let selected = initial.metal == m.code();
                            view! {
                                <option value=m.code() selected=selected>
                                    {m.label(crate::i18n::locale())}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <p class="field-error">{move || field("metal")}</p>
            </div>
            <label class="radio">
                <input type="checkbox" name="input[featured]" checked=initial.featured.is_some()/>
                {words.featured_label.clone()}
            </label>
            <button type="submit" class="button button-primary" disabled=move || save.pending().get()>
                {submit}
            </button>
        </ActionForm>
    }
}
