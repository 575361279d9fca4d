//! The database's settings: where it is and how many connections its pool holds.

use super::Settings;
use secrecy::{ExposeSecret, SecretString};
use sqlx::any::AnyConnectOptions;
use std::path::PathBuf;
use std::str::FromStr;

/// What [`crate::db::connect`] needs.
#[derive(Clone, Debug)]
pub struct DatabaseSettings {
    /// `sqlite://...` or `postgres://...` (it may hold a password).
    pub url: SecretString,
    /// Connections in the pool.
    pub max_connections: u32,
    /// Where SQLite's file is kept (made when missing).
    pub data_dir: PathBuf,
}

impl DatabaseSettings {
    pub fn is_sqlite(&self) -> bool {
        self.url.expose_secret().starts_with("sqlite:")
    }

    /// The URL as sqlx connects with it; an error never repeats the URL.
    pub fn connect_options(&self) -> Result<AnyConnectOptions, sqlx::Error> {
        AnyConnectOptions::from_str(self.url.expose_secret())
    }
}

impl Settings {
    /// The database's settings: the configured URL, or SQLite in the data directory.
    pub fn database(&self) -> DatabaseSettings {
        DatabaseSettings {
            url: self.database_url(),
            max_connections: self.database_max_connections,
            data_dir: self.data_dir.clone(),
        }
    }

    /// The database to use: the configured URL, or SQLite in the data directory.
    pub fn database_url(&self) -> SecretString {
        match &self.database_url {
            Some(url) => url.clone(),
            None => SecretString::from(format!("sqlite://{}?mode=rwc", self.data_dir.join("shop.db").display())),
        }
    }

    pub fn is_sqlite(&self) -> bool {
        self.database().is_sqlite()
    }
}
