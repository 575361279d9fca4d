//! A product's images in the admin area: upload (straight to storage, with
//! progress, while the page stays usable), reorder, remove.

use crate::api::{admin_move_image, admin_remove_image, admin_set_image_alt, admin_set_image_variant};
use crate::error::ErrorWords;
use jewelry::admin::{AdminImage, VariantChoice};
use jewelry::text::fill;
use leptos::prelude::*;

crate::island_words!(
    /// What a product's images section says, and why an upload was refused (the
    /// browser checks a file before the shop checks it again).
    pub struct ImagesWords from jewelry::text::admin {
        images_heading, images_hint, no_images, new_images_alt, add_images, needs_javascript, image_alt_label,
        save_alt, move_earlier, move_later, remove, upload_preparing, upload_sending, upload_checking, upload_done,
        upload_failed, upload_storage_refused, upload_unsupported_type, upload_empty, upload_too_large,
        upload_unknown, upload_not_uploaded, upload_not_as_signed, upload_not_an_image, upload_bad_alt,
        upload_too_many_images, image_variant_label, image_for_all,
    }
);

/// Where one file is in its upload. (Uploads happen in the browser only.)
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Stage {
    /// Asking the shop for an upload URL.
    Signing,
    /// Sending the file to storage: the fraction sent.
    Sending(f64),
    /// The shop is checking the stored file.
    Checking,
    Done,
    Failed(String),
}

impl Stage {
    /// For styling and tests: `signing`, `sending`, `checking`, `done`, `failed`.
    fn name(&self) -> &'static str {
        match self {
            Stage::Signing => "signing",
            Stage::Sending(_) => "sending",
            Stage::Checking => "checking",
            Stage::Done => "done",
            Stage::Failed(_) => "failed",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
struct Upload {
    id: u32,
    name: String,
    stage: Stage,
}

const ACCEPT: &str = "image/jpeg,image/png,image/webp,image/avif";

/// The images of a product, in its edit island: `words` and `errors` are the
/// words it shows.
#[component]
pub fn ProductImages(
    product_id: String,
    product_name: String,
    images: Vec<AdminImage>,
    /// The product's variants, when it has options: an image may be given to one.
    #[prop(optional)]
    variants: Vec<VariantChoice>,
    words: ImagesWords,
    errors: ErrorWords,
) -> impl IntoView {
    let images = RwSignal::new(images);
    let variants = StoredValue::new(variants);
    let uploads = RwSignal::new(Vec::<Upload>::new());
    let error = RwSignal::new(None::<String>);
    let alt = RwSignal::new(product_name);
    let busy = RwSignal::new(false);
    let stored = StoredValue::new(words.clone());

    let change = {
        let product_id = product_id.clone();
        let errors = errors.clone();
        Callback::new(move |(image_id, action): (i64, Change)| {
            let (product_id, errors) = (product_id.clone(), errors.clone());
            busy.set(true);
            leptos::task::spawn_local(async move {
                let result = match action {
                    Change::Up => admin_move_image(product_id, image_id, true).await,
                    Change::Down => admin_move_image(product_id, image_id, false).await,
                    Change::Alt(alt) => admin_set_image_alt(product_id, image_id, alt).await,
                    Change::Variant(variant) => admin_set_image_variant(product_id, image_id, variant).await,
                    Change::Remove => admin_remove_image(product_id, image_id).await,
                };
                match result {
                    Ok(list) => {
                        images.try_set(list);
                        error.try_set(None);
                    }
                    Err(e) => {
                        error.try_set(Some(e.say(&errors)));
                    }
                }
                busy.try_set(false);
            });
        })
    };

    let on_files = {
        let product_id = product_id.clone();
        let said = (words.clone(), errors);
        move |ev: leptos::ev::Event| {
            #[cfg(feature = "hydrate")]
            browser::upload_chosen_files(&ev, &product_id, alt.get_untracked(), uploads, images, &said.0, &said.1);
            #[cfg(not(feature = "hydrate"))]
            let _ = (&ev, &product_id, &said);
        }
    };

    view! {
        <section class="admin-images" aria-labelledby="images-heading">
            <h2 id="images-heading">{words.images_heading}</h2>
            <p class="field-hint">{words.images_hint}</p>
            {move || error.get().map(|e| view! { <p class="notice notice-error" role="alert">{e}</p> })}
            {move || {
                let list = images.get();
                if list.is_empty() {
                    let none = stored.with_value(|w| w.no_images.clone());
                    return leptos::either::Either::Left(view! { <p class="empty-state">{none}</p> });
                }
                let last = list.len() - 1;
                leptos::either::Either::Right(view! {
                    <ol class="image-list">
                        {list
                            .into_iter()
                            .enumerate()
                            .map(|(n, image)| {
                                view! {
                                    <ImageRow
                                        n
                                        last
                                        image
                                        busy
                                        change
                                        variants=variants.get_value()
                                        words=stored.get_value()
                                    />
                                }
                            })
                            .collect_view()}
                    </ol>
                })
            }}
            <div class="uploader">
                <div class="field">
                    <label for="image-alt">{words.new_images_alt}</label>
                    <input id="image-alt" type="text" maxlength="250" prop:value=move || alt.get()
                        on:input=move |ev| alt.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="image-files">{words.add_images}</label>
                    <input id="image-files" type="file" accept=ACCEPT multiple=true on:change=on_files/>
                </div>
                <noscript><p class="field-hint">{words.needs_javascript}</p></noscript>
                <ul class="upload-list" aria-live="polite">
                    {move || {
                        uploads
                            .get()
                            .into_iter()
                            .map(|u| view! { <UploadRow upload=u words=stored.get_value()/> })
                            .collect_view()
                    }}
                </ul>
            </div>
        </section>
    }
}

#[derive(Clone)]
enum Change {
    Up,
    Down,
    Alt(String),
    /// Given to a variant (its id), or back to the product's (empty).
    Variant(String),
    Remove,
}

/// One image: its picture, its alt text (editable), and its place.
#[component]
fn ImageRow(
    n: usize,
    last: usize,
    image: AdminImage,
    busy: RwSignal<bool>,
    change: Callback<(i64, Change)>,
    variants: Vec<VariantChoice>,
    words: ImagesWords,
) -> impl IntoView {
    let id = image.id;
    let locale_now = crate::i18n::locale();
    let variant_field = format!("image-variant-{id}");
    let current = image.variant_id.clone().unwrap_or_default();
    let variant_select = (!variants.is_empty()).then(|| {
        let options = variants
            .iter()
            .map(|v| {
                view! {
                    <option value=v.id.clone() selected=v.id == current>
                        {v.label.get(locale_now).to_owned()}
                    </option>
                }
            })
            .collect_view();
        view! {
            <div class="image-variant">
                <label for=variant_field.clone()>{fill(&words.image_variant_label, &[("n", &(n + 1))])}</label>
                <select
                    id=variant_field
                    disabled=move || busy.get()
                    on:change=move |ev| change.run((id, Change::Variant(event_target_value(&ev))))
                >
                    <option value="" selected=current.is_empty()>{words.image_for_all.clone()}</option>
                    {options}
                </select>
            </div>
        }
    });
    // The alt text in the page's language, which the admin edits here (empty when
    // it is missing: readers of this language get the other's meanwhile).
    let locale = crate::i18n::locale();
    let saved_alt = image.image.alt.own(locale).to_owned();
    let shown_alt = image.image.alt.get(locale).to_owned();
    let alt = RwSignal::new(saved_alt.clone());
    let field = format!("image-alt-{id}");
    view! {
        <li class="image-item">
            <img src=image.image.url alt=shown_alt width="96" height="96" loading="lazy"/>
            <form class="image-alt" on:submit=move |ev| {
                ev.prevent_default();
                change.run((id, Change::Alt(alt.get_untracked())));
            }>
                <label for=field.clone()>{fill(&words.image_alt_label, &[("n", &(n + 1))])}</label>
                <input id=field type="text" maxlength="250" prop:value=move || alt.get()
                    on:input=move |ev| alt.set(event_target_value(&ev))/>
                <button type="submit" class="button button-ghost"
                    disabled=move || busy.get() || alt.with(|a| a.trim() == saved_alt.trim())>
                    {words.save_alt}
                </button>
            </form>
            {variant_select}
            <span class="image-actions">
                <button type="button" class="button button-ghost" disabled=move || n == 0 || busy.get()
                    on:click=move |_| change.run((id, Change::Up))>
                    {words.move_earlier}
                </button>
                <button type="button" class="button button-ghost" disabled=move || n == last || busy.get()
                    on:click=move |_| change.run((id, Change::Down))>
                    {words.move_later}
                </button>
                <button type="button" class="button button-ghost" disabled=move || busy.get()
                    on:click=move |_| change.run((id, Change::Remove))>
                    {words.remove}
                </button>
            </span>
        </li>
    }
}

#[component]
fn UploadRow(upload: Upload, words: ImagesWords) -> impl IntoView {
    let (status, progress, failed) = match &upload.stage {
        Stage::Signing => (words.upload_preparing, Some(0.0), false),
        Stage::Sending(fraction) => {
            (fill(&words.upload_sending, &[("percent", &(fraction * 100.0).round())]), Some(*fraction), false)
        }
        Stage::Checking => (words.upload_checking, Some(1.0), false),
        Stage::Done => (words.upload_done, None, false),
        Stage::Failed(why) => (why.clone(), None, true),
    };
    view! {
        <li class="upload-item" class:upload-failed=failed data-stage=upload.stage.name()>
            <span class="upload-name">{upload.name}</span>
            {progress.map(|p| view! { <progress max="1" value=p>{format!("{}%", (p * 100.0).round())}</progress> })}
            <span class="upload-status">{status}</span>
        </li>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::{ImagesWords, Stage, Upload};
    use crate::api::{attach, presign};
    use crate::error::ErrorWords;
    use jewelry::admin::AdminImage;
    use jewelry::media::{PresignedUpload, UploadRefusal, check_alt, check_upload};
    use jewelry::text::fill;
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{File, HtmlInputElement, ProgressEvent, XmlHttpRequest};

    /// Starts one upload per chosen file; each goes on by itself, saying how it
    /// went in `words` and `errors`.
    pub fn upload_chosen_files(
        ev: &leptos::ev::Event,
        product_id: &str,
        alt: String,
        uploads: RwSignal<Vec<Upload>>,
        images: RwSignal<Vec<AdminImage>>,
        words: &ImagesWords,
        errors: &ErrorWords,
    ) {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return };
        let Some(files) = input.files() else { return };
        let files: Vec<File> = (0..files.length()).filter_map(|i| files.get(i)).collect();
        // Choosing the same file again fires `change` again.
        input.set_value("");
        for file in files {
            let id = uploads.with_untracked(|u| u.iter().map(|u| u.id).max().unwrap_or(0) + 1);
            uploads.update(|u| u.push(Upload { id, name: file.name(), stage: Stage::Signing }));
            let set_stage = move |stage: Stage| {
                uploads.try_update(|list| {
                    if let Some(u) = list.iter_mut().find(|u| u.id == id) {
                        u.stage = stage;
                    }
                });
            };
            let (product_id, alt, words, errors) = (product_id.to_owned(), alt.clone(), words.clone(), errors.clone());
            leptos::task::spawn_local(async move {
                match upload(&product_id, &alt, &file, set_stage, &words, &errors).await {
                    Ok(image) => {
                        images.try_update(|list| list.push(image));
                        set_stage(Stage::Done);
                    }
                    Err(why) => set_stage(Stage::Failed(why)),
                }
            });
        }
    }

    /// Why an upload was refused, in the words given (what
    /// [`UploadRefusal::message`] says on the server).
    fn refusal_says(refusal: UploadRefusal, words: &ImagesWords) -> String {
        let said = match refusal {
            UploadRefusal::UnsupportedType => &words.upload_unsupported_type,
            UploadRefusal::Empty => &words.upload_empty,
            UploadRefusal::TooLarge => &words.upload_too_large,
            UploadRefusal::UnknownUpload => &words.upload_unknown,
            UploadRefusal::NotUploaded => &words.upload_not_uploaded,
            UploadRefusal::NotAsSigned => &words.upload_not_as_signed,
            UploadRefusal::NotAnImage => &words.upload_not_an_image,
            UploadRefusal::BadAlt => &words.upload_bad_alt,
            UploadRefusal::TooManyImages => &words.upload_too_many_images,
        };
        said.clone()
    }

    async fn upload(
        product_id: &str,
        alt: &str,
        file: &File,
        set_stage: impl Fn(Stage) + Copy + 'static,
        words: &ImagesWords,
        errors: &ErrorWords,
    ) -> Result<AdminImage, String> {
        // The shop checks these too; checking first spares a refused round trip.
        let size = file.size() as u64;
        check_upload(&file.type_(), size).map_err(|r| refusal_says(r, words))?;
        check_alt(alt).map_err(|r| refusal_says(r, words))?;
        let presigned = presign(product_id.to_owned(), file.type_(), size).await.map_err(|e| e.say(errors))?;
        set_stage(Stage::Sending(0.0));
        put(&presigned, file, words, move |fraction| set_stage(Stage::Sending(fraction))).await?;
        set_stage(Stage::Checking);
        attach(product_id.to_owned(), presigned.key, alt.to_owned()).await.map_err(|e| e.say(errors))
    }

    /// PUTs the file to the signed URL with its signed headers, reporting progress.
    async fn put(
        upload: &PresignedUpload,
        file: &File,
        words: &ImagesWords,
        on_progress: impl Fn(f64) + 'static,
    ) -> Result<(), String> {
        let failed = |_: wasm_bindgen::JsValue| words.upload_failed.clone();
        let xhr = XmlHttpRequest::new().map_err(failed)?;
        xhr.open_with_async(&upload.method, &upload.url, true).map_err(failed)?;
        for (name, value) in &upload.headers {
            // Browsers set Content-Length from the file themselves.
            if !name.eq_ignore_ascii_case("content-length") {
                xhr.set_request_header(name, value).map_err(failed)?;
            }
        }
        xhr.set_timeout(10 * 60 * 1000);
        let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                on_progress(e.loaded() / e.total());
            }
        });
        if let Ok(target) = xhr.upload() {
            target.set_onprogress(Some(progress.as_ref().unchecked_ref()));
        }
        let finished = js_sys::Promise::new(&mut |resolve, reject| {
            xhr.set_onload(Some(&resolve));
            xhr.set_onerror(Some(&reject));
            xhr.set_onabort(Some(&reject));
            xhr.set_ontimeout(Some(&reject));
        });
        xhr.send_with_opt_blob(Some(file)).map_err(failed)?;
        let outcome = JsFuture::from(finished).await;
        drop(progress);
        outcome.map_err(failed)?;
        let status = xhr.status().unwrap_or(0);
        if (200..300).contains(&status) {
            return Ok(());
        }
        // The local store answers `{code, message}` (its message in English); S3
        // answers XML. The admin is told the status, and the local store's code.
        let body = xhr.response_text().ok().flatten().unwrap_or_default();
        let code =
            serde_json::from_str::<serde_json::Value>(&body).ok().and_then(|v| v["code"].as_str().map(str::to_owned));
        let status = match code {
            Some(code) => format!("{status}, {code}"),
            None => status.to_string(),
        };
        Err(fill(&words.upload_storage_refused, &[("status", &status)]))
    }
}
