//! What the server functions are told about the request they serve: who asks and
//! how (the server's request layer records it), for which cart, for which order.

use jewelry::identity::Identity;
use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Instant;
use uuid::Uuid;

/// Whose cart: a guest's (named by the cookie) or a signed-in user's (by `sub`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CartOwner {
    Guest(CartId),
    User(String),
}

/// Who asks to see an order: the user who placed it, or the browser whose cart did.
#[derive(Clone, Debug, Default)]
pub struct OrderViewer {
    pub user_id: Option<String>,
    pub cart: Option<CartId>,
}

/// Who asked and how, as the server's request layer recorded it; carried on every
/// log line the request writes.
#[derive(Clone, Debug)]
pub struct RequestContext {
    pub request_id: Arc<str>,
    /// Established by the server from a verified token; guest otherwise.
    pub identity: Identity,
    pub source_ip: Option<IpAddr>,
    pub user_agent: Option<Arc<str>>,
    pub method: http::Method,
    pub path: Arc<str>,
    pub started: Instant,
    /// The language the request is served in (set by the server's language layer).
    pub locale: jewelry::Locale,
}

impl RequestContext {
    pub fn latency_ms(&self) -> f64 {
        self.started.elapsed().as_secs_f64() * 1000.0
    }
}

/// A guest's cart, named by an unguessable id kept in an HttpOnly cookie.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CartId(Uuid);

impl CartId {
    pub fn parse(s: &str) -> Option<CartId> {
        (s.len() == 36).then(|| Uuid::try_parse(s).ok().map(CartId)).flatten()
    }

    pub fn new_random() -> CartId {
        CartId(Uuid::new_v4())
    }
}

impl fmt::Display for CartId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.hyphenated(), f)
    }
}

impl fmt::Debug for CartId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CartId({self})")
    }
}
