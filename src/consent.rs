//! The shopper's consent to analytics, as Vietnam's Personal Data Protection Law
//! (Law 91/2025/QH15) and the GDPR ask: nothing is tracked and no identifier is
//! stored in the browser before the shopper accepts, and every choice is recorded.
//!
//! The choice is kept in one cookie, [`COOKIE`], as `<notice version>.<choice>`
//! (`2026-12-07.accepted`). It names no one: it is the record of a preference, which
//! the law lets a site keep without asking. A choice made for an older version of
//! the notice counts as none: the banner asks again.

use serde::Serialize;
use std::net::IpAddr;

/// The version of the privacy notice (the privacy page and the banner). A change to
/// what is collected, why, or for how long takes a new version, and every shopper
/// is asked again.
pub const NOTICE_VERSION: &str = "2026-12-07";
/// The cookie that keeps the choice. Not `HttpOnly`: the page's own script reads it
/// before it sends anything.
pub const COOKIE: &str = "jw_consent";
/// A choice is kept this long; then the banner asks again.
pub const REMEMBER_DAYS: i64 = 365;

/// What the shopper chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    Accepted,
    Refused,
    /// Accepted before, taken back on the privacy page.
    Withdrawn,
}

impl Choice {
    pub const ALL: [Choice; 3] = [Choice::Accepted, Choice::Refused, Choice::Withdrawn];

    pub fn as_str(self) -> &'static str {
        match self {
            Choice::Accepted => "accepted",
            Choice::Refused => "refused",
            Choice::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Choice> {
        Choice::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// Where the choice was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Banner,
    PrivacyPage,
    /// The browser's Global Privacy Control (`Sec-GPC: 1`, `navigator.globalPrivacyControl`).
    Gpc,
}

impl Source {
    pub const ALL: [Source; 3] = [Source::Banner, Source::PrivacyPage, Source::Gpc];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::Banner => "banner",
            Source::PrivacyPage => "privacy_page",
            Source::Gpc => "gpc",
        }
    }

    pub fn parse(s: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// Global Privacy Control's request header.
pub const GPC_HEADER: &str = "sec-gpc";

/// A `Sec-GPC` value that says the browser sends Global Privacy Control.
pub fn is_gpc(value: &[u8]) -> bool {
    value.trim_ascii() == b"1"
}

/// [`COOKIE`]'s value among `cookies`, as a `Cookie` header and `document.cookie`
/// both write them (`a=1; jw_consent=...`).
pub fn in_cookies(cookies: &str) -> Option<&str> {
    cookies.split(';').find_map(|c| c.trim().strip_prefix(COOKIE)?.strip_prefix('='))
}

/// The cookie's value for `choice` on the current notice.
pub fn cookie_value(choice: Choice) -> String {
    format!("{NOTICE_VERSION}.{}", choice.as_str())
}

/// The choice the cookie's value records for the current notice; `None` for none,
/// or for a choice made on an older notice.
pub fn current_choice(cookie: Option<&str>) -> Option<Choice> {
    let (version, choice) = cookie?.rsplit_once('.')?;
    (version == NOTICE_VERSION).then(|| Choice::parse(choice)).flatten()
}

/// The banner a page shows: none once a choice is recorded for this notice; else
/// one asking, or, for a browser sending Global Privacy Control, one saying that it
/// counts as a refusal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Banner {
    #[default]
    None,
    Ask,
    Gpc,
}

impl Banner {
    pub fn of(cookie: Option<&str>, gpc: bool) -> Banner {
        match current_choice(cookie) {
            Some(_) => Banner::None,
            None if gpc => Banner::Gpc,
            None => Banner::Ask,
        }
    }
}

/// `address` with its host part only, as the clickstream keeps it: an IPv4 address
/// to its /24 (`203.0.113.77` is `203.0.113.0`), an IPv6 one to its /48. Enough to
/// tell a country or a network, not a household.
pub fn truncate_ip(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            IpAddr::V4([a, b, c, 0].into())
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => truncate_ip(IpAddr::V4(v4)),
            None => {
                let s = v6.segments();
                IpAddr::V6([s[0], s[1], s[2], 0, 0, 0, 0, 0].into())
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_counts_for_the_notice_it_was_made_on() {
        assert_eq!(current_choice(Some(&cookie_value(Choice::Accepted))), Some(Choice::Accepted));
        assert_eq!(current_choice(Some(&cookie_value(Choice::Withdrawn))), Some(Choice::Withdrawn));
        assert_eq!(current_choice(Some("2020-01-01.accepted")), None, "an older notice asks again");
        assert_eq!(current_choice(Some(&format!("{NOTICE_VERSION}.maybe"))), None);
        assert_eq!(current_choice(Some("")), None);
        assert_eq!(current_choice(None), None);
    }

    #[test]
    fn the_choice_is_found_among_other_cookies_and_gpc_is_a_one() {
        let accepted = cookie_value(Choice::Accepted);
        assert_eq!(in_cookies(&format!("lang=vi; {COOKIE}={accepted}; jw_cart=x")), Some(accepted.as_str()));
        assert_eq!(in_cookies(&format!("{COOKIE}x=1; x{COOKIE}=2")), None, "only the cookie of that name");
        assert_eq!(in_cookies(""), None);
        assert!(is_gpc(b"1") && is_gpc(b" 1 "));
        assert!(!is_gpc(b"0") && !is_gpc(b""));
    }

    #[test]
    fn the_banner_asks_until_a_choice_and_says_why_under_gpc() {
        assert_eq!(Banner::of(None, false), Banner::Ask);
        assert_eq!(Banner::of(None, true), Banner::Gpc);
        assert_eq!(Banner::of(Some("2020-01-01.refused"), true), Banner::Gpc);
        assert_eq!(Banner::of(Some(&cookie_value(Choice::Refused)), false), Banner::None);
        assert_eq!(Banner::of(Some(&cookie_value(Choice::Accepted)), true), Banner::None, "an opt-in stands");
    }

    #[test]
    fn addresses_keep_their_network_only() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(truncate_ip(ip("203.0.113.77")), ip("203.0.113.0"));
        assert_eq!(truncate_ip(ip("2001:db8:85a3:8d3:1319:8a2e:370:7348")), ip("2001:db8:85a3::"));
        assert_eq!(truncate_ip(ip("::ffff:198.51.100.9")), ip("198.51.100.0"));
        assert_eq!(truncate_ip(ip("::1")), ip("::"));
    }

    #[test]
    fn choices_and_sources_read_back_what_they_write() {
        for c in Choice::ALL {
            assert_eq!(Choice::parse(c.as_str()), Some(c));
        }
        for s in Source::ALL {
            assert_eq!(Source::parse(s.as_str()), Some(s));
        }
    }
}
