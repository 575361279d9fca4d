//! A product's options and variants in the admin area: the options (whose values
//! make the variants), each variant's SKU, own price, stock and archiving, and a
//! change to many at once. Each form is a plain form too (it posts without
//! JavaScript), and each takes the product's version, so two admins never
//! overwrite each other.

use crate::api::{AdminBulkVariants, AdminSaveOptions, AdminSaveVariants, BulkOutcome, admin_load_variants};
use crate::error::ErrorWords;
use jewelry::PriceFormat;
use jewelry::admin::SaveOutcome;
use jewelry::checkout::FieldErrors;
use jewelry::text::fill;
use jewelry::variant::{MAX_OPTIONS, OptionKind};
use jewelry::variant_admin::{AdminVariants, OptionsInput};
use leptos::either::Either;
use leptos::prelude::*;

crate::island_words!(
    /// What the variants section says.
    pub struct VariantWords from jewelry::text::admin {
        variants_heading, variants_intro, option_n, label_option_kind, kind_size, kind_metal, kind_length,
        kind_other, label_option_name, label_option_name_vi, label_values, label_values_vi, save_options,
        options_saved, column_variant, column_sku, column_own_price, column_own_discount, column_stock,
        column_archived, inherit_hint, save_variants, variants_saved, bulk_heading, bulk_which, bulk_all,
        bulk_price, bulk_discount, bulk_product_price, bulk_stock_add, bulk_apply, bulk_applied, correct_one,
        correct_many, save_conflict,
    }
);

/// The section, in the product's edit island: it loads the variants itself and
/// again after each save.
#[component]
pub fn ProductVariants(product_id: String, words: VariantWords, errors: ErrorWords) -> impl IntoView {
    let options = ServerAction::<AdminSaveOptions>::new();
    let variants = ServerAction::<AdminSaveVariants>::new();
    let bulk = ServerAction::<AdminBulkVariants>::new();
    let id = StoredValue::new(product_id);
    let loaded = Resource::new(
        move || (options.version().get(), variants.version().get(), bulk.version().get()),
        move |_| admin_load_variants(id.get_value()),
    );
    let words = StoredValue::new(words);
    let errors = StoredValue::new(errors);
    view! {
        <section class="admin-variants" aria-labelledby="variants-heading">
            <h2 id="variants-heading">{words.with_value(|w| w.variants_heading.clone())}</h2>
            <p class="hint">{words.with_value(|w| w.variants_intro.clone())}</p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(loaded) => Either::Left(view! {
                            <VariantForms
                                loaded
                                options
                                variants
                                bulk
                                words=words.get_value()
                                errors=errors.get_value()
                            />
                        }),
                        // The product's section above says why (a refusal, a
                        // product not found, the shop unavailable): said once.
                        Err(_) => Either::Right(()),
                    }
                })}
            </Transition>
        </section>
    }
}

/// What a save said: saved (with `saved`, its `{version}` filled), invalid, a
/// version conflict, or an error.
fn outcome_note(
    outcome: Option<Result<SaveOutcome, crate::api::ShopError>>,
    saved: &str,
    words: &VariantWords,
    errors: &ErrorWords,
) -> Option<impl IntoView + use<>> {
    let (class, role, text) = match outcome? {
        Ok(SaveOutcome::Saved { version, .. }) => {
            ("notice notice-success", "status", fill(saved, &[("version", &version)]))
        }
        Ok(SaveOutcome::Invalid(errors)) => (
            "notice notice-error",
            "alert",
            match errors.len() {
                1 => words.correct_one.clone(),
                n => fill(&words.correct_many, &[("n", &n)]),
            },
        ),
        Ok(SaveOutcome::Conflict { current_version }) => {
            ("notice notice-error", "alert", fill(&words.save_conflict, &[("version", &current_version)]))
        }
        Err(error) => ("notice notice-error", "alert", error.say(errors)),
    };
    Some(view! { <p class=class role=role>{text}</p> })
}

fn invalid(outcome: Option<Result<SaveOutcome, crate::api::ShopError>>) -> FieldErrors {
    match outcome {
        Some(Ok(SaveOutcome::Invalid(errors))) => errors,
        _ => FieldErrors::new(),
    }
}

#[component]
fn VariantForms(
    loaded: AdminVariants,
    options: ServerAction<AdminSaveOptions>,
    variants: ServerAction<AdminSaveVariants>,
    bulk: ServerAction<AdminBulkVariants>,
    words: VariantWords,
    errors: ErrorWords,
) -> impl IntoView {
    let prices = expect_context::<PriceFormat>();
    let locale = crate::i18n::locale();
    let input = OptionsInput::of(&loaded.product_id, loaded.version, &loaded.options);
    let option_errors = Memo::new(move |_| invalid(options.value().get()));
    let variant_errors = Memo::new(move |_| invalid(variants.value().get()));
    let bulk_errors = Memo::new(move |_| match bulk.value().get() {
        Some(Ok(BulkOutcome { outcome: SaveOutcome::Invalid(errors), .. })) => errors,
        _ => FieldErrors::new(),
    });
    let said = StoredValue::new((words.clone(), errors.clone()));
    let options_note = move || said.with_value(|(w, e)| outcome_note(options.value().get(), &w.options_saved, w, e));
    let variants_note = move || said.with_value(|(w, e)| outcome_note(variants.value().get(), &w.variants_saved, w, e));
    let bulk_note = move || {
        said.with_value(|(w, e)| {
            let value = bulk.value().get();
            let changed = match &value {
                Some(Ok(b)) => b.changed,
                _ => 0,
            };
            let saved = w.bulk_applied.replace("{n}", &changed.to_string());
            outcome_note(value.map(|r| r.map(|b| b.outcome)), &saved, w, e)
        })
    };
    let error_text = move |errors: Memo<FieldErrors>, key: String| move || errors.read().get(&key).cloned();

    let kinds = [
        (OptionKind::Size, words.kind_size.clone()),
        (OptionKind::Metal, words.kind_metal.clone()),
        (OptionKind::Length, words.kind_length.clone()),
        (OptionKind::Other, words.kind_other.clone()),
    ];
    let slots = (0..MAX_OPTIONS)
        .map(|i| {
            let slot = input.slot(i);
            let n = i + 1;
            let field = |name: &str| format!("input[{name}{n}]");
            let id = |name: &str| format!("option-{name}-{n}");
            let kind_options = kinds
                .iter()
                .map(|(kind, label)| {
                    let selected = slot.kind == kind.as_str() || (slot.kind.is_empty() && *kind == OptionKind::Other);
                    view! { <option value=kind.as_str() selected=selected>{label.clone()}</option> }
                })
                .collect_view();
            view! {
                <fieldset class="option-slot">
                    <legend>{fill(&words.option_n, &[("n", &n)])}</legend>
                    <div class="field-row">
                        <div class="field">
                            <label for=id("kind")>{words.label_option_kind.clone()}</label>
                            <select id=id("kind") name=field("kind")>{kind_options}</select>
                        </div>
                        <div class="field" class:has-error=move || option_errors.read().contains_key(&format!("name{n}"))>
                            <label for=id("name")>{words.label_option_name.clone()}</label>
                            <input id=id("name") name=field("name") value=slot.name.clone()/>
                            <p class="field-error">{error_text(option_errors, format!("name{n}"))}</p>
                        </div>
                        <div class="field">
                            <label for=id("name-vi")>{words.label_option_name_vi.clone()}</label>
                            <input id=id("name-vi") name=field("name_vi") value=slot.name_vi.clone()/>
                        </div>
                    </div>
                    <div class="field" class:has-error=move || option_errors.read().contains_key(&format!("values{n}"))>
                        <label for=id("values")>{words.label_values.clone()}</label>
                        <input id=id("values") name=field("values") value=slot.values.clone()/>
                        <p class="field-error">{error_text(option_errors, format!("values{n}"))}</p>
                    </div>
                    <div
                        class="field"
                        class:has-error=move || option_errors.read().contains_key(&format!("values_vi{n}"))
                    >
                        <label for=id("values-vi")>{words.label_values_vi.clone()}</label>
                        <input id=id("values-vi") name=field("values_vi") value=slot.values_vi.clone()/>
                        <p class="field-error">{error_text(option_errors, format!("values_vi{n}"))}</p>
                    </div>
                </fieldset>
            }
        })
        .collect_view();

    let rows = loaded
        .variants
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let name = |field: &str| format!("input[rows][{i}][{field}]");
            let cell_id = |field: &str| format!("variant-{field}-{i}");
            let label = match v.options.is_empty() {
                true => v.sku.clone(),
                false => jewelry::variant::options_text(&v.options, locale),
            };
            let input_cell = move |field: &'static str, value: String, label: String| {
                let key = format!("{field}.{i}");
                let error_key = key.clone();
                view! {
                    <td class:has-error=move || variant_errors.read().contains_key(&key)>
                        <label class="visually-hidden" for=cell_id(field)>{label}</label>
                        <input id=cell_id(field) name=name(field) value=value inputmode=(field != "sku").then_some("numeric")/>
                        <p class="field-error">{error_text(variant_errors, error_key)}</p>
                    </td>
                }
            };
            let row_label = |column: &str| format!("{column}: {label}");
            view! {
                <tr class:archived=v.archived data-sku=v.sku.clone()>
                    <th scope="row">
                        {label.clone()}
                        <input type="hidden" name=name("id") value=v.id.clone()/>
                        <input type="hidden" name=name("stock_was") value=v.stock.to_string()/>
                    </th>
                    {input_cell("sku", v.sku.clone(), row_label(&words.column_sku))}
                    {input_cell(
                        "price",
                        v.price.map(|p| p.to_input(prices.currency)).unwrap_or_default(),
                        row_label(&words.column_own_price),
                    )}
                    {input_cell(
                        "discount_price",
                        v.discount_price.map(|p| p.to_input(prices.currency)).unwrap_or_default(),
                        row_label(&words.column_own_discount),
                    )}
                    {input_cell("stock", v.stock.to_string(), row_label(&words.column_stock))}
                    <td>
                        <input
                            type="checkbox"
                            id=cell_id("archived")
                            name=name("archived")
                            checked=v.archived
                            aria-label=row_label(&words.column_archived)
                        />
                    </td>
                </tr>
            }
        })
        .collect_view();
    let product_price = match loaded.product_discount {
        Some(d) => format!("{} / {}", prices.show(d), prices.show(loaded.product_price)),
        None => prices.show(loaded.product_price),
    };
    let which = std::iter::once(("".to_owned(), words.bulk_all.clone()))
        .chain(loaded.options.iter().enumerate().flat_map(|(i, o)| {
            let name = o.name.get(locale).to_owned();
            o.values
                .iter()
                .map(move |v| (format!("{}:{}", i + 1, v.code), format!("{name}: {}", v.label.get(locale))))
                .collect::<Vec<_>>()
        }))
        .map(|(value, label)| view! { <option value=value>{label}</option> })
        .collect_view();
    let (id, version) = (loaded.product_id.clone(), loaded.version.to_string());
    let has_variants = !loaded.variants.is_empty();
    let variants_form = has_variants.then(|| {
        let (id, version) = (id.clone(), version.clone());
        view! {
            <ActionForm action=variants attr:class="variants-form" attr:novalidate="true">
                <input type="hidden" name="input[product_id]" value=id/>
                <input type="hidden" name="input[version]" value=version/>
                <table class="variants-table">
                    <thead>
                        <tr>
                            <th scope="col">{words.column_variant.clone()}</th>
                            <th scope="col">{words.column_sku.clone()}</th>
                            <th scope="col">{words.column_own_price.clone()}</th>
                            <th scope="col">{words.column_own_discount.clone()}</th>
                            <th scope="col">{words.column_stock.clone()}</th>
                            <th scope="col">{words.column_archived.clone()}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
                <p class="hint">{fill(&words.inherit_hint, &[("price", &product_price)])}</p>
                <button type="submit" class="button button-primary" disabled=move || variants.pending().get()>
                    {words.save_variants.clone()}
                </button>
            </ActionForm>
        }
    });
    let (bulk_id, bulk_version) = (id.clone(), version.clone());
    view! {
        {options_note}
        <ActionForm action=options attr:class="options-form" attr:novalidate="true">
            <input type="hidden" name="input[product_id]" value=id/>
            <input type="hidden" name="input[version]" value=version/>
            {slots}
            <button type="submit" class="button" disabled=move || options.pending().get()>
                {words.save_options.clone()}
            </button>
        </ActionForm>
        {variants_note}
        {variants_form}
        <h3>{words.bulk_heading.clone()}</h3>
        {bulk_note}
        <ActionForm action=bulk attr:class="bulk-form" attr:novalidate="true">
            <input type="hidden" name="input[product_id]" value=bulk_id/>
            <input type="hidden" name="input[version]" value=bulk_version/>
            <div class="field-row">
                <div class="field">
                    <label for="bulk-which">{words.bulk_which.clone()}</label>
                    <select id="bulk-which" name="input[which]">{which}</select>
                </div>
                <div class="field" class:has-error=move || bulk_errors.read().contains_key("price")>
                    <label for="bulk-price">{words.bulk_price.clone()}</label>
                    <input id="bulk-price" name="input[price]" inputmode="numeric"/>
                    <p class="field-error">{error_text(bulk_errors, "price".to_owned())}</p>
                </div>
                <div class="field" class:has-error=move || bulk_errors.read().contains_key("discount_price")>
                    <label for="bulk-discount">{words.bulk_discount.clone()}</label>
                    <input id="bulk-discount" name="input[discount_price]" inputmode="numeric"/>
                    <p class="field-error">{error_text(bulk_errors, "discount_price".to_owned())}</p>
                </div>
                <div class="field" class:has-error=move || bulk_errors.read().contains_key("stock_add")>
                    <label for="bulk-stock">{words.bulk_stock_add.clone()}</label>
                    <input id="bulk-stock" name="input[stock_add]" inputmode="numeric"/>
                    <p class="field-error">{error_text(bulk_errors, "stock_add".to_owned())}</p>
                </div>
            </div>
            <label class="radio">
                <input type="checkbox" name="input[product_price]"/>
                {words.bulk_product_price.clone()}
            </label>
            <button type="submit" class="button" disabled=move || bulk.pending().get()>
                {words.bulk_apply.clone()}
            </button>
        </ActionForm>
    }
}
