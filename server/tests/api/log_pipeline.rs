//! The binary's own log pipeline, end to end: every line on standard output and in
//! the log file, `app` lines from `tracing` among them, each matching the log-line
//! schema; and on SIGTERM, every event acknowledged before the process exits is in
//! both, whatever was in flight.

use crate::auth::ADMIN;
use crate::helpers::{SHIPPING, all_five, page_view, uuid};
use crate::process::{Launch, browser, parse_lines};
use crate::schemas::{errors, schema};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_sigterm_every_acknowledged_line_is_on_stdout_and_in_the_file_and_matches_the_schema() {
    let launch = Launch::new();
    let file = launch.path("logs/shop.log");
    let server = launch.env("APP_LOGS__FILE", &file).start();

    // A little of everything: pages, a sign-in that fails and one that works, an
    // order, an admin's change, and all five events.
    let shopper = browser();
    assert_eq!(shopper.get(server.url("/catalog?category=rings")).send().await.unwrap().status(), 200);
    let failed = [("username", "shopper"), ("password", "wrong"), ("return_to", "/")];
    shopper.post(server.url("/auth/dev/login")).form(&failed).send().await.unwrap();
    let admin = server.sign_in(ADMIN).await;
    let (status, _) = server.call(&shopper, "cart/add", &[("product_id", "northern-hoops"), ("quantity", "1")]).await;
    assert_eq!(status, 200);
    let (_, placed) = server.call(&shopper, "checkout", SHIPPING).await;
    assert!(placed["Placed"].is_object(), "{placed}");
    let (_, product) = server.call(&admin, "admin/product", &[("id", "northern-hoops")]).await;
    let version = product["version"].to_string();
    let archive = [("id", "northern-hoops"), ("version", version.as_str()), ("archived", "true")];
    assert_eq!(server.call(&admin, "admin/product/archive", &archive).await.0, 200);
    let five = all_five();
    let mut acknowledged: HashSet<String> = five.iter().map(|e| e["eventId"].as_str().unwrap().to_owned()).collect();
    let sent = shopper.post(server.url("/events")).json(&json!({"events": five})).send().await.unwrap();
    assert_eq!(sent.json::<Value>().await.unwrap()["accepted"], 5);

    // Two senders keep batches coming while the process is told to stop; each
    // batch answered "accepted" must be in the log once it has exited.
    let in_flight = Arc::new(Mutex::new(HashSet::new()));
    let mut senders = Vec::new();
    for _ in 0..2 {
        let (url, in_flight) = (server.url("/events"), in_flight.clone());
        senders.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            for _ in 0..2_000 {
                let batch: Vec<Value> = (0..25)
                    .map(|_| {
                        let mut e = page_view();
                        e["eventId"] = json!(uuid());
                        e
                    })
                    .collect();
                let ids: Vec<String> = batch.iter().map(|e| e["eventId"].as_str().unwrap().to_owned()).collect();
                let Ok(response) = client.post(&url).json(&json!({"events": batch})).send().await else { break };
                let Ok(report) = response.json::<Value>().await else { break };
                if report["accepted"] == 25 {
                    in_flight.lock().unwrap().extend(ids);
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(400)).await;
    server.terminate();
    for sender in senders {
        sender.await.unwrap();
    }
    let stopped = tokio::task::spawn_blocking(move || server.wait_for_exit()).await.unwrap();
    assert!(stopped.status.success(), "a clean exit after SIGTERM: {:?}", stopped.status);
    let stdout = &stopped.lines;
    let during = in_flight.lock().unwrap().len();
    assert!(during > 0, "events were acknowledged while the server was told to stop");
    acknowledged.extend(in_flight.lock().unwrap().iter().cloned());

    let lines = parse_lines(stdout);
    let logged: HashSet<&str> =
        lines.iter().filter(|l| l["logType"] == "clickstream").filter_map(|l| l["eventId"].as_str()).collect();
    let lost: Vec<&String> = acknowledged.iter().filter(|id| !logged.contains(id.as_str())).collect();
    assert!(lost.is_empty(), "{} of {} acknowledged events are not on stdout", lost.len(), acknowledged.len());

    let today = time::OffsetDateTime::now_utc().date();
    let in_file = std::fs::read_to_string(file.with_file_name(format!("shop.log.{today}"))).unwrap();
    assert_eq!(
        in_file.lines().collect::<Vec<_>>(),
        stdout.iter().map(String::as_str).collect::<Vec<_>>(),
        "the file holds the same lines"
    );

    for log_type in ["clickstream", "request", "business", "auth", "crud", "app"] {
        assert!(lines.iter().any(|l| l["logType"] == log_type), "a {log_type} line");
    }
    let app: Vec<&str> = lines.iter().filter(|l| l["logType"] == "app").filter_map(|l| l["message"].as_str()).collect();
    assert!(app.iter().any(|m| m.starts_with("serving the shop at")), "{app:?}");
    assert_eq!(app.last(), Some(&"stopped"), "the last diagnostic is the stop, and it is written too");
    let validator = schema("log-line.schema.json");
    for line in &lines {
        let problems = errors(&validator, line);
        assert!(problems.is_empty(), "{line}\n{problems:#?}");
    }
}

#[tokio::test]
async fn an_internal_failure_is_logged_once_with_its_cause_and_the_shopper_is_told_only_unavailable() {
    let server = Launch::new().start();
    // The database loses a table under the running server.
    let url = format!("sqlite://{}", server.dir().join("data/shop.db").display());
    let mut db = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url).await.unwrap();
    sqlx::query("ALTER TABLE categories RENAME TO categories_gone").execute(&mut db).await.unwrap();

    let (status, answer) = server.call(&reqwest::Client::new(), "categories", &[]).await;
    assert_eq!((status, answer), (503, json!("Unavailable")), "no cause reaches the browser");
    let line = server.wait_for_line("failure", |l| l["message"] == "loading categories failed");
    assert_eq!(line["level"], "ERROR");
    let error = line["error"].as_str().unwrap();
    assert!(error.contains("no such table: categories"), "the cause chain is logged: {error}");
    let stopped = server.stop();
    let failures: Vec<Value> =
        parse_lines(&stopped.lines).into_iter().filter(|l| l["logType"] == "app" && l["level"] == "ERROR").collect();
    assert_eq!(failures.len(), 1, "logged once, where the server function returned: {failures:?}");
}
