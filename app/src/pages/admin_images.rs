//! A product's images in the admin area: upload (straight to storage, with
//! progress, while the page stays usable), reorder, remove.

use crate::api::{admin_move_image, admin_remove_image, admin_set_image_alt};
use jewelry::admin::AdminImage;
use leptos::prelude::*;

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

#[component]
pub fn ProductImages(product_id: String, product_name: String, images: Vec<AdminImage>) -> impl IntoView {
    let images = RwSignal::new(images);
    let uploads = RwSignal::new(Vec::<Upload>::new());
    let error = RwSignal::new(None::<String>);
    let alt = RwSignal::new(product_name);
    let busy = RwSignal::new(false);

    let change = {
        let product_id = product_id.clone();
        Callback::new(move |(image_id, action): (i64, Change)| {
            let product_id = product_id.clone();
            busy.set(true);
            leptos::task::spawn_local(async move {
                let result = match action {
                    Change::Up => admin_move_image(product_id, image_id, true).await,
                    Change::Down => admin_move_image(product_id, image_id, false).await,
                    Change::Alt(alt) => admin_set_image_alt(product_id, image_id, alt).await,
                    Change::Remove => admin_remove_image(product_id, image_id).await,
                };
                match result {
                    Ok(list) => {
                        images.try_set(list);
                        error.try_set(None);
                    }
                    Err(e) => {
                        error.try_set(Some(e.to_string()));
                    }
                }
                busy.try_set(false);
            });
        })
    };

    let on_files = {
        let product_id = product_id.clone();
        move |ev: leptos::ev::Event| {
            #[cfg(feature = "hydrate")]
            browser::upload_chosen_files(&ev, &product_id, alt.get_untracked(), uploads, images);
            #[cfg(not(feature = "hydrate"))]
            let _ = (&ev, &product_id);
        }
    };

    view! {
        <section class="admin-images" aria-labelledby="images-heading">
            <h2 id="images-heading">"Images"</h2>
            <p class="field-hint">"The first image is the product's main picture. JPEG, PNG, WebP or AVIF, up to 5 MB each."</p>
            {move || error.get().map(|e| view! { <p class="notice notice-error" role="alert">{e}</p> })}
            {move || {
                let list = images.get();
                if list.is_empty() {
                    return leptos::either::Either::Left(view! { <p class="empty-state">"No images yet."</p> });
                }
                let last = list.len() - 1;
                leptos::either::Either::Right(view! {
                    <ol class="image-list">
                        {list
                            .into_iter()
                            .enumerate()
                            .map(|(n, image)| view! { <ImageRow n last image busy change/> })
                            .collect_view()}
                    </ol>
                })
            }}
            <div class="uploader">
                <div class="field">
                    <label for="image-alt">"Describe new images (alt text)"</label>
                    <input id="image-alt" type="text" maxlength="250" prop:value=move || alt.get()
                        on:input=move |ev| alt.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="image-files">"Add images"</label>
                    <input id="image-files" type="file" accept=ACCEPT multiple=true on:change=on_files/>
                </div>
                <noscript><p class="field-hint">"Uploading images needs JavaScript."</p></noscript>
                <ul class="upload-list" aria-live="polite">
                    {move || uploads.get().into_iter().map(|u| view! { <UploadRow upload=u/> }).collect_view()}
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
) -> impl IntoView {
    let id = image.id;
    let saved_alt = image.image.alt.clone();
    let alt = RwSignal::new(saved_alt.clone());
    let field = format!("image-alt-{id}");
    view! {
        <li class="image-item">
            <img src=image.image.url alt=image.image.alt width="96" height="96" loading="lazy"/>
            <form class="image-alt" on:submit=move |ev| {
                ev.prevent_default();
                change.run((id, Change::Alt(alt.get_untracked())));
            }>
                <label for=field.clone()>{format!("Alt text of image {}", n + 1)}</label>
                <input id=field type="text" maxlength="250" prop:value=move || alt.get()
                    on:input=move |ev| alt.set(event_target_value(&ev))/>
                <button type="submit" class="button button-ghost"
                    disabled=move || busy.get() || alt.with(|a| a.trim() == saved_alt.trim())>
                    "Save alt text"
                </button>
            </form>
            <span class="image-actions">
                <button type="button" class="button button-ghost" disabled=move || n == 0 || busy.get()
                    on:click=move |_| change.run((id, Change::Up))>
                    "Move earlier"
                </button>
                <button type="button" class="button button-ghost" disabled=move || n == last || busy.get()
                    on:click=move |_| change.run((id, Change::Down))>
                    "Move later"
                </button>
                <button type="button" class="button button-ghost" disabled=move || busy.get()
                    on:click=move |_| change.run((id, Change::Remove))>
                    "Remove"
                </button>
            </span>
        </li>
    }
}

#[component]
fn UploadRow(upload: Upload) -> impl IntoView {
    let (status, progress, failed) = match &upload.stage {
        Stage::Signing => ("Preparing…".to_owned(), Some(0.0), false),
        Stage::Sending(fraction) => (format!("Uploading… {}%", (fraction * 100.0).round()), Some(*fraction), false),
        Stage::Checking => ("Checking…".to_owned(), Some(1.0), false),
        Stage::Done => ("Added".to_owned(), None, false),
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
    use super::{Stage, Upload};
    use crate::api::{attach, presign};
    use jewelry::admin::AdminImage;
    use jewelry::media::{PresignedUpload, check_upload};
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{File, HtmlInputElement, ProgressEvent, XmlHttpRequest};

    /// Starts one upload per chosen file; each goes on by itself.
    pub fn upload_chosen_files(
        ev: &leptos::ev::Event,
        product_id: &str,
        alt: String,
        uploads: RwSignal<Vec<Upload>>,
        images: RwSignal<Vec<AdminImage>>,
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
            let (product_id, alt) = (product_id.to_owned(), alt.clone());
            leptos::task::spawn_local(async move {
                match upload(&product_id, &alt, &file, set_stage).await {
                    Ok(image) => {
                        images.try_update(|list| list.push(image));
                        set_stage(Stage::Done);
                    }
                    Err(why) => set_stage(Stage::Failed(why)),
                }
            });
        }
    }

    async fn upload(
        product_id: &str,
        alt: &str,
        file: &File,
        set_stage: impl Fn(Stage) + Copy + 'static,
    ) -> Result<AdminImage, String> {
        // The shop checks these too; checking first spares a refused round trip.
        let size = file.size() as u64;
        check_upload(&file.type_(), size).map_err(|r| r.message().to_owned())?;
        jewelry::media::check_alt(alt).map_err(|r| r.message().to_owned())?;
        let presigned = presign(product_id.to_owned(), file.type_(), size).await.map_err(|e| e.to_string())?;
        set_stage(Stage::Sending(0.0));
        put(&presigned, file, move |fraction| set_stage(Stage::Sending(fraction))).await?;
        set_stage(Stage::Checking);
        attach(product_id.to_owned(), presigned.key, alt.to_owned()).await.map_err(|e| e.to_string())
    }

    /// PUTs the file to the signed URL with its signed headers, reporting progress.
    async fn put(upload: &PresignedUpload, file: &File, on_progress: impl Fn(f64) + 'static) -> Result<(), String> {
        const FAILED: &str = "The upload did not reach storage. Check the connection and try again.";
        let xhr = XmlHttpRequest::new().map_err(|_| FAILED.to_owned())?;
        xhr.open_with_async(&upload.method, &upload.url, true).map_err(|_| FAILED.to_owned())?;
        for (name, value) in &upload.headers {
            // Browsers set Content-Length from the file themselves.
            if !name.eq_ignore_ascii_case("content-length") {
                xhr.set_request_header(name, value).map_err(|_| FAILED.to_owned())?;
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
        xhr.send_with_opt_blob(Some(file)).map_err(|_| FAILED.to_owned())?;
        let outcome = JsFuture::from(finished).await;
        drop(progress);
        outcome.map_err(|_| FAILED.to_owned())?;
        let status = xhr.status().unwrap_or(0);
        if (200..300).contains(&status) {
            return Ok(());
        }
        // The local store answers `{code, message}`; S3 answers XML.
        let body = xhr.response_text().ok().flatten().unwrap_or_default();
        let message = serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v["message"].as_str().map(str::to_owned))
            .unwrap_or_else(|| format!("Storage refused the upload (status {status})."));
        Err(message)
    }
}
