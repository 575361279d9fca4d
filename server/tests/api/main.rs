//! Integration tests: the real server on a free port, a fresh database per test,
//! and the log lines each request caused, read back from memory.

// Deeply nested futures (the admin journey) exceed the default under clippy.
#![recursion_limit = "256"]

mod account_data;
mod admin;
mod admin_variants;
mod auth;
mod aws_profile;
mod bad_input;
mod cloudwatch;
mod cognito;
mod configuration;
mod consent;
mod currency;
mod events;
mod export;
mod freshness;
mod full_disk;
mod headers;
mod helpers;
mod https;
mod injection;
mod insights;
mod languages;
mod limits;
mod log_pipeline;
mod mail;
mod order_desk;
mod origins;
mod outage;
mod pages;
mod process;
mod proxy;
mod rebuild;
mod s3;
mod schemas;
mod search;
mod secrets;
mod seo;
mod shop;
mod uploads;
mod variants;
