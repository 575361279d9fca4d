//! One test per promise of the README's configuration table, each on the built
//! binary configured as an operator would: environment variables, a `.env` file,
//! a TOML file named by `APP_CONFIG_FILE`. The AWS profile's rows (secrets, CloudWatch
//! Logs) have theirs in `aws_profile.rs` and `cloudwatch.rs`, beside the emulators.

use crate::helpers::{CLIENT_ID, SESSION_ID, SHIPPING_GB, now_rfc3339, uuid};
use crate::process::{Launch, ServerProcess, browser, parse_lines};
use serde_json::{Value, json};
use std::path::Path;

/// A port nobody listens on right now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn catalog_count(server: &ServerProcess) -> String {
    let html = reqwest::get(server.url("/en/catalog")).await.unwrap().text().await.unwrap();
    let at = html.find("class=\"result-count\"").expect("the catalog's count");
    html[at..].split('>').nth(1).unwrap().split('<').next().unwrap().to_owned()
}

fn event(event_id: &str) -> Value {
    event_at(event_id, &now_rfc3339())
}

fn event_at(event_id: &str, timestamp: &str) -> Value {
    json!({"events": [{
        "eventId": event_id, "eventName": "page_view", "eventTimestamp": timestamp,
        "clientId": CLIENT_ID, "sessionId": SESSION_ID, "urlPath": "/"
    }]})
}

/// Posts one page_view with this id; answers `(accepted, duplicates)`.
async fn send(server: &ServerProcess, event_id: &str) -> (i64, i64) {
    post_batch(server, &event(event_id)).await
}

async fn post_batch(server: &ServerProcess, body: &Value) -> (i64, i64) {
    let report: Value =
        reqwest::Client::new().post(server.url("/events")).json(body).send().await.unwrap().json().await.unwrap();
    (report["accepted"].as_i64().unwrap(), report["duplicates"].as_i64().unwrap())
}

fn app_lines(lines: &[Value], level: &str) -> Vec<Value> {
    lines.iter().filter(|l| l["logType"] == "app" && l["level"] == level).cloned().collect()
}

#[tokio::test]
async fn leptos_site_addr_is_the_address_it_listens_on() {
    let port = free_port();
    let server = Launch::new().port(port).start();
    assert_eq!(server.address, format!("http://127.0.0.1:{port}"));
    let health = reqwest::get(format!("http://127.0.0.1:{port}/health")).await.unwrap();
    assert_eq!(health.status(), 200);
}

#[tokio::test]
async fn leptos_site_root_is_where_the_built_site_is_served_from() {
    let launch = Launch::new();
    let site = launch.path("site");
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(site.join("pkg/jewelry.css"), "/* the site under test */").unwrap();
    let server = launch.env("LEPTOS_SITE_ROOT", &site).start();
    let css = reqwest::get(server.url("/pkg/jewelry.css")).await.unwrap();
    assert_eq!(css.status(), 200);
    assert_eq!(css.text().await.unwrap(), "/* the site under test */");
    assert_eq!(reqwest::get(server.url("/pkg/missing.js")).await.unwrap().status(), 404);
}

#[tokio::test]
async fn app_data_dir_holds_the_database_and_the_keys_made_on_first_start() {
    let launch = Launch::new();
    let data = launch.path("elsewhere");
    let server = launch.env("APP_DATA_DIR", &data).start();
    for file in ["shop.db", "dev-idp/signing-key.pem", "media-signing.key", "media"] {
        assert!(data.join(file).exists(), "{file} in APP_DATA_DIR");
    }
    assert!(!server.dir().join("data").exists(), "nothing in the default data directory");
}

#[tokio::test]
async fn app_database_url_names_the_database() {
    let launch = Launch::new();
    let db = launch.path("other.db");
    let url = format!("sqlite://{}?mode=rwc", db.display());
    let server = launch.env("APP_DATABASE_URL", &url).start();
    assert_eq!(catalog_count(&server).await, "28 pieces");
    assert!(db.exists(), "the named file is the database");
    assert!(!server.dir().join("data/shop.db").exists(), "not the default one");
    let stopped = server.stop();
    assert!(!stopped.lines.join("\n").contains(&url), "the URL is a secret: never logged");
}

/// Connections the process holds to `shop.db`, as /proc lists its open files.
fn open_database_files(pid: u32, database: &Path) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .filter_map(|fd| std::fs::read_link(fd.ok()?.path()).ok())
        .filter(|target| target == database)
        .count()
}

async fn database_files_under_load(max_connections: Option<&str>) -> usize {
    let mut launch = Launch::new();
    if let Some(n) = max_connections {
        launch = launch.env("APP_DATABASE_MAX_CONNECTIONS", n);
    }
    let database = launch.path("data/shop.db");
    let server = launch.start();
    let client = reqwest::Client::new();
    let mut pages = tokio::task::JoinSet::new();
    for i in 0..48 {
        pages.spawn(client.get(server.url(&format!("/catalog?q=r&page={}", i % 3 + 1))).send());
    }
    while let Some(page) = pages.join_next().await {
        assert_eq!(page.unwrap().unwrap().status(), 200);
    }
    open_database_files(server.pid(), &std::fs::canonicalize(database).unwrap())
}

#[tokio::test]
async fn app_database_max_connections_bounds_the_pool() {
    let bounded = database_files_under_load(Some("2")).await;
    assert!((1..=2).contains(&bounded), "at most 2 connections: {bounded}");
    let default = database_files_under_load(None).await;
    assert!(default > 2 && default <= 8, "the default pool grows past 2 under the same load, up to 8: {default}");
}

#[tokio::test]
async fn app_currency_and_app_ships_to_set_what_the_shop_sells_in_and_where_it_ships() {
    let server = Launch::new().env("APP_CURRENCY", "usd").env("APP_SHIPS_TO", "gb, VN").start();
    let shopper = browser();
    let page = shopper.get(server.url("/en/products/ember-ruby-band")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("$749.00") && page.contains("$890.00"), "the demo catalog's prices in dollars");
    let call = |endpoint: &str, form: &[(&str, &str)]| {
        shopper.post(server.url(&format!("/api/{endpoint}"))).header("Accept", "application/json").form(form).send()
    };
    assert!(
        call("cart/add", &[("product_id", "ember-ruby-band"), ("quantity", "1")]).await.unwrap().status().is_success()
    );
    let placed: Value = call("checkout", SHIPPING_GB).await.unwrap().json().await.unwrap();
    assert_eq!(placed["Placed"]["currency"], "USD", "a British address is shipped to: {placed}");
    assert_eq!(placed["Placed"]["total"], 74_900);

    let vietnam_only = Launch::new().start();
    let shopper = browser();
    let add = [("product_id", "ember-ruby-band"), ("quantity", "1")];
    shopper.post(vietnam_only.url("/api/cart/add")).form(&add).send().await.unwrap();
    let refused: Value = shopper
        .post(vietnam_only.url("/api/checkout"))
        .header("Accept", "application/json")
        .form(SHIPPING_GB)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        refused["Invalid"]["country"],
        jewelry::text::order::VI.field_country,
        "Vietnam alone by default, said in Vietnamese (the default)"
    );

    let (_, output) =
        Launch::new().env("APP_SHIPS_TO", "VN, XX").try_start().err().expect("an unknown country is refused");
    assert!(output.contains("a country's two-letter code, such as VN or US"), "{output}");
    let (_, output) =
        Launch::new().env("APP_CURRENCY", "EUR").try_start().err().expect("an unknown currency is refused");
    assert!(output.contains("VND or USD"), "{output}");
}

#[tokio::test]
async fn app_seed_catalog_false_starts_with_an_empty_catalog() {
    let server = Launch::new().env("APP_SEED_CATALOG", "false").start();
    assert_eq!(catalog_count(&server).await, "0 pieces");
    let seeded = Launch::new().start();
    assert_eq!(catalog_count(&seeded).await, "28 pieces", "the default seeds it");
}

#[tokio::test]
async fn app_logs_file_holds_the_same_lines_as_standard_output() {
    let launch = Launch::new();
    let file = launch.path("logs/shop.log");
    let server = launch.env("APP_LOGS__FILE", &file).start();
    assert_eq!(send(&server, &uuid()).await, (1, 0));
    let stopped = server.stop();
    let stdout = stopped.lines;
    let today = time::OffsetDateTime::now_utc().date();
    let dated = file.with_file_name(format!("shop.log.{today}"));
    let written = std::fs::read_to_string(&dated).unwrap_or_else(|e| panic!("{}: {e}", dated.display()));
    let in_file: Vec<&str> = written.lines().collect();
    assert_eq!(in_file, stdout.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(parse_lines(&stdout).iter().any(|l| l["logType"] == "clickstream"));
}

/// `faketime`'s library, which the rotation test runs the server under.
fn libfaketime() -> Option<std::path::PathBuf> {
    let found =
        ["/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1", "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1"]
            .into_iter()
            .map(std::path::PathBuf::from)
            .find(|p| p.exists());
    if found.is_none() {
        crate::helpers::missing("libfaketime", "the log rotation test");
    }
    found
}

#[tokio::test]
async fn the_log_file_is_rotated_at_midnight_utc() {
    use time::format_description::well_known::Rfc3339;
    let Some(faketime) = libfaketime() else { return };
    let launch = Launch::new();
    let file = launch.path("shop.log");
    // The server's wall clock starts ten seconds before midnight and runs on; its
    // monotonic clock (timers, latencies) is left alone.
    let server = launch
        .env("APP_LOGS__FILE", &file)
        .env("LD_PRELOAD", faketime)
        .env("FAKETIME", "@2026-12-31 23:59:50")
        .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
        .env("TZ", "UTC")
        .start();
    let midnight = time::macros::datetime!(2027-01-01 0:00 UTC);
    // Events a shopper's browser stamped a minute before midnight, by the server's clock.
    let stamped = "2026-12-31T23:59:00Z";
    let at = |line: &Value| time::OffsetDateTime::parse(line["timestamp"].as_str().unwrap(), &Rfc3339).unwrap();

    let before = uuid();
    assert_eq!(post_batch(&server, &event_at(&before, stamped)).await, (1, 0));
    let written = at(&server.wait_for_line("clickstream", |l| l["eventId"] == before.as_str()));
    assert!(written < midnight, "the server took ten seconds to start: {written}");
    std::thread::sleep((midnight - written + time::Duration::milliseconds(1500)).unsigned_abs());
    let after = uuid();
    assert_eq!(post_batch(&server, &event_at(&after, stamped)).await, (1, 0));
    let written = at(&server.wait_for_line("clickstream", |l| l["eventId"] == after.as_str()));
    assert!(written >= midnight, "{written}");
    let _stopped = server.stop();

    let read = |day: &str| std::fs::read_to_string(file.with_file_name(format!("shop.log.{day}"))).unwrap_or_default();
    let (old, new) = (read("2026-12-31"), read("2027-01-01"));
    assert!(old.contains(&before) && !old.contains(&after), "the old day's file ends at midnight");
    assert!(new.contains(&after) && !new.contains(&before), "the new day has a file of its own");
}

#[tokio::test]
async fn app_logs_level_sets_the_servers_own_diagnostics_and_rust_log_overrides_it() {
    let run = |level: Option<&str>, rust_log: Option<&str>| {
        let port = free_port();
        let mut launch = Launch::new().port(port);
        if let Some(level) = level {
            launch = launch.env("APP_LOGS__LEVEL", level);
        }
        if let Some(filter) = rust_log {
            launch = launch.env("RUST_LOG", filter);
        }
        parse_lines(&launch.start().stop().lines)
    };
    // The default, info: the start and the stop, no debug lines.
    let info = run(None, None);
    assert!(app_lines(&info, "INFO").iter().any(|l| l["message"].as_str().unwrap().starts_with("serving the shop")));
    assert!(app_lines(&info, "DEBUG").is_empty());
    // debug adds the sweep's report of nothing to delete.
    let debug = run(Some("debug"), None);
    assert!(app_lines(&debug, "DEBUG").iter().any(|l| l["message"] == "no abandoned uploads to delete"), "{debug:?}");
    // warn leaves out the info lines.
    let warn = run(Some("warn"), None);
    assert!(app_lines(&warn, "INFO").is_empty(), "{warn:?}");
    // RUST_LOG wins over APP_LOGS__LEVEL.
    let overridden = run(Some("warn"), Some("debug"));
    assert!(!app_lines(&overridden, "DEBUG").is_empty(), "{overridden:?}");
}

#[tokio::test]
async fn app_trusted_proxies_are_the_peers_believed_about_the_client_address() {
    /// The `sourceIp` logged for an event sent with this `X-Forwarded-For`.
    async fn source_ip(server: &ServerProcess, forwarded_for: &str) -> Value {
        let id = uuid();
        let sent = reqwest::Client::new()
            .post(server.url("/events"))
            .header("X-Forwarded-For", forwarded_for)
            .json(&event(&id))
            .send()
            .await
            .unwrap();
        assert_eq!(sent.status(), 200);
        server.wait_for_line("clickstream", |l| l["eventId"] == id.as_str())["sourceIp"].clone()
    }
    // A comma-separated list; the test connects from 127.0.0.1, inside the second.
    // (The whole address is kept, to be compared: see the next test.)
    let behind_proxy = Launch::new()
        .env("APP_TRUSTED_PROXIES", "10.0.0.0/8,127.0.0.1")
        .env("APP_PRIVACY__FULL_SOURCE_IP", "true")
        .start();
    let ip = source_ip(&behind_proxy, "198.51.100.7, 203.0.113.9").await;
    assert_eq!(ip, "203.0.113.9", "the last address, the one the proxy added");
    let ip = source_ip(&behind_proxy, "198.51.100.7, 203.0.113.9, 10.4.4.4").await;
    assert_eq!(ip, "203.0.113.9", "trusted proxies in the chain are skipped");
    let other_network =
        Launch::new().env("APP_TRUSTED_PROXIES", "10.0.0.0/8").env("APP_PRIVACY__FULL_SOURCE_IP", "true").start();
    let ip = source_ip(&other_network, "198.51.100.7").await;
    assert_eq!(ip, "127.0.0.1", "from a peer that is no proxy: the socket's address, whatever the header says");
    let direct = Launch::new().env("APP_PRIVACY__FULL_SOURCE_IP", "true").start();
    let ip = source_ip(&direct, "198.51.100.7").await;
    assert_eq!(ip, "127.0.0.1", "unset: the socket's address");
}

#[tokio::test]
async fn app_privacy_full_source_ip_keeps_the_shoppers_whole_address_in_clickstream_lines() {
    /// The `sourceIp` of the clickstream line and of the request line of an event
    /// sent as from `client` (through a trusted proxy: the test's own address).
    async fn logged(server: &ServerProcess, client: &str) -> (Value, Value) {
        let id = uuid();
        let sent = reqwest::Client::new()
            .post(server.url("/events"))
            .header("X-Forwarded-For", client)
            .json(&event(&id))
            .send()
            .await
            .unwrap();
        assert_eq!(sent.status(), 200);
        let request_id = sent.headers()["x-request-id"].to_str().unwrap().to_owned();
        let clickstream = server.wait_for_line("clickstream", |l| l["eventId"] == id.as_str());
        let request =
            server.wait_for_line("request", |l| l["logType"] == "request" && l["requestId"] == request_id.as_str());
        (clickstream["sourceIp"].clone(), request["sourceIp"].clone())
    }
    let default = Launch::new().env("APP_TRUSTED_PROXIES", "127.0.0.1").start();
    let (line, request) = logged(&default, "203.0.113.77").await;
    assert_eq!(line, "203.0.113.0", "IPv4 to its /24 by default");
    assert_eq!(request, "203.0.113.77", "the request line keeps the whole address");
    let (line, request) = logged(&default, "2001:db8:85a3:8d3:1319:8a2e:370:7348").await;
    assert_eq!(line, "2001:db8:85a3::", "IPv6 to its /48");
    assert_eq!(request, "2001:db8:85a3:8d3:1319:8a2e:370:7348");
    let whole =
        Launch::new().env("APP_TRUSTED_PROXIES", "127.0.0.1").env("APP_PRIVACY__FULL_SOURCE_IP", "true").start();
    assert_eq!(logged(&whole, "203.0.113.77").await.0, "203.0.113.77");
    assert_eq!(logged(&whole, "2001:db8::1").await.0, "2001:db8::1");
}

async fn cart_cookie(server: &ServerProcess) -> String {
    let added = browser()
        .post(server.url("/api/cart/add"))
        .form(&[("product_id", "northern-hoops"), ("quantity", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), 200);
    added.headers()["set-cookie"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn app_secure_cookies_marks_cookies_secure() {
    let secure = Launch::new().env("APP_SECURE_COOKIES", "true").start();
    assert!(cart_cookie(&secure).await.contains("; Secure"));
    let plain = Launch::new().start();
    assert!(!cart_cookie(&plain).await.contains("Secure"));
}

#[tokio::test]
async fn app_dedup_window_secs_is_how_long_an_event_id_is_remembered() {
    let server = Launch::new().env("APP_DEDUP_WINDOW_SECS", "1").start();
    assert_eq!(forgotten_after_two_windows(&server).await, [(1, 0), (0, 1), (0, 1), (1, 0)]);
    let default = Launch::new().start();
    assert_eq!(forgotten_after_two_windows(&default).await, [(1, 0), (0, 1), (0, 1), (0, 1)], "15 minutes by default");
}

/// The same event sent at once, then 1.2 s later twice, then 1.2 s after that:
/// with a 1-second window, an id is remembered for one window and forgotten after two.
async fn forgotten_after_two_windows(server: &ServerProcess) -> Vec<(i64, i64)> {
    let id = uuid();
    let mut answers = vec![send(server, &id).await];
    tokio::time::sleep(std::time::Duration::from_millis(1_200)).await;
    answers.push(send(server, &id).await);
    answers.push(send(server, &id).await);
    tokio::time::sleep(std::time::Duration::from_millis(1_200)).await;
    answers.push(send(server, &id).await);
    answers
}

#[tokio::test]
async fn app_dedup_capacity_bounds_how_many_event_ids_are_remembered() {
    async fn first_forgotten(server: &ServerProcess) -> bool {
        let first = uuid();
        send(server, &first).await;
        for _ in 0..40 {
            let batch: Vec<Value> = (0..50).map(|_| event(&uuid())["events"][0].clone()).collect();
            assert_eq!(post_batch(server, &json!({"events": batch})).await, (50, 0));
        }
        send(server, &first).await == (1, 0)
    }
    let small = Launch::new().env("APP_DEDUP_CAPACITY", "64").start();
    assert!(first_forgotten(&small).await, "2,000 ids later, 64 remembered at most: the first is gone");
    let default = Launch::new().start();
    assert!(!first_forgotten(&default).await, "a million by default: still remembered");
}

#[tokio::test]
async fn app_auth_cognito_settings_send_sign_in_to_the_hosted_ui() {
    let server = with_cognito("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Conf")
        .env("APP_AUTH__COGNITO__LOGOUT_URL", "https://shop.example/bye")
        .start();
    let login = browser().get(server.url("/auth/login?return_to=%2Fcart")).send().await.unwrap();
    assert_eq!(login.status(), 303);
    let location = login.headers()["location"].to_str().unwrap();
    assert!(
        location.starts_with("https://lumen-conf.auth.eu-west-1.amazoncognito.com/oauth2/authorize?"),
        "{location}"
    );
    assert!(location.contains("client_id=conf-client"), "{location}");
    assert!(location.contains("redirect_uri=https%3A%2F%2Fshop.example%2Fauth%2Fcallback"), "{location}");
    let logout = browser().post(server.url("/auth/logout")).send().await.unwrap();
    assert_eq!(
        logout.headers()["location"],
        "https://lumen-conf.auth.eu-west-1.amazoncognito.com/logout?client_id=conf-client&logout_uri=https%3A%2F%2Fshop.example%2Fbye"
    );
    // The development provider is off.
    let dev = browser().post(server.url("/auth/dev/login")).form(&[("username", "admin"), ("password", "x")]).send();
    assert_eq!(dev.await.unwrap().status(), 404);
}

#[tokio::test]
async fn the_layers_apply_in_order_defaults_then_the_file_then_dotenv_and_the_environment() {
    // The file changes two defaults; `.env` overrides one of them; the environment
    // overrides `.env`.
    let launch = Launch::new()
        .file("shop.toml", "seed_catalog = false\nsecure_cookies = true\ndedup_window_secs = 1\n")
        .file(".env", "APP_SEED_CATALOG=true\nAPP_SECURE_COOKIES=false\n");
    let config = launch.path("shop.toml");
    let server = launch.env("APP_CONFIG_FILE", &config).env("APP_SECURE_COOKIES", "true").start();
    assert_eq!(catalog_count(&server).await, "28 pieces", ".env over the file");
    assert!(cart_cookie(&server).await.contains("; Secure"), "the environment over .env");
    assert_eq!(
        forgotten_after_two_windows(&server).await,
        [(1, 0), (0, 1), (0, 1), (1, 0)],
        "the file over the default: a 1-second window"
    );

    // The file alone.
    let launch = Launch::new().file("shop.toml", "seed_catalog = false\n");
    let config = launch.path("shop.toml");
    let server = launch.env("APP_CONFIG_FILE", &config).start();
    assert_eq!(catalog_count(&server).await, "0 pieces", "the file over the default");
}

#[tokio::test]
async fn a_wrong_setting_stops_start_up_with_an_error_that_names_it() {
    let refused = Launch::new().env("APP_DEDUP_CAPACITY", "lots").try_start().err().expect("it does not start");
    assert!(refused.0.is_some_and(|s| !s.success()), "a non-zero exit");
    assert!(refused.1.contains("dedup_capacity"), "{}", refused.1);
    let refused = Launch::new().env("APP_LOGS__LEVEL", "loud").try_start().err().expect("it does not start");
    assert!(refused.0.is_some_and(|s| !s.success()), "a non-zero exit");
    assert!(refused.1.contains("logs.level"), "{}", refused.1);
    let refused = Launch::new().env("APP_AUTH__PROVIDER", "cognito").try_start().err().expect("it does not start");
    assert!(refused.0.is_some_and(|s| !s.success()), "a non-zero exit");
    assert!(refused.1.contains("APP_AUTH__COGNITO__ISSUER"), "{}", refused.1);
    let launch = Launch::new();
    let missing = launch.path("missing.toml");
    let refused = launch.env("APP_CONFIG_FILE", &missing).try_start().err().expect("it does not start");
    assert!(refused.1.contains("missing"), "{}", refused.1);
}

/// `APP_MAIL__*`: a transport that is not one, SMTP without its server, a sender
/// that is not an address, each stop start-up naming the setting; an SMTP URL that
/// does not parse is refused without being quoted (it holds a password).
#[tokio::test]
async fn mail_settings_that_cannot_send_stop_start_up_naming_them() {
    let refused = |launch: Launch| launch.try_start().err().expect("it does not start").1;
    let output = refused(Launch::new().env("APP_MAIL__TRANSPORT", "pigeon"));
    assert!(output.contains("mail.transport"), "{output}");
    let output = refused(Launch::new().env("APP_MAIL__TRANSPORT", "smtp"));
    assert!(output.contains("APP_MAIL__SMTP_URL"), "{output}");
    let output = refused(Launch::new().env("APP_MAIL__FROM", "the shop"));
    assert!(output.contains("APP_MAIL__FROM"), "{output}");
    let output = refused(
        Launch::new().env("APP_MAIL__TRANSPORT", "smtp").env("APP_MAIL__SMTP_URL", "mailto://user:hunter2secret@mail"),
    );
    assert!(output.contains("APP_MAIL__SMTP_URL") && !output.contains("hunter2secret"), "{output}");
}

#[tokio::test]
async fn an_unknown_setting_stops_start_up_with_one_app_line_that_names_it() {
    // Today's names for yesterday's settings: a typo or a rename is not silently ignored.
    let refused = Launch::new()
        .env("APP_LOG_FILE", "shop.log")
        .env("APP_MEDIA__S3__BUKET", "images")
        .try_start()
        .err()
        .expect("it does not start");
    assert!(refused.0.is_some_and(|s| !s.success()), "a non-zero exit");
    let lines: Vec<String> = refused.1.lines().filter(|l| l.starts_with('{')).map(str::to_owned).collect();
    let errors = app_lines(&parse_lines(&lines), "ERROR");
    assert_eq!(errors.len(), 1, "one error line on stdout:\n{}", refused.1);
    let error = errors[0]["error"].as_str().unwrap();
    assert!(error.contains("`log_file`") && error.contains("`media.s3.buket`"), "{error}");
}

/// Serves `key`'s JWKS at `path` on a free port; answers the server's base URL.
async fn jwks_server(key: &jewelry_server::auth::dev_idp::SigningKey, path: &'static str) -> String {
    let jwks = key.jwks().clone();
    let routes = axum::Router::new().route(path, axum::routing::get(move || async move { axum::Json(jwks) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, routes).await.unwrap() });
    url
}

/// The `userLoginState` and `identitySource` of an event sent with this bearer token.
async fn identity_of_event(server: &ServerProcess, token: &str) -> (Value, Value) {
    let id = uuid();
    let sent =
        reqwest::Client::new().post(server.url("/events")).bearer_auth(token).json(&event(&id)).send().await.unwrap();
    assert_eq!(sent.status(), 200);
    let line = server.wait_for_line("clickstream", |l| l["eventId"] == id.as_str());
    (line["userLoginState"].clone(), line["identitySource"].clone())
}

fn id_token(key: &jewelry_server::auth::dev_idp::SigningKey, issuer: &str, client: &str) -> String {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    key.sign(&json!({"sub": "5e77c0de-0000-4000-8000-000000000009", "iss": issuer, "aud": client, "token_use": "id",
                     "iat": now, "exp": now + 600, "cognito:username": "operator"}))
        .unwrap()
}

/// The shop signing in through the pool `issuer` with the app client `conf-client`.
fn with_cognito(issuer: &str) -> Launch {
    Launch::new()
        .env("APP_AUTH__PROVIDER", "cognito")
        .env("APP_AUTH__COGNITO__ISSUER", issuer)
        .env("APP_AUTH__COGNITO__CLIENT_ID", "conf-client")
        .env("APP_AUTH__COGNITO__DOMAIN", "https://lumen-conf.auth.eu-west-1.amazoncognito.com")
        .env("APP_AUTH__COGNITO__REDIRECT_URL", "https://shop.example/auth/callback")
}

#[tokio::test]
async fn app_auth_cognito_issuer_client_id_and_jwks_url_decide_which_tokens_are_believed() {
    let key = jewelry_server::auth::dev_idp::SigningKey::generate().unwrap();
    let stub = jwks_server(&key, "/pool/.well-known/jwks.json").await;
    // No JWKS_URL: the keys are fetched from `<issuer>/.well-known/jwks.json`.
    let issuer = format!("{stub}/pool");
    let server = with_cognito(&issuer).start();
    let signed_in = (json!("signed_in"), json!("cognito"));
    assert_eq!(identity_of_event(&server, &id_token(&key, &issuer, "conf-client")).await, signed_in);
    let guest = (json!("guest"), json!("guest"));
    assert_eq!(identity_of_event(&server, &id_token(&key, &issuer, "another-client")).await, guest, "CLIENT_ID");
    let elsewhere = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other";
    assert_eq!(identity_of_event(&server, &id_token(&key, elsewhere, "conf-client")).await, guest, "ISSUER");

    // JWKS_URL: the keys are where it says, whatever the issuer's address.
    let keys = jwks_server(&key, "/keys.json").await;
    let issuer = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Conf";
    let server = with_cognito(issuer).env("APP_AUTH__COGNITO__JWKS_URL", format!("{keys}/keys.json")).start();
    assert_eq!(identity_of_event(&server, &id_token(&key, issuer, "conf-client")).await, signed_in);
}

/// The presigned URL an admin gets from a shop on S3 (no bucket needed: signing is local).
async fn presigned_url(server: &ServerProcess) -> String {
    let admin = server.sign_in(crate::auth::ADMIN).await;
    let form = [("product_id", "northern-hoops"), ("content_type", "image/png"), ("size", "68")];
    let (_, presigned) = server.call(&admin, "admin/images/presign", &form).await;
    presigned["url"].as_str().unwrap_or_else(|| panic!("{presigned}")).to_owned()
}

#[tokio::test]
async fn app_media_s3_settings_name_the_bucket_and_its_region() {
    let on_s3 = |region: Option<&str>| {
        let mut launch = Launch::new()
            .env("APP_MEDIA__STORE", "s3")
            .env("APP_MEDIA__S3__BUCKET", "lumen-conf-images")
            .env("APP_MEDIA__S3__CDN_BASE_URL", "https://d111111abcdef8.cloudfront.net")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
            .env("AWS_SECRET_ACCESS_KEY", "conf-test-secret-key-not-real")
            .env("AWS_EC2_METADATA_DISABLED", "true");
        if let Some(region) = region {
            launch = launch.env("APP_MEDIA__S3__REGION", region);
        }
        launch.start()
    };
    let server = on_s3(Some("eu-west-3"));
    let url = presigned_url(&server).await;
    assert!(url.starts_with("https://lumen-conf-images.s3.eu-west-3.amazonaws.com/products/northern-hoops/"), "{url}");
    assert!(url.contains("%2Feu-west-3%2Fs3%2Faws4_request"), "signed for the bucket's region: {url}");
    let log = server.stop().lines.join("\n");
    assert!(!log.contains("conf-test-secret-key-not-real"), "the secret key is never logged");

    let url = presigned_url(&on_s3(None)).await;
    assert!(url.contains("%2Fus-east-1%2Fs3%2Faws4_request"), "unset: the SDK's region: {url}");
}

#[tokio::test]
async fn app_public_url_is_the_address_robots_txt_and_the_sitemap_name() {
    let server = Launch::new().env("APP_PUBLIC_URL", "https://jewels.example/").start();
    let robots = reqwest::get(server.url("/robots.txt")).await.unwrap().text().await.unwrap();
    assert!(robots.contains("Sitemap: https://jewels.example/sitemap.xml"), "{robots}");
    let sitemap = reqwest::get(server.url("/sitemap.xml")).await.unwrap().text().await.unwrap();
    assert!(sitemap.contains("<loc>https://jewels.example/products/ember-ruby-band</loc>"), "{sitemap}");
    // Unset, the server names itself.
    let own = Launch::new().start();
    let robots = reqwest::get(own.url("/robots.txt")).await.unwrap().text().await.unwrap();
    assert!(robots.contains(&format!("Sitemap: {}/sitemap.xml", own.address)), "{robots}");
    // An address with a path is not an origin.
    let refused = Launch::new()
        .env("APP_PUBLIC_URL", "https://jewels.example/shop")
        .try_start()
        .err()
        .expect("it does not start");
    assert!(refused.1.contains("public_url"), "{}", refused.1);
}

#[tokio::test]
async fn app_insights_time_zone_is_where_the_insights_days_begin() {
    // UTC+14 all year: its day is rarely UTC's.
    let server = Launch::new().env("APP_INSIGHTS__TIME_ZONE", "Pacific/Kiritimati").start();
    let admin = server.sign_in(crate::auth::ADMIN).await;
    let day = || (time::OffsetDateTime::now_utc() + time::Duration::hours(14)).date().to_string();
    let before = day();
    let (status, report) = server.call(&admin, "admin/insights", &[("range", "today")]).await;
    let after = day();
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["time_zone"], "Pacific/Kiritimati");
    let today = report["to"].as_str().unwrap().to_owned();
    assert!(today == before || today == after, "{today}: the day in Kiritimati ({before})");
    let refused =
        Launch::new().env("APP_INSIGHTS__TIME_ZONE", "Mars/Olympus").try_start().err().expect("it does not start");
    assert!(refused.1.contains("APP_INSIGHTS__TIME_ZONE"), "{}", refused.1);
}

#[tokio::test]
async fn app_insights_retention_days_must_cover_the_longest_range() {
    let refused = Launch::new().env("APP_INSIGHTS__RETENTION_DAYS", "7").try_start().err().expect("it does not start");
    assert!(refused.0.is_some_and(|s| !s.success()), "a non-zero exit");
    assert!(refused.1.contains("APP_INSIGHTS__RETENTION_DAYS"), "{}", refused.1);
    let server = Launch::new().env("APP_INSIGHTS__RETENTION_DAYS", "30").start();
    assert_eq!(reqwest::get(server.url("/health")).await.unwrap().status(), 200);
}

#[tokio::test]
async fn app_privacy_log_retention_days_is_what_the_privacy_page_tells_shoppers() {
    let server = Launch::new().env("APP_PRIVACY__LOG_RETENTION_DAYS", "30").start();
    let page = |path: &'static str| {
        let url = server.url(path);
        async move { reqwest::get(url).await.unwrap().text().await.unwrap() }
    };
    let english = page("/en/privacy").await;
    assert!(
        english.contains("The shop's logs, analytics and the records of your choices included: 30 days."),
        "{english}"
    );
    let vietnamese = page("/privacy").await;
    assert!(vietnamese.contains(": 30 ngày."), "{vietnamese}");
    let (_, out) = Launch::new()
        .env("APP_PRIVACY__LOG_RETENTION_DAYS", "0")
        .try_start()
        .err()
        .expect("no retention at all is refused");
    assert!(out.contains("privacy.log_retention_days") || out.contains("APP_PRIVACY__LOG_RETENTION_DAYS"), "{out}");
}
