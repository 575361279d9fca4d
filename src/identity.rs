//! Who a request comes from, as the server established it from a verified token.
//! Never what a client claims: events that carry identity fields are refused.

use serde::{Deserialize, Serialize};

/// Where a verified token came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IdentitySource {
    /// An Amazon Cognito user pool.
    Cognito,
    /// The built-in development identity provider (embedded profile only).
    Dev,
}

impl IdentitySource {
    pub const fn as_str(self) -> &'static str {
        match self {
            IdentitySource::Cognito => "cognito",
            IdentitySource::Dev => "dev",
        }
    }
}

/// A signed-in shopper or admin, from a token's claims.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// The token's `sub`: stable, unique in the pool.
    pub sub: String,
    pub source: IdentitySource,
    /// `cognito:username` (or `username` in access tokens).
    pub username: String,
    pub email: Option<String>,
    /// `cognito:groups`.
    pub groups: Vec<String>,
}

/// The group that opens the admin area.
pub const ADMIN_GROUP: &str = "admin";

impl User {
    pub fn is_admin(&self) -> bool {
        self.groups.iter().any(|g| g == ADMIN_GROUP)
    }

    /// How the shop addresses the user: the email, else the username.
    pub fn display_name(&self) -> &str {
        self.email.as_deref().unwrap_or(&self.username)
    }
}

/// A request's identity: a verified user, or a guest.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    user: Option<User>,
}

impl Identity {
    pub fn guest() -> Identity {
        Identity { user: None }
    }

    pub fn signed_in(user: User) -> Identity {
        Identity { user: Some(user) }
    }

    pub fn user(&self) -> Option<&User> {
        self.user.as_ref()
    }

    /// The `sub` of a signed-in user.
    pub fn user_id(&self) -> Option<&str> {
        self.user.as_ref().map(|u| u.sub.as_str())
    }

    /// `"signed_in"` or `"guest"`.
    pub fn login_state(&self) -> &'static str {
        if self.user.is_some() { "signed_in" } else { "guest" }
    }

    /// `"cognito"`, `"dev"` or `"guest"`.
    pub fn source(&self) -> &'static str {
        self.user.as_ref().map_or("guest", |u| u.source.as_str())
    }

    pub fn is_admin(&self) -> bool {
        self.user.as_ref().is_some_and(User::is_admin)
    }
}

/// Where to send the browser after signing in: only a path on this site, or `/`.
/// An open redirect would let a link send shoppers anywhere, so this refuses
/// `//host` and `/\\host` (browsers read both as another host), and any control
/// character or whitespace, which browsers strip from a URL before reading it
/// (`/\t/host` is `//host` to them).
pub fn safe_return_to(to: Option<&str>) -> String {
    match to {
        Some(to)
            if to.starts_with('/')
                && !to.starts_with("//")
                && !to.starts_with("/\\")
                && !to.chars().any(|c| c.is_control() || c.is_whitespace())
                && to.len() <= 2048 =>
        {
            to.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_site_are_returned_to() {
        assert_eq!(safe_return_to(Some("/cart")), "/cart");
        assert_eq!(safe_return_to(Some("/catalog?q=ruby%20ring")), "/catalog?q=ruby%20ring");
        for evil in [
            "//evil.example/",
            "/\\evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            " //evil.example",
            "/\u{0}/evil.example",
            "",
        ] {
            assert_eq!(safe_return_to(Some(evil)), "/", "{evil:?}");
        }
        assert_eq!(safe_return_to(Some(&format!("/{}", "a".repeat(2048)))), "/", "too long");
        assert_eq!(safe_return_to(None), "/");
    }

    fn user(groups: &[&str]) -> User {
        User {
            sub: "u-1".into(),
            source: IdentitySource::Dev,
            username: "ada".into(),
            email: None,
            groups: groups.iter().map(|g| g.to_string()).collect(),
        }
    }

    #[test]
    fn a_guest_has_no_user_and_says_so_in_the_log_fields() {
        let guest = Identity::guest();
        assert_eq!((guest.user_id(), guest.login_state(), guest.source()), (None, "guest", "guest"));
        assert!(!guest.is_admin());
    }

    #[test]
    fn a_signed_in_user_carries_sub_source_and_role() {
        let shopper = Identity::signed_in(user(&["shoppers"]));
        assert_eq!((shopper.user_id(), shopper.login_state(), shopper.source()), (Some("u-1"), "signed_in", "dev"));
        assert!(!shopper.is_admin());
        assert!(Identity::signed_in(user(&["admin"])).is_admin());
        assert_eq!(user(&[]).display_name(), "ada");
    }
}
