//! Typed settings, layered, lowest first: defaults, an optional TOML file
//! (`APP_CONFIG_FILE`), the `APP_CONFIG` secret from Secrets Manager (when
//! `APP_SECRETS__CONFIG_ID` names it), then environment variables `APP_<KEY>`,
//! nested keys joined by `__` (a `.env` file in the working directory is read into
//! the environment first). A key the settings do not have is an error naming it.
//! Secrets are `SecretString` and never printed.
//! - [`settings`]: the typed settings, what the server reads;
//! - [`raw`]: the same as written, every choice's keys optional, and the checks
//!   that turn it into the typed ones (a store's, a provider's, TLS's);
//! - [`load`]: the layers;
//! - [`insights`] and [`database`]: sections with checks or helpers of their own.

pub mod database;
mod fields;
pub mod insights;
mod load;
pub mod raw;
pub mod settings;

pub use database::DatabaseSettings;
pub use insights::{DEFAULT_RETENTION_DAYS, InsightsSettings, ShopTimeZone};
pub use load::Loaded;
pub use settings::*;
