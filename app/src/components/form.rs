//! Labelled form fields that show the server's message for them.

use jewelry::checkout::FieldErrors;
use leptos::prelude::*;

/// What every field shares: the label, the control (`children`), and the error
/// the server reported for `input[{name}]`, which the control names in its
/// `aria-describedby`.
#[component]
fn Field(error: Signal<Option<String>>, name: &'static str, label: String, children: Children) -> impl IntoView {
    view! {
        <div class="field" class:has-error=move || error.read().is_some()>
            <label for=name>{label}</label>
            {children()}
            <p class="field-error" id=format!("{name}-error")>
                {move || error.get()}
            </p>
        </div>
    }
}

/// The server's message for `name`, as a signal the field and its control share.
fn error_of(errors: Memo<FieldErrors>, name: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || errors.read().get(name).cloned())
}

/// An `<input>` named `input[{name}]` (the server function's argument), its label,
/// and the error the server reported for it, tied together for screen readers.
#[component]
pub fn FormField(
    errors: Memo<FieldErrors>,
    name: &'static str,
    #[prop(into)] label: String,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    /// Not required (no `required` attribute).
    #[prop(optional)]
    optional: bool,
    #[prop(optional, into)] value: Option<String>,
) -> impl IntoView {
    let error = error_of(errors, name);
    view! {
        <Field error name label>
            <input
                id=name
                name=format!("input[{name}]")
                type=kind
                autocomplete=autocomplete
                required=!optional
                value=value
                aria-invalid=move || error.read().is_some().then_some("true")
                aria-describedby=move || error.read().as_ref().map(|_| format!("{name}-error"))
            />
        </Field>
    }
}

/// A `<textarea>` named `input[{name}]` holding `value`, with its label and the
/// server's message for it. The value goes through [`crate::html::raw_text`]:
/// Leptos writes a textarea's children into the page unescaped.
#[component]
pub fn TextAreaField(
    errors: Memo<FieldErrors>,
    name: &'static str,
    #[prop(into)] label: String,
    #[prop(default = 5)] rows: u32,
    value: String,
) -> impl IntoView {
    let error = error_of(errors, name);
    view! {
        <Field error name label>
            <textarea
                id=name
                name=format!("input[{name}]")
                rows=rows
                aria-invalid=move || error.read().is_some().then_some("true")
                aria-describedby=move || error.read().as_ref().map(|_| format!("{name}-error"))
            >
                {crate::html::raw_text(value)}
            </textarea>
        </Field>
    }
}
