//! How the settings read what is written as text: lists (comma-separated in a
//! variable), networks, web origins, currencies and durations in seconds.

use serde::Deserialize;
use std::time::Duration;

/// A list of `T`, each entry read from its text by `parse` (a list in the
/// settings file, comma-separated in a variable; blank entries are skipped), an
/// entry it refuses named with what was `expected`.
pub(super) fn entries<'de, D, T>(
    deserializer: D,
    expected: &'static str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let entries = Vec::<String>::deserialize(deserializer)?;
    entries
        .iter()
        .map(|e| e.trim())
        .filter(|e| !e.is_empty())
        .map(|entry| {
            parse(entry).ok_or_else(|| serde::de::Error::invalid_value(serde::de::Unexpected::Str(entry), &expected))
        })
        .collect()
}

/// Networks as CIDRs (`10.0.0.0/8`) or single addresses (`10.0.0.5`).
pub(super) fn networks<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<ipnet::IpNet>, D::Error> {
    entries(deserializer, "a network like 10.0.0.0/8 or an address", |entry| {
        entry.parse::<ipnet::IpNet>().or_else(|_| entry.parse::<std::net::IpAddr>().map(ipnet::IpNet::from)).ok()
    })
}

/// `entry` as a web origin (scheme, host, optional port), or `None`.
pub(super) fn origin(entry: &str) -> Option<String> {
    let url = url::Url::parse(entry).ok()?;
    let plain = url.path() == "/" && url.query().is_none() && url.fragment().is_none();
    (matches!(url.scheme(), "http" | "https") && url.host_str().is_some() && plain)
        .then(|| url.origin().ascii_serialization())
}

/// Web origins: scheme, host and port, as browsers send them in `Origin` (a
/// trailing `/` is dropped; a path is refused).
pub(super) fn origins<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    entries(deserializer, "an origin like https://shop.example (scheme, host and optional port)", origin)
}

/// One web origin, as [`origins`] reads them.
pub(super) fn optional_origin<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    match Option::<String>::deserialize(deserializer)? {
        None => Ok(None),
        Some(entry) if entry.trim().is_empty() => Ok(None),
        Some(entry) => origin(entry.trim()).map(Some).ok_or_else(|| {
            serde::de::Error::invalid_value(
                serde::de::Unexpected::Str(&entry),
                &"an origin like https://shop.example (scheme, host and optional port)",
            )
        }),
    }
}

/// A currency by its ISO 4217 code, in any case.
pub(super) fn currency<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<jewelry::Currency, D::Error> {
    let code = String::deserialize(deserializer)?;
    jewelry::Currency::parse(&code).ok_or_else(|| {
        serde::de::Error::invalid_value(serde::de::Unexpected::Str(&code), &"a currency the shop sells in: VND or USD")
    })
}

/// Countries by their ISO 3166-1 alpha-2 codes (any case), among those the shop
/// knows (`jewelry::checkout::COUNTRIES`); at least one, none twice.
pub(super) fn countries<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<&'static str>, D::Error> {
    let mut codes = entries(deserializer, "a country's two-letter code, such as VN or US", |entry| {
        jewelry::checkout::COUNTRIES.iter().map(|(code, _)| *code).find(|code| code.eq_ignore_ascii_case(entry))
    })?;
    if codes.is_empty() {
        return Err(serde::de::Error::invalid_length(0, &"at least one country the shop ships to"));
    }
    let mut seen = std::collections::HashSet::new();
    codes.retain(|code| seen.insert(*code));
    Ok(codes)
}

/// A language by its code (`vi`, `en`), in any case.
pub(super) fn locale<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<jewelry::Locale, D::Error> {
    let code = String::deserialize(deserializer)?;
    jewelry::Locale::parse(&code).ok_or_else(|| {
        serde::de::Error::invalid_value(serde::de::Unexpected::Str(&code), &"a language the shop speaks: vi or en")
    })
}

/// Languages by their codes (`vi,en`): at least one, none twice.
pub(super) fn locales<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<jewelry::Locale>, D::Error> {
    let mut locales = entries(deserializer, "a language the shop speaks: vi or en", jewelry::Locale::parse)?;
    if locales.is_empty() {
        return Err(serde::de::Error::invalid_length(0, &"at least one language"));
    }
    let mut seen = std::collections::HashSet::new();
    locales.retain(|locale| seen.insert(*locale));
    Ok(locales)
}

/// Whole seconds, as the settings write durations.
pub(super) fn seconds<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
    u64::deserialize(deserializer).map(Duration::from_secs)
}

/// Whole days, at least one.
pub(super) fn positive_days<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    match u32::deserialize(deserializer)? {
        0 => Err(serde::de::Error::invalid_value(serde::de::Unexpected::Unsigned(0), &"at least 1 day")),
        days => Ok(days),
    }
}

/// Whole seconds, at least one.
pub(super) fn positive_seconds<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
    match u64::deserialize(deserializer)? {
        0 => Err(serde::de::Error::invalid_value(serde::de::Unexpected::Unsigned(0), &"at least 1 second")),
        secs => Ok(Duration::from_secs(secs)),
    }
}
