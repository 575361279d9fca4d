//! A labelled form field that shows the server's message for it.

use jewelry::checkout::FieldErrors;
use leptos::prelude::*;

/// An `<input>` named `input[{name}]` (the server function's argument), its label,
/// and the error the server reported for it, tied together for screen readers.
#[component]
pub fn FormField(
    errors: Memo<FieldErrors>,
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    /// Not required (no `required` attribute).
    #[prop(optional)]
    optional: bool,
    #[prop(optional, into)] value: Option<String>,
) -> impl IntoView {
    let error = move || errors.read().get(name).cloned();
    view! {
        <div class="field" class:has-error=move || error().is_some()>
            <label for=name>{label}</label>
            <input
                id=name
                name=format!("input[{name}]")
                type=kind
                autocomplete=autocomplete
                required=!optional
                value=value
                aria-invalid=move || error().is_some().then_some("true")
                aria-describedby=move || error().map(|_| format!("{name}-error"))
            />
            <p class="field-error" id=format!("{name}-error")>
                {error}
            </p>
        </div>
    }
}

/// A `<textarea>` named `input[{name}]` holding `value`, with its label and the
/// server's message for it. The value goes through [`crate::html::raw_text`]:
/// Leptos writes a textarea's children into the page unescaped.
#[component]
pub fn TextAreaField(
    errors: Memo<FieldErrors>,
    name: &'static str,
    label: &'static str,
    #[prop(default = 5)] rows: u32,
    value: String,
) -> impl IntoView {
    let error = move || errors.read().get(name).cloned();
    view! {
        <div class="field" class:has-error=move || error().is_some()>
            <label for=name>{label}</label>
            <textarea
                id=name
                name=format!("input[{name}]")
                rows=rows
                aria-invalid=move || error().is_some().then_some("true")
                aria-describedby=move || error().map(|_| format!("{name}-error"))
            >
                {crate::html::raw_text(value)}
            </textarea>
            <p class="field-error" id=format!("{name}-error")>
                {error}
            </p>
        </div>
    }
}
