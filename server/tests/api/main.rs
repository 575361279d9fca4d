//! Integration tests: the real server on a free port, a fresh database per test,
//! and the log lines each request caused, read back from memory.

mod admin;
mod auth;
mod bad_input;
mod cognito;
mod events;
mod helpers;
mod injection;
mod pages;
mod s3;
mod schemas;
mod shop;
mod uploads;
