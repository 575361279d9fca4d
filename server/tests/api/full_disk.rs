//! A full disk: the log file's, and the SQLite database's. Each test mounts a
//! small tmpfs of its own (root only; without it the tests say they did not run,
//! or fail under `TEST_REQUIRE_EMULATORS`), fills it, and frees it again.

use crate::helpers::{self, SHIPPING, page_view, spawn_app_with};
use crate::process::{Launch, browser};
use serde_json::{Value, json};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A tmpfs of its own, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str, tests: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .output()
            .is_ok_and(|out| out.status.success());
        if !mounted {
            helpers::missing("a tmpfs of the test's own (mount -t tmpfs, as root)", tests);
            return None;
        }
        Some(Tmpfs { dir })
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file until the file system has no room left.
    fn fill(&self) -> PathBuf {
        let path = self.path("filler");
        let mut file = std::fs::File::create(&path).expect("the filler file");
        let chunk = vec![0u8; 64 * 1024];
        let mut small = vec![0u8; 512];
        loop {
            if file.write_all(&chunk).is_err() {
                break;
            }
        }
        // What is left of the last block, 512 bytes then one at a time.
        while file.write_all(&small).is_ok() {}
        small.truncate(1);
        while file.write_all(&small).is_ok() {}
        path
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

/// The log file is on a disk that fills: events are refused with 503 and
/// `Retry-After` while their lines cannot be written (not answered 200 and lost),
/// stderr, the metrics and `/health` name the file, and once there is room again
/// the same events are taken (no duplicates) and their lines are whole.
#[tokio::test]
async fn a_full_log_disk_refuses_events_and_takes_them_again_once_freed() {
    let Some(disk) = Tmpfs::mount("256k", "a_full_log_disk_refuses_events") else { return };
    let log_file = disk.path("shop.log");
    let server = Launch::new().env("APP_LOGS__FILE", &log_file).start();
    let client = browser();
    let post = |event: &Value| {
        client
            .post(server.url("/events"))
            .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36")
            .json(&json!({"events": [event]}))
            .send()
    };
    let before = page_view();
    assert_eq!(post(&before).await.unwrap().status(), 200);

    let filler = disk.fill();
    // The file's last block may still hold a line or two: those are taken.
    let mut taken = vec![before];
    let (refused, response) = loop {
        let event = page_view();
        let response = post(&event).await.unwrap();
        if response.status() != 200 {
            break (event, response);
        }
        taken.push(event);
        assert!(taken.len() < 50, "the full disk refuses a line sooner");
    };
    assert_eq!(response.status(), 503, "the line could not be written, so the event is not taken");
    assert!(response.headers().contains_key("retry-after"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "log_unavailable");
    // Later events are refused before any work while the file fails.
    let response = post(&page_view()).await.unwrap();
    assert_eq!(response.status(), 503);

    let health = client.get(server.url("/health")).send().await.unwrap();
    assert_eq!(health.status(), 503);
    let health: Value = health.json().await.unwrap();
    assert_eq!(health["failingLogOutputs"], json!([log_file.display().to_string()]));
    let metrics = client.get(server.url("/metrics")).send().await.unwrap().text().await.unwrap();
    let errors = metrics
        .lines()
        .find(|l| l.starts_with("jewelry_log_write_errors_total") && l.contains(&*log_file.to_string_lossy()))
        .unwrap_or_else(|| panic!("a write error counted for the file in:\n{metrics}"));
    assert!(!errors.ends_with(" 0"), "{errors}");
    server.wait_for_stderr("the failing output's name", |stderr| said_at(stderr, "ERROR", &log_file));
    std::fs::remove_file(filler).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let retried = loop {
        let response = post(&refused).await.unwrap();
        if response.status() == 200 || Instant::now() > deadline {
            break response;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(retried.status(), 200, "taken once there is room");
    let report: Value = retried.json().await.unwrap();
    assert_eq!(report["accepted"], 1, "the refused event was not remembered as taken: {report}");
    assert_eq!(client.get(server.url("/health")).send().await.unwrap().status(), 200);
    // stdout, which worked throughout, has the lines too.
    for event in &taken {
        server.wait_for_line("an event taken before the disk filled, on stdout", |l| l["eventId"] == event["eventId"]);
    }
    server.wait_for_line("the retried event, on stdout", |l| l["eventId"] == refused["eventId"]);

    // The file rotates daily: today's is `shop.log.YYYY-MM-DD`.
    let today = std::fs::read_dir(disk.dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("shop.log")))
        .expect("the log file");
    let text = std::fs::read_to_string(today).unwrap();
    let lines: Vec<Value> = text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    taken.push(refused);
    for event in &taken {
        let written =
            lines.iter().filter(|l| l["logType"] == "clickstream" && l["eventId"] == event["eventId"]).count();
        assert_eq!(written, 1, "{} is in the file once, whole:\n{text}", event["eventId"]);
    }
    // Whatever a full disk cut short is a line of its own: no line holds two.
    for line in text.lines() {
        assert!(line.matches("\"logType\"").count() <= 1, "two lines glued together: {line}");
    }
    server.wait_for_stderr("that the file works again", |stderr| said_at(stderr, "INFO", &log_file));
}

/// Whether stderr holds a line at `level` naming `output`.
fn said_at(stderr: &str, level: &str, output: &Path) -> bool {
    stderr
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .any(|l| l["level"] == level && l["output"] == output.display().to_string())
}

/// SQLite's disk fills and a commit fails; once there is room again, checkout and
/// the cart work at once (no connection is left holding the write lock), and
/// every cart answered 200 is in the database.
#[tokio::test]
async fn sqlite_works_again_once_a_full_disk_has_room() {
    let Some(disk) = Tmpfs::mount("8m", "sqlite_works_again_once_a_full_disk_has_room") else { return };
    let db_path = disk.path("shop.db");
    let database_url = format!("sqlite://{}?mode=rwc", db_path.display());
    let app = spawn_app_with(|s| {
        s.database_url = Some(database_url.clone().into());
        // One connection: the one whose commit failed serves every later request.
        s.database_max_connections = 1;
    })
    .await;
    let product = "ember-ruby-band".to_owned();
    let add = |browser: reqwest::Client| {
        let product = product.clone();
        let app = &app;
        async move {
            app.call_from(&browser, "cart/add", &[("product_id", product.as_str()), ("quantity", "1")]).await.status()
        }
    };
    assert_eq!(add(app.client.clone()).await, 200);
    // An empty write-ahead log, so the next commit needs new room on the disk.
    {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&database_url).await.unwrap();
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut conn).await.unwrap();
    }
    let filler = disk.fill();
    let mut failed = false;
    for _ in 0..20 {
        if add(browser()).await == 503 {
            failed = true;
            break;
        }
    }
    assert!(failed, "a cart's commit fails on the full disk");
    std::fs::remove_file(filler).unwrap();
    // What ran into the failed commit next: a transaction rolled back (an empty
    // cart's checkout, as a checkout sent twice finds it).
    let empty = browser();
    let response = app.call_from(&empty, "cart/add", &[("product_id", product.as_str()), ("quantity", "1")]).await;
    assert_eq!(response.status(), 200);
    app.call_from(&empty, "cart/remove", &[("variant_id", product.as_str())]).await;
    app.call_from(&empty, "checkout", SHIPPING).await;

    let mut carts = Vec::new();
    for _ in 0..5 {
        let shopper = browser();
        let started = Instant::now();
        let status = app.call_from(&shopper, "cart/add", &[("product_id", product.as_str()), ("quantity", "1")]).await;
        assert_eq!(status.status(), 200, "adds to cart work again");
        assert!(started.elapsed() < Duration::from_secs(2), "without waiting on a lock: {:?}", started.elapsed());
        carts.push(shopper);
    }
    let checkout = app.call_from(&carts[0], "checkout", SHIPPING).await;
    assert_eq!(checkout.status(), 200, "checkout works again");
    // Read by another connection: what was answered 200 was committed.
    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect(&database_url).await.unwrap();
    let (lines,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM cart_items").fetch_one(&mut conn).await.unwrap();
    assert!(lines >= 4, "the carts answered 200 are in the database: {lines} lines");
    let (orders,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM orders").fetch_one(&mut conn).await.unwrap();
    assert_eq!(orders, 1);
}
