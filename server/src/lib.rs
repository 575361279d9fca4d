//! The jewelry shop's server: configuration, the database, the ingest pipeline and
//! its log sinks, the request layer, and the wiring that serves the Leptos app.

pub mod account;
pub mod attribution;
pub mod auth;
pub mod aws;
pub mod config;
pub mod consent;
pub mod db;
pub mod dedup;
pub mod export;
pub mod health;
pub mod idle;
pub mod ingest;
pub mod insights;
pub mod language;
pub mod listen;
pub mod logs;
pub mod mail;
pub mod media;
pub mod metrics;
pub mod origin;
pub mod page_cache;
pub mod page_policy;
mod private_file;
pub mod rebuild;
pub mod refusal;
pub mod request;
pub mod secrets;
pub mod seed;
pub mod seo;
pub mod server_fns;
pub mod shop;
pub mod startup;
pub mod state;
pub mod static_files;
pub mod telemetry;
pub mod tls;
