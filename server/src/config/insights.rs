//! The insights page's settings, checked when read: the shop's time zone (an IANA
//! name) and how long its counts are kept (at least the page's longest range).

use serde::Deserialize;
use std::sync::Arc;

/// Counts are kept this many days unless `insights.retention_days` says otherwise.
pub const DEFAULT_RETENTION_DAYS: u32 = 400;
/// The insights page's longest range, in days: counts must be kept at least this long.
pub const MIN_RETENTION_DAYS: u32 = 30;

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct InsightsSettings {
    /// The shop's time zone, an IANA name (`Europe/Paris`): where its days begin.
    #[serde(deserialize_with = "time_zone")]
    pub time_zone: ShopTimeZone,
    /// Counts older than this many days are deleted.
    #[serde(deserialize_with = "retention_days")]
    pub retention_days: u32,
}

impl Default for InsightsSettings {
    fn default() -> Self {
        InsightsSettings { time_zone: ShopTimeZone::utc(), retention_days: DEFAULT_RETENTION_DAYS }
    }
}

/// A time zone known by its IANA name, as the settings name it.
#[derive(Clone, Debug)]
pub struct ShopTimeZone {
    zone: jiff::tz::TimeZone,
    name: Arc<str>,
}

impl ShopTimeZone {
    /// The zone named `name` (`Europe/Paris`, `UTC`), or an error naming the setting.
    pub fn parse(name: &str) -> Result<ShopTimeZone, String> {
        let zone = jiff::tz::TimeZone::get(name).map_err(|e| {
            format!("APP_INSIGHTS__TIME_ZONE `{name}` is not a time zone (an IANA name such as Europe/Paris): {e}")
        })?;
        Ok(ShopTimeZone { zone, name: Arc::from(name) })
    }

    pub fn utc() -> ShopTimeZone {
        ShopTimeZone { zone: jiff::tz::TimeZone::UTC, name: Arc::from("UTC") }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn zone(&self) -> &jiff::tz::TimeZone {
        &self.zone
    }
}

fn time_zone<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<ShopTimeZone, D::Error> {
    ShopTimeZone::parse(String::deserialize(deserializer)?.trim()).map_err(serde::de::Error::custom)
}

fn retention_days<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    match u32::deserialize(deserializer)? {
        days if days < MIN_RETENTION_DAYS => Err(serde::de::Error::custom(format!(
            "APP_INSIGHTS__RETENTION_DAYS is {days}: it must be at least {MIN_RETENTION_DAYS}, the insights page's longest range"
        ))),
        days => Ok(days),
    }
}
