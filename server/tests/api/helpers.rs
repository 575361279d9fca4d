use jewelry_server::config::Settings;
use jewelry_server::logs::{LogSink, MemoryLog};
use jewelry_server::media::ObjectStore;
use jewelry_server::startup::Application;
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use tempfile::TempDir;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tokio::sync::{Mutex, MutexGuard};

/// Tests run their servers one at a time. Leptos keeps process-wide state (its
/// executor, bound once), and several servers on separate runtimes in one process
/// were seen to stall page renders now and then; one server per process, as in
/// production, never did (3,200 mixed page requests at 64 concurrent, none lost).
static ONE_SERVER_AT_A_TIME: Mutex<()> = Mutex::const_new(());

pub struct TestApp {
    pub address: String,
    /// Keeps cookies, like a browser.
    pub client: reqwest::Client,
    pub sink: LogSink,
    memory: MemoryLog,
    /// The test's own database.
    pub database_url: String,
    _data: TempDir,
    _turn: MutexGuard<'static, ()>,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// A server with its own data directory and a fresh, seeded database: SQLite in that
/// directory, or, when `TEST_POSTGRES_URL` names a PostgreSQL server (a role that
/// may create databases), a new database there.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    spawn(configure, None).await
}

/// A server whose images go to `store` (an S3 bucket on an emulator).
pub async fn spawn_app_with_store(store: Arc<dyn ObjectStore>) -> TestApp {
    spawn(|_| {}, Some(store)).await
}

async fn spawn(configure: impl FnOnce(&mut Settings), store: Option<Arc<dyn ObjectStore>>) -> TestApp {
    let turn = ONE_SERVER_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().expect("a temporary directory");
    // English at the plain addresses, which the tests written before the shop
    // spoke Vietnamese read; `languages.rs` tests the shipped default (Vietnamese).
    let mut settings =
        Settings { data_dir: data.path().to_path_buf(), default_locale: jewelry::Locale::En, ..Settings::default() };
    if let Ok(server) = std::env::var("TEST_POSTGRES_URL") {
        settings.database_url = Some(fresh_postgres_database(&server).await.into());
    }
    configure(&mut settings);
    let database_url = settings.database_url().expose_secret().to_owned();
    let (sink, memory) = LogSink::memory();
    settings.site.addr = "127.0.0.1:0".parse().ok();
    let app = match store {
        None => Application::build(settings, sink.clone()).await,
        Some(store) => Application::build_with_store(settings, sink.clone(), store, None).await,
    }
    .expect("the application starts");
    let address = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until(std::future::pending()));
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("integration-test/1.0")
        .timeout(std::time::Duration::from_secs(15))
        .build()
        .unwrap();
    TestApp { address, client, sink, memory, database_url, _data: data, _turn: turn }
}

/// The URL of a new, empty (unmigrated) database: on the PostgreSQL server
/// `TEST_POSTGRES_URL` names, or a SQLite file in `dir`.
pub async fn empty_database(dir: &std::path::Path) -> String {
    match std::env::var("TEST_POSTGRES_URL") {
        Ok(server) => fresh_postgres_database(&server).await,
        Err(_) => format!("sqlite://{}?mode=rwc", dir.join("shop.db").display()),
    }
}

/// A new database (as [`empty_database`]) with the schema an earlier release left:
/// every migration named before `first_new` run, none after. Answers its URL and a
/// pool on it.
pub async fn database_before(dir: &std::path::Path, first_new: &str) -> (String, sqlx::AnyPool) {
    sqlx::any::install_default_drivers();
    let url = empty_database(dir).await;
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    let earlier = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(migrations_of(&url)).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if name.as_str() < first_new {
            std::fs::copy(&path, earlier.path().join(&name)).unwrap();
        }
    }
    sqlx::migrate::Migrator::new(earlier.path()).await.unwrap().run(&pool).await.unwrap();
    (url, pool)
}

/// The shop's migrations for the database at `url`.
pub fn migrations_of(url: &str) -> std::path::PathBuf {
    let backend = if url.starts_with("sqlite:") { "sqlite" } else { "postgres" };
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(backend)
}

/// Creates an empty database on the PostgreSQL server at `server_url` and answers its URL.
pub async fn fresh_postgres_database(server_url: &str) -> String {
    use sqlx::Connection;
    let name = format!("shop_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(server_url).await.expect("TEST_POSTGRES_URL accepts connections");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("the test role may create databases");
    let (base, _) = server_url.rsplit_once('/').expect("a URL like postgres://user:password@host/database");
    format!("{base}/{name}")
}

impl TestApp {
    pub fn data_dir(&self) -> &std::path::Path {
        self._data.path()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn post_events(&self, body: &Value) -> reqwest::Response {
        self.post_events_raw("application/json", body.to_string(), &[]).await
    }

    /// POST /events with this content type, body and extra headers.
    pub async fn post_events_raw(
        &self,
        content_type: &str,
        body: impl Into<reqwest::Body>,
        headers: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut request = self.client.post(self.url("/events")).header("Content-Type", content_type).body(body);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.expect("POST /events")
    }

    /// Every line logged so far (after the writer has caught up).
    pub fn lines(&self) -> Vec<Value> {
        assert!(self.sink.flush(Duration::from_secs(10)), "the log writer keeps up");
        self.memory.lines()
    }

    pub fn raw_log(&self) -> String {
        assert!(self.sink.flush(Duration::from_secs(10)));
        self.memory.text()
    }

    pub fn lines_of(&self, log_type: &str) -> Vec<Value> {
        self.lines().into_iter().filter(|l| l["logType"] == log_type).collect()
    }

    /// Calls a server function as the app's forms do (URL-encoded arguments).
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.call_from(&self.client, endpoint, form).await
    }

    /// [`TestApp::call`] from another browser (its own cookies, or none).
    pub async fn call_from(
        &self,
        browser: &reqwest::Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        browser
            .post(self.url(&format!("/api/{endpoint}")))
            .header("Accept", "application/json")
            .form(form)
            .send()
            .await
            .expect("server function call")
    }

    pub async fn call_json(&self, endpoint: &str, form: &[(&str, &str)]) -> Value {
        self.call_json_from(&self.client, endpoint, form).await
    }

    /// [`TestApp::call_json`] from another browser.
    pub async fn call_json_from(&self, browser: &reqwest::Client, endpoint: &str, form: &[(&str, &str)]) -> Value {
        let response = self.call_from(browser, endpoint, form).await;
        let status = response.status();
        let text = response.text().await.unwrap();
        assert!(status.is_success(), "{endpoint} answered {status}: {text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{endpoint} answered non-JSON ({e}): {text}"))
    }

    pub async fn get_html(&self, path: &str) -> (u16, String) {
        self.get_html_from(&self.client, path).await
    }

    /// [`TestApp::get_html`] from another browser.
    pub async fn get_html_from(&self, browser: &reqwest::Client, path: &str) -> (u16, String) {
        let response = browser.get(self.url(path)).send().await.unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }
}

/// The URL of an emulator the tests need, from `variable`; `None` (the tests
/// return early) when unset, unless `TEST_REQUIRE_EMULATORS` is set, as
/// `scripts/test.sh` does: then a missing emulator fails the test.
pub fn emulator_url(variable: &str, what: &str) -> Option<String> {
    let url = std::env::var(variable).ok();
    if url.is_none() {
        missing(&format!("{variable} (the {what} emulator)"), &format!("the {what} tests"));
    }
    url
}

/// The AWS SDK's configuration for moto at `url`: any keys (moto checks none),
/// its region, and the server's own HTTP client. Every client the tests make for
/// moto is built from it.
pub fn moto_sdk(url: &str) -> aws_config::SdkConfig {
    use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region, SharedCredentialsProvider};
    aws_config::SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(url)
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new("test", "test", None, None, "tests")))
        .http_client(jewelry_server::aws::http_client())
        .build()
}

/// An emulator or tool the tests need is missing: a failure when
/// `TEST_REQUIRE_EMULATORS` is set, else a note of which tests did not run.
pub fn missing(what: &str, tests: &str) {
    assert!(
        std::env::var_os("TEST_REQUIRE_EMULATORS").is_none(),
        "{what} is missing, and TEST_REQUIRE_EMULATORS says it must be there"
    );
    eprintln!("{what} is missing: {tests} did not run (scripts/test.sh provides it)");
}

/// How many of product `id` are in stock, as its page's function says.
pub async fn stock_of(app: &TestApp, id: &str) -> i64 {
    let product = app.call_json("product", &[("id", id)]).await;
    product["summary"]["stock"].as_i64().unwrap()
}

/// A checkout form that passes every rule.
/// A checkout form filled in as a shopper in Vietnam does (the shop ships there by
/// default): province, ward, street; no postal code.
pub const SHIPPING: &[(&str, &str)] = &[
    ("input[email]", "ada@example.com"),
    ("input[full_name]", "Nguyễn Thị Ada"),
    ("input[phone]", "090 123 4567"),
    ("input[address_line1]", "12 Hàng Bạc"),
    ("input[address_line2]", ""),
    ("input[city]", "Phường Hoàn Kiếm"),
    ("input[region]", "Hà Nội"),
    ("input[postal_code]", ""),
    ("input[country]", "VN"),
    ("input[payment_method]", "cash_on_delivery"),
];

/// The same form for an address in the United Kingdom (for a shop that ships there).
pub const SHIPPING_GB: &[(&str, &str)] = &[
    ("input[email]", "ada@example.com"),
    ("input[full_name]", "Ada Lovelace"),
    ("input[phone]", "+44 20 7946 0958"),
    ("input[address_line1]", "12 St James's Square"),
    ("input[address_line2]", ""),
    ("input[city]", "London"),
    ("input[region]", ""),
    ("input[postal_code]", "SW1Y 4JH"),
    ("input[country]", "GB"),
    ("input[payment_method]", "cash_on_delivery"),
];

pub fn now_rfc3339() -> String {
    OffsetDateTime::now_utc().format(&Rfc3339).unwrap()
}

pub fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

pub const CLIENT_ID: &str = "11111111-2222-4333-8444-555555555555";
pub const SESSION_ID: &str = "66666666-7777-4888-9999-aaaaaaaaaaaa";

pub fn page_view() -> Value {
    json!({
        "eventId": uuid(),
        "eventName": "page_view",
        "eventTimestamp": now_rfc3339(),
        "clientId": CLIENT_ID,
        "sessionId": SESSION_ID,
        "urlPath": "/catalog?category=rings",
        "referrer": "https://search.example/",
        "locale": "vi"
    })
}

pub fn product_event(name: &str) -> Value {
    let mut e = page_view();
    e["eventName"] = json!(name);
    e["urlPath"] = json!("/products/aurora-solitaire-ring");
    e["product"] = json!({
        "productId": "aurora-solitaire-ring", "name": "Aurora Solitaire Ring", "category": "rings",
        "brand": "Aurelia", "price": 2450.0, "discountPrice": 2300.0, "currency": "USD"
    });
    if name == "add_to_cart" {
        e["product"]["quantity"] = json!(2);
        e["product"]["variantId"] = json!("aurora-solitaire-ring");
        e["product"]["sku"] = json!("AURORA-SOLITAIRE-RING");
    }
    e
}

pub fn checkout_start() -> Value {
    let mut e = page_view();
    e["eventName"] = json!("checkout_start");
    e["urlPath"] = json!("/checkout");
    e["cart"] = json!({"items": [
        {"productId": "aurora-solitaire-ring", "variantId": "aurora-solitaire-ring", "sku": "AURORA-SOLITAIRE-RING", "quantity": 2, "price": 2300.0}
    ], "value": 4600.0, "currency": "USD"});
    e
}

pub fn checkout_complete() -> Value {
    let mut e = page_view();
    e["eventName"] = json!("checkout_complete");
    e["urlPath"] = json!("/checkout");
    e["order"] = json!({"orderId": "JW-0000000042", "items": [
        {"productId": "blush-eternity-band", "variantId": "blush-eternity-band:12:platinum", "sku": "BEB-12-PT", "quantity": 1, "price": 2300.0},
        {"productId": "blush-eternity-band", "variantId": "blush-eternity-band:14:platinum", "sku": "BEB-14-PT", "quantity": 1, "price": 2300.0}
    ], "value": 4600.0, "currency": "USD"});
    e
}

pub fn all_five() -> Vec<Value> {
    vec![
        page_view(),
        product_event("product_view"),
        product_event("add_to_cart"),
        checkout_start(),
        checkout_complete(),
    ]
}

/// Every key a clickstream line carries (the contract's, then this project's extras).
pub const CLICKSTREAM_KEYS: &[&str] = &[
    "timestamp",
    "level",
    "logType",
    "eventId",
    "eventName",
    "eventTimestamp",
    "userId",
    "clientId",
    "sessionId",
    "userLoginState",
    "identitySource",
    "productId",
    "variantId",
    "sku",
    "name",
    "category",
    "brand",
    "price",
    "discountPrice",
    "urlPath",
    "locale",
    "utmSource",
    "utmMedium",
    "utmCampaign",
    "utmTerm",
    "utmContent",
    "referrerHost",
    "items",
    "path",
    "method",
    "statusCode",
    "latencyMs",
    "userAgent",
    "isBot",
    "sourceIp",
    "requestId",
];
