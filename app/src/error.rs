//! What can go wrong: [`ShopError`], what the shopper may be told (and the status it
//! is answered with), and on the server [`Failure`], what the services answer: a
//! `ShopError`, or an internal failure kept with its cause until the server
//! function returns, where it is logged once, with its whole chain, and becomes
//! [`ShopError::Unavailable`].

use jewelry::cart::CartRefusal;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// What can go wrong, as the shopper may be told. Internal failures are logged on
/// the server with their cause and reach the browser only as `Unavailable`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ShopError {
    #[error("We could not find that.")]
    NotFound,
    /// It was here and is no longer (an archived product; answered with 410).
    #[error("That piece is no longer in the shop.")]
    Gone,
    /// A change the cart refuses (answered with 409).
    #[error("{0}")]
    Refused(CartRefusal),
    /// Something inside failed (the database is down, say); its cause is logged,
    /// never answered. Answered with 503 and `Retry-After`.
    #[error("The shop is not available right now. Please try again in a moment.")]
    Unavailable,
    /// A change the thing's state refuses, with a stable code: an order moved in a
    /// way its status does not allow, or moved by someone else since it was loaded
    /// (answered with 409). Said by the server in the request's language.
    #[error("{message}")]
    Conflict { code: String, message: String },
    /// Input the shop cannot accept, with a stable code (answered with 422).
    #[error("{message}")]
    Rejected { code: String, message: String },
    /// Answered with 401.
    #[error("Please sign in to see this.")]
    SignInRequired,
    /// Answered with 403.
    #[error("This area is for the shop's administrators.")]
    Forbidden,
    /// The request's arguments could not be read: `malformed_arguments` or
    /// `missing_argument`, with what the decoder said (answered with 400).
    #[error("The shop could not read that request.")]
    BadRequest { code: String, detail: String },
    /// The request never reached the server function, or its answer was unreadable.
    #[error("The connection to the shop failed. Please try again.")]
    Transport(String),
}

crate::island_words!(
    /// What an error says, in the page's language: sent to the islands that show errors.
    pub struct ErrorWords from jewelry::text::common {
        error_not_found, error_gone, error_unavailable, error_sign_in_required, error_forbidden,
        error_bad_request, error_transport, refusal_quantity_out_of_range, refusal_no_longer_available,
        refusal_choose_variant, refusal_sold_out, refusal_sold_out_in_cart, refusal_line_limit, refusal_not_enough_left,
        refusal_not_enough_left_held, refusal_not_enough_of,
    }
);

impl ShopError {
    /// What the shopper is told, in the words given (the page's language). The
    /// `Display` form is English, for logs.
    pub fn say(&self, words: &ErrorWords) -> String {
        match self {
            ShopError::NotFound => words.error_not_found.clone(),
            ShopError::Gone => words.error_gone.clone(),
            ShopError::Refused(refusal) => refusal_says(refusal, words),
            ShopError::Unavailable => words.error_unavailable.clone(),
            // Said by the server in the request's language.
            ShopError::Rejected { message, .. } | ShopError::Conflict { message, .. } => message.clone(),
            ShopError::SignInRequired => words.error_sign_in_required.clone(),
            ShopError::Forbidden => words.error_forbidden.clone(),
            ShopError::BadRequest { .. } => words.error_bad_request.clone(),
            ShopError::Transport(_) => words.error_transport.clone(),
        }
    }
}

/// What a cart refusal says, in the words given.
pub fn refusal_says(refusal: &CartRefusal, words: &ErrorWords) -> String {
    use jewelry::cart::MAX_LINE_QUANTITY as MAX;
    use jewelry::text::fill;
    // The piece as the page names it (the page's language, in the browser too).
    let locale = crate::i18n::locale();
    match refusal {
        CartRefusal::QuantityOutOfRange => fill(&words.refusal_quantity_out_of_range, &[("max", &MAX)]),
        CartRefusal::NoLongerAvailable => words.refusal_no_longer_available.clone(),
        CartRefusal::ChooseVariant => words.refusal_choose_variant.clone(),
        CartRefusal::SoldOut { name } => fill(&words.refusal_sold_out, &[("name", &name.get(locale))]),
        CartRefusal::SoldOutInCart { name } => fill(&words.refusal_sold_out_in_cart, &[("name", &name.get(locale))]),
        CartRefusal::LineLimit => fill(&words.refusal_line_limit, &[("max", &MAX)]),
        CartRefusal::NotEnoughLeft { left, held: 0 } => fill(&words.refusal_not_enough_left, &[("left", left)]),
        CartRefusal::NotEnoughLeft { left, held } => {
            fill(&words.refusal_not_enough_left_held, &[("left", left), ("held", held)])
        }
        CartRefusal::NotEnoughOf { left, name } => {
            fill(&words.refusal_not_enough_of, &[("left", left), ("name", &name.get(locale))])
        }
    }
}

#[cfg(feature = "ssr")]
impl ShopError {
    /// How many seconds to wait before trying again, for an error that says so.
    pub fn retry_after_secs(&self) -> Option<u32> {
        matches!(self, ShopError::Unavailable).then_some(RETRY_AFTER_SECS)
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            ShopError::NotFound => StatusCode::NOT_FOUND,
            ShopError::Gone => StatusCode::GONE,
            ShopError::Refused(_) | ShopError::Conflict { .. } => StatusCode::CONFLICT,
            ShopError::Rejected { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ShopError::SignInRequired => StatusCode::UNAUTHORIZED,
            ShopError::Forbidden => StatusCode::FORBIDDEN,
            ShopError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ShopError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ShopError::Transport(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl FromServerFnError for ShopError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // On the server: the arguments sent were not what the function takes.
            ServerFnErrorErr::Args(detail) => {
                ShopError::BadRequest { code: "malformed_arguments".into(), detail: short(detail) }
            }
            ServerFnErrorErr::MissingArg(detail) => {
                ShopError::BadRequest { code: "missing_argument".into(), detail: short(detail) }
            }
            other => ShopError::Transport(other.to_string()),
        }
    }
}

/// `Retry-After` of an answer that the shop is unavailable.
#[cfg(feature = "ssr")]
pub const RETRY_AFTER_SECS: u32 = 5;

/// A decoding error's detail quotes the value it could not read: only its first
/// [`MAX_DETAIL_CHARS`] characters are answered (and put in a plain form's
/// redirect), whatever was sent.
pub const MAX_DETAIL_CHARS: usize = 200;

fn short(detail: String) -> String {
    match detail.char_indices().nth(MAX_DETAIL_CHARS) {
        Some((end, _)) => format!("{}…", &detail[..end]),
        None => detail,
    }
}

/// What a service answers when it cannot do what was asked.
#[cfg(feature = "ssr")]
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// An answer for the shopper, as it is.
    #[error(transparent)]
    Shop(#[from] ShopError),
    /// Something inside broke (the database, the object store) while doing `what`.
    #[error("{what} failed")]
    Internal {
        what: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
}

#[cfg(feature = "ssr")]
impl Failure {
    /// An internal failure while doing `what`, from an error or a message.
    pub fn internal(what: &'static str, source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>) -> Self {
        Failure::Internal { what, source: source.into() }
    }
}

#[cfg(feature = "ssr")]
impl From<jewelry::cart::CartRefusal> for Failure {
    fn from(refusal: CartRefusal) -> Self {
        Failure::Shop(ShopError::Refused(refusal))
    }
}

/// Names what was being done when an internal error happened:
/// `query.fetch_all(&pool).await.during("loading categories")?`. Any error that
/// boxes as one does: `std::error::Error` values, `anyhow::Error` (the object
/// stores'), sqlx's boxed binding errors.
#[cfg(feature = "ssr")]
pub trait During<T> {
    fn during(self, what: &'static str) -> Result<T, Failure>;
}

#[cfg(feature = "ssr")]
impl<T, E: Into<Box<dyn std::error::Error + Send + Sync + 'static>>> During<T> for Result<T, E> {
    fn during(self, what: &'static str) -> Result<T, Failure> {
        self.map_err(|e| Failure::internal(what, e))
    }
}

#[cfg(feature = "ssr")]
impl Failure {
    /// What a server function answers for this failure: a shop error as it is; an
    /// internal failure is logged here, once, with its cause chain, and the shopper
    /// learns only that the shop is unavailable. Called by name where a server
    /// function returns (`.map_err(Failure::logged)?`), not hidden in a `From`.
    pub fn logged(self) -> ShopError {
        match self {
            Failure::Shop(error) => error,
            Failure::Internal { what, source } => {
                let chain = anyhow::Error::from_boxed(source);
                tracing::error!(error = format!("{chain:#}"), "{what} failed");
                ShopError::Unavailable
            }
        }
    }
}
