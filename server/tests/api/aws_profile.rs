//! The AWS profile on the built binary, as an operator runs it: settings and the
//! database password from Secrets Manager (moto, `TEST_MOTO_URL`), PostgreSQL
//! (`TEST_AWS_POSTGRES_URL`, a role that may create roles and databases), images on
//! SeaweedFS. Each test makes its own secrets, roles and database.

use crate::helpers::{emulator_url, moto_sdk};
use crate::process::{Launch, ServerProcess, parse_lines};
use crate::s3::{Bucket, bucket};
use aws_sdk_secretsmanager::Client;
use serde_json::{Value, json};
use sqlx::{Connection, PgConnection};
use std::time::{Duration, Instant};

const CDN: &str = "https://d3aws9profile.cloudfront.net";

/// What the tests need: moto, a PostgreSQL role that may create roles, SeaweedFS.
struct Emulators {
    moto: String,
    secrets: Client,
    postgres: String,
    bucket: Bucket,
}

async fn emulators() -> Option<Emulators> {
    let moto = emulator_url("TEST_MOTO_URL", "AWS (moto)")?;
    let postgres = emulator_url("TEST_AWS_POSTGRES_URL", "PostgreSQL for the AWS profile")?;
    let bucket = bucket().await?;
    let secrets = Client::new(&moto_sdk(&moto));
    Some(Emulators { moto, secrets, postgres, bucket })
}

fn token() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// A login role of its own with a database it owns, for one test.
struct Database {
    role: String,
    name: String,
    admin_url: String,
}

impl Emulators {
    async fn admin(&self) -> PgConnection {
        PgConnection::connect(&self.postgres).await.expect("TEST_AWS_POSTGRES_URL accepts connections")
    }

    async fn database(&self, password: &str) -> Database {
        let id = &token()[..12];
        let (role, name) = (format!("shop_rot_{id}"), format!("shop_test_aws_{id}"));
        let mut admin = self.admin().await;
        for statement in [
            format!("CREATE ROLE {role} LOGIN PASSWORD '{password}'"),
            // Membership lets the test role make the database the new role's and end its connections.
            format!("GRANT {role} TO CURRENT_USER"),
            format!("CREATE DATABASE {name} OWNER {role}"),
        ] {
            sqlx::query(&statement).execute(&mut admin).await.unwrap_or_else(|e| panic!("{statement}: {e}"));
        }
        Database { role, name, admin_url: self.postgres.clone() }
    }

    async fn create_secret(&self, value: &str) -> String {
        let name = format!("shop/{}", token());
        self.secrets.create_secret().name(&name).secret_string(value).send().await.expect("moto creates a secret");
        name
    }

    async fn put_secret(&self, name: &str, value: &str) {
        self.secrets.put_secret_value().secret_id(name).secret_string(value).send().await.expect("a new version");
    }

    /// The binary in the AWS profile: the SDK's standard variables point it at the
    /// emulators, and the two secret ids are all it is told.
    fn launch(&self, config_id: &str, db_password_id: &str, database_url: &str) -> Launch {
        Launch::new()
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_ENDPOINT_URL", &self.moto)
            .env("AWS_ENDPOINT_URL_S3", &self.bucket.url)
            // moto takes any keys; SeaweedFS only its own.
            .env("AWS_ACCESS_KEY_ID", std::env::var("TEST_S3_ACCESS_KEY").unwrap())
            .env("AWS_SECRET_ACCESS_KEY", std::env::var("TEST_S3_SECRET_KEY").unwrap())
            .env("APP_SECRETS__CONFIG_ID", config_id)
            .env("APP_SECRETS__DB_PASSWORD_ID", db_password_id)
            .env("APP_DATABASE_URL", database_url)
            // Every page reads the database here: these tests follow its connections.
            .env("APP_CATALOG_CACHE_SECS", "0")
    }

    fn app_config(&self) -> String {
        json!({"media": {"store": "s3", "s3": {"bucket": self.bucket.name, "cdn_base_url": CDN, "force_path_style": true}}})
            .to_string()
    }
}

impl Database {
    /// `postgres://<user>@127.0.0.1:<port>/<db>`: no password, as the AWS profile wants it.
    fn url_without_password(&self, user: &str) -> String {
        let rest = self.admin_url.split_once('@').expect("a URL with a host").1;
        let host = rest.split('/').next().unwrap();
        format!("postgres://{user}@{host}/{}", self.name)
    }

    async fn admin(&self) -> PgConnection {
        PgConnection::connect(&self.admin_url).await.unwrap()
    }

    async fn run(&self, statement: &str) {
        sqlx::query(statement).execute(&mut self.admin().await).await.unwrap_or_else(|e| panic!("{statement}: {e}"));
    }

    /// Ends every connection `user` has to this database, as a failover or
    /// `pg_terminate_backend` after a rotation does; answers how many there were.
    async fn end_connections_of(&self, user: &str) -> i64 {
        let (ended,): (i64,) = sqlx::query_as(
            "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = $1 AND datname = $2",
        )
        .bind(user)
        .bind(&self.name)
        .fetch_one(&mut self.admin().await)
        .await
        .unwrap();
        ended
    }

    async fn connections_of(&self, user: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM pg_stat_activity WHERE usename = $1 AND datname = $2")
            .bind(user)
            .bind(&self.name)
            .fetch_one(&mut self.admin().await)
            .await
            .unwrap();
        n
    }
}

async fn catalog_status(server: &ServerProcess) -> (u16, String) {
    let response = reqwest::get(server.url("/en/catalog")).await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

fn pieces(html: &str) -> String {
    let at = html.find("class=\"result-count\"").expect("the catalog's count");
    html[at..].split('>').nth(1).unwrap().split('<').next().unwrap().to_owned()
}

#[tokio::test]
async fn starts_from_both_secrets_with_the_password_and_the_bucket_found_only_there() {
    let Some(aws) = emulators().await else { return };
    let password = format!("pw-{}", token());
    let db = aws.database(&password).await;
    let config_id = aws.create_secret(&aws.app_config()).await;
    let password_id = aws.create_secret(&password).await;
    let server = aws.launch(&config_id, &password_id, &db.url_without_password(&db.role)).start();

    // The password exists only in the secret; the shop answers from that database.
    let (status, html) = catalog_status(&server).await;
    assert_eq!((status, pieces(&html).as_str()), (200, "28 pieces"));
    let (products,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM products")
        .fetch_one(
            &mut PgConnection::connect(&db.url_without_password(&db.role).replace('@', &format!(":{password}@")))
                .await
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(products, 28, "the seeded catalog is in the role's own database");

    // The bucket and the CDN come only from APP_CONFIG.
    let admin = server.sign_in(crate::auth::ADMIN).await;
    let bytes = crate::uploads::png();
    let size = bytes.len().to_string();
    let form = [("product_id", "northern-hoops"), ("content_type", "image/png"), ("size", size.as_str())];
    let (_, presigned) = server.call(&admin, "admin/images/presign", &form).await;
    let url = presigned["url"].as_str().unwrap_or_else(|| panic!("{presigned}"));
    assert!(url.starts_with(&format!("{}/{}/products/northern-hoops/", aws.bucket.url, aws.bucket.name)), "{url}");
    assert_eq!(crate::uploads::put(url, "image/png", bytes).await.status(), 200);
    let key = presigned["key"].as_str().unwrap();
    let (status, image) = server
        .call(&admin, "admin/images/attach", &[("product_id", "northern-hoops"), ("key", key), ("alt", "Hoops")])
        .await;
    assert_eq!((status, image["image"]["url"].as_str()), (200, Some(format!("{CDN}/{key}").as_str())));

    let log = server.stop().lines.join("\n");
    assert!(!log.contains(&password), "the database password is never logged");
}

/// Starts the binary with these secrets and answers its exit and its JSON lines.
async fn refused_start(launch: Launch) -> (Duration, Vec<Value>, String) {
    let started = Instant::now();
    let (status, output) = launch.try_start().err().expect("the server does not start");
    let took = started.elapsed();
    assert!(status.is_some_and(|s| !s.success()), "a non-zero exit: {status:?}\n{output}");
    let lines: Vec<String> = output.lines().map(str::to_owned).filter(|l| l.starts_with('{')).collect();
    (took, parse_lines(&lines), output)
}

#[tokio::test]
async fn each_bad_secret_stops_start_up_within_30_s_with_one_line_naming_it_and_not_its_value() {
    let Some(aws) = emulators().await else { return };
    const VALUE: &str = "hunter2-c0nfidential";
    let db = aws.database("unused-password").await;
    let good_config = aws.create_secret(&aws.app_config()).await;
    let good_password = aws.create_secret("unused-password").await;
    let url = db.url_without_password(&db.role);

    let missing = format!("shop/missing-{}", token());
    let not_json = aws.create_secret(&format!("{{\"media\": {VALUE}")).await;
    let unknown_key = aws.create_secret(&json!({"media": {"bukket": VALUE}}).to_string()).await;
    let wrong_type = aws.create_secret(&json!({"seed_catalog": VALUE}).to_string()).await;
    let no_password = aws.create_secret(&json!({"username": VALUE}).to_string()).await;
    let with_password = url.replace('@', &format!(":{VALUE}@"));
    let cases: Vec<(&str, Launch, &str, &str)> = vec![
        ("a missing APP_CONFIG", aws.launch(&missing, &good_password, &url), &missing, "ResourceNotFoundException"),
        (
            "APP_CONFIG not JSON",
            aws.launch(&not_json, &good_password, &url),
            &not_json,
            "is not JSON: it has a syntax error at line 1, column 11",
        ),
        (
            "an unknown key",
            aws.launch(&unknown_key, &good_password, &url),
            &unknown_key,
            "does not know: `media.bukket`",
        ),
        (
            "a wrong type",
            aws.launch(&wrong_type, &good_password, &url),
            &wrong_type,
            "a wrong value at `seed_catalog` (expected a boolean)",
        ),
        ("a missing DB_PASSWORD", aws.launch(&good_config, &missing, &url), &missing, "ResourceNotFoundException"),
        (
            "DB_PASSWORD without a password",
            aws.launch(&good_config, &no_password, &url),
            &no_password,
            "has no `password`",
        ),
        (
            "a URL with a password",
            aws.launch(&good_config, &good_password, &with_password),
            &good_password,
            "holds a password too",
        ),
    ];
    // The URL with a password comes from the APP_CONFIG secret, not the variable:
    // the error names the secret, where the operator must look.
    let mut config_with_url: Value = serde_json::from_str(&aws.app_config()).unwrap();
    config_with_url["database_url"] = json!(with_password);
    let config_with_url = aws.create_secret(&config_with_url.to_string()).await;
    let (_, lines, output) =
        refused_start(aws.launch(&config_with_url, &good_password, &url).without("APP_DATABASE_URL")).await;
    let error = lines.iter().find(|l| l["level"] == "ERROR").and_then(|l| l["error"].as_str()).unwrap_or_default();
    assert!(
        error.contains(&format!("`database_url` in the APP_CONFIG secret `{config_with_url}` holds a password too")),
        "names the layer the URL came from: {error}"
    );
    assert!(!error.contains("APP_DATABASE_URL") && !output.contains(VALUE), "{output}");
    for (case, launch, id, problem) in cases {
        let (took, lines, output) = refused_start(launch).await;
        assert!(took < Duration::from_secs(30), "{case}: stopped after {took:?}");
        let errors: Vec<&Value> = lines.iter().filter(|l| l["logType"] == "app" && l["level"] == "ERROR").collect();
        assert_eq!(errors.len(), 1, "{case}: one error line:\n{output}");
        let error = errors[0]["error"].as_str().unwrap_or_default();
        assert!(error.contains(&format!("`{id}`")), "{case}: names the secret: {error}");
        assert!(error.contains(problem), "{case}: says what is wrong ({problem}): {error}");
        assert!(!output.contains(VALUE), "{case}: the value is not printed:\n{output}");
    }
}

/// Waits until the catalog answers 200; answers how many tries it took and
/// every status seen.
async fn catalog_keeps_working(server: &ServerProcess) -> Vec<u16> {
    let mut seen = Vec::new();
    for _ in 0..20 {
        let (status, _) = catalog_status(server).await;
        seen.push(status);
        if status == 200 {
            return seen;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("the catalog never recovered: {seen:?}");
}

#[tokio::test]
async fn single_user_rotation_a_refused_password_reads_the_secret_again_and_pages_keep_working() {
    let Some(aws) = emulators().await else { return };
    let old = format!("old-{}", token());
    let db = aws.database(&old).await;
    let config_id = aws.create_secret(&aws.app_config()).await;
    let password_id = aws.create_secret(&old).await;
    // The scheduled read is an hour away: only the refusal can bring the new password.
    let server = aws
        .launch(&config_id, &password_id, &db.url_without_password(&db.role))
        .env("APP_SECRETS__REFRESH_SECS", "3600")
        .start();
    assert_eq!(catalog_status(&server).await.0, 200);

    // The rotation: the new password in PostgreSQL and in the secret, then the
    // app's connections end.
    let new = format!("new-{}", token());
    db.run(&format!("ALTER ROLE {} PASSWORD '{new}'", db.role)).await;
    aws.put_secret(&password_id, &new).await;
    assert!(db.end_connections_of(&db.role).await > 0, "the app had connections to end");

    let statuses = catalog_keeps_working(&server).await;
    assert_eq!(statuses, [200], "the first page after the rotation already works");
    let refreshed = server.wait_for_line("a DB_PASSWORD refresh", |l| {
        l["message"].as_str().is_some_and(|m| m.starts_with("DB_PASSWORD has a new version"))
    });
    assert_eq!(refreshed["reason"], "refused", "{refreshed}");
    assert!(db.connections_of(&db.role).await > 0, "connected again with the new password");
    let log = server.stop().lines.join("\n");
    assert!(!log.contains(&old) && !log.contains(&new), "no password is logged");
}

#[tokio::test]
async fn alternating_users_rotation_the_scheduled_read_moves_new_connections_to_the_other_user() {
    let Some(aws) = emulators().await else { return };
    let first = format!("first-{}", token());
    let db = aws.database(&first).await;
    let clone = format!("{}_clone", db.role);
    let config_id = aws.create_secret(&aws.app_config()).await;
    let password_id = aws.create_secret(&json!({"username": db.role, "password": first}).to_string()).await;
    // No user in the URL: the secret names it.
    let server = aws
        .launch(&config_id, &password_id, &db.url_without_password(&db.role).replace(&format!("{}@", db.role), ""))
        .env("APP_SECRETS__REFRESH_SECS", "1")
        .start();
    assert_eq!(catalog_status(&server).await.0, 200);

    // The rotation makes the clone (with the first user's rights) and points the
    // secret at it; the scheduled read picks it up.
    let second = format!("second-{}", token());
    db.run(&format!("CREATE ROLE {clone} LOGIN PASSWORD '{second}' IN ROLE {}", db.role)).await;
    db.run(&format!("GRANT {clone} TO CURRENT_USER")).await;
    aws.put_secret(&password_id, &json!({"username": clone, "password": second}).to_string()).await;
    let refreshed = server.wait_for_line("a scheduled DB_PASSWORD refresh", |l| {
        l["message"].as_str().is_some_and(|m| m.starts_with("DB_PASSWORD has a new version"))
    });
    assert_eq!(refreshed["reason"], "scheduled", "{refreshed}");

    // The next rotation changes the first user's password; its connections end.
    db.run(&format!("ALTER ROLE {} PASSWORD 'rotated-away-{}'", db.role, token())).await;
    db.end_connections_of(&db.role).await;
    assert_eq!(catalog_keeps_working(&server).await, [200], "pages work through the switch");
    assert!(db.connections_of(&clone).await > 0, "new connections are the clone's");
    assert_eq!(db.connections_of(&db.role).await, 0, "none are the first user's");
    let log = server.stop().lines.join("\n");
    assert!(!log.contains(&first) && !log.contains(&second), "no password is logged");
    assert!(!log.contains("\"reason\":\"refused\""), "the scheduled read came before any refusal:\n{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_database_sell_the_last_piece_once_and_lose_no_cart_update() {
    let Some(aws) = emulators().await else { return };
    let password = format!("pw-{}", token());
    let db = aws.database(&password).await;
    let config_id = aws.create_secret(&aws.app_config()).await;
    let password_id = aws.create_secret(&password).await;
    let url = db.url_without_password(&db.role);
    let a = aws.launch(&config_id, &password_id, &url).start();
    // The second instance finds the database migrated and seeded, and seeds nothing.
    let b = aws.launch(&config_id, &password_id, &url).start();
    let instances = [&a, &b];
    let owner_url = url.replace('@', &format!(":{password}@"));
    let mut owner = PgConnection::connect(&owner_url).await.unwrap();
    let (products,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM products").fetch_one(&mut owner).await.unwrap();
    assert_eq!(products, 28, "seeded once");

    // The last piece: eight shoppers hold it in their carts, four on each instance,
    // and check out at the same moment.
    sqlx::query("UPDATE product_variants SET stock = 1 WHERE id = 'northern-hoops'").execute(&mut owner).await.unwrap();
    let shoppers: Vec<(reqwest::Client, &ServerProcess)> =
        (0..8).map(|i| (reqwest::Client::builder().cookie_store(true).build().unwrap(), instances[i % 2])).collect();
    for (client, server) in &shoppers {
        let (status, cart) =
            server.call(client, "cart/add", &[("product_id", "northern-hoops"), ("quantity", "1")]).await;
        assert_eq!(status, 200, "{cart}");
    }
    let outcomes = futures_util::future::join_all(
        shoppers.iter().map(|(client, server)| server.call(client, "checkout", crate::helpers::SHIPPING)),
    )
    .await;
    let placed = outcomes.iter().filter(|(_, o)| o.get("Placed").is_some()).count();
    assert_eq!(placed, 1, "sold once: {outcomes:?}");
    let (stock,): (i64,) = sqlx::query_as("SELECT stock FROM product_variants WHERE id = 'northern-hoops'")
        .fetch_one(&mut owner)
        .await
        .unwrap();
    assert_eq!(stock, 0);
    let (sold,): (i64,) = sqlx::query_as(
        "SELECT COALESCE(SUM(quantity), 0)::BIGINT FROM order_lines WHERE product_id = 'northern-hoops'",
    )
    .fetch_one(&mut owner)
    .await
    .unwrap();
    assert_eq!(sold, 1, "one order line for the one piece");

    // One cart, changed through both instances at once: 24 adds of one each, to
    // three pieces, half on each instance.
    let shopper = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let pieces = ["ember-ruby-band", "tidewater-sapphire-ring", "lilac-amethyst-ring"];
    let (status, _) = a.call(&shopper, "cart/add", &[("product_id", "ember-ruby-band"), ("quantity", "1")]).await;
    assert_eq!(status, 200);
    let adds = (1..24).map(|i| {
        let server = instances[i % 2];
        let piece = pieces[i % 3];
        let shopper = &shopper;
        async move { server.call(shopper, "cart/add", &[("product_id", piece), ("quantity", "1")]).await }
    });
    for (status, body) in futures_util::future::join_all(adds).await {
        assert_eq!(status, 200, "{body}");
    }
    let (_, cart) = b.call(&shopper, "cart", &[]).await;
    let mut quantities: Vec<(String, i64)> = cart["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["product"]["id"].as_str().unwrap().to_owned(), l["quantity"].as_i64().unwrap()))
        .collect();
    quantities.sort();
    let mut expected: Vec<(String, i64)> = pieces.iter().map(|p| (p.to_string(), 8)).collect();
    expected.sort();
    assert_eq!(quantities, expected, "no update lost: {cart}");
}
