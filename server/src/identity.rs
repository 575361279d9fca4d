//! Who a request comes from, as the server establishes it. Never taken from what a
//! client claims in an event: identity comes only from a verified credential.

/// The identity every log line of a request carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    user_id: Option<String>,
    source: Source,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Guest,
}

impl Identity {
    /// A shopper without a (valid) sign-in: `clientId` and `sessionId` are all we know.
    pub fn guest() -> Identity {
        Identity { user_id: None, source: Source::Guest }
    }

    pub fn user_id(&self) -> Option<&str> {
        self.user_id.as_deref()
    }

    /// `"signed_in"` or `"guest"`.
    pub fn login_state(&self) -> &'static str {
        if self.user_id.is_some() { "signed_in" } else { "guest" }
    }

    /// `"guest"` (and, with sign-in, where the verified token came from).
    pub fn source(&self) -> &'static str {
        match self.source {
            Source::Guest => "guest",
        }
    }
}
