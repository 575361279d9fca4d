//! Order emails: written to the outbox with the order, delivered once by the
//! sender (an `.eml` file by default, SMTP here against a small server of the
//! tests' own), again once the transport is back, at most once more after a crash
//! between the server's acceptance and the mark, and once across two instances on
//! one PostgreSQL. No address or content in the logs.

use crate::helpers::*;
use crate::process::Launch;
use crate::variants::{browser, pool};
use jewelry_server::config::MailTransport;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// Runs once a message's data has arrived, before the server says it took it.
type Hook = Arc<dyn Fn() + Send + Sync>;

/// An SMTP server on 127.0.0.1 that takes every message and keeps it whole.
pub struct TestSmtp {
    pub port: u16,
    messages: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl TestSmtp {
    pub async fn start() -> TestSmtp {
        Self::start_on(0, None).await
    }

    pub async fn start_on(port: u16, hook: Option<Hook>) -> TestSmtp {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.expect("a port for SMTP");
        let port = listener.local_addr().unwrap().port();
        let messages = Arc::new(Mutex::new(Vec::new()));
        let task = tokio::spawn({
            let messages = messages.clone();
            async move {
                while let Ok((socket, _)) = listener.accept().await {
                    tokio::spawn(converse(socket, messages.clone(), hook.clone()));
                }
            }
        });
        TestSmtp { port, messages, task }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn messages(&self) -> Vec<String> {
        self.messages.lock().unwrap().clone()
    }

    /// Waits until `n` messages arrived (or 30 s), and answers them.
    pub async fn wait_for(&self, n: usize) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.messages().len() < n && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let messages = self.messages();
        assert!(messages.len() >= n, "{} of {n} emails arrived", messages.len());
        messages
    }
}

impl Drop for TestSmtp {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// One SMTP conversation, as RFC 5321 has it (no extensions offered).
async fn converse(socket: tokio::net::TcpStream, messages: Arc<Mutex<Vec<String>>>, hook: Option<Hook>) {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    let _ = write.write_all(b"220 test-smtp ready\r\n").await;
    while let Ok(Some(line)) = lines.next_line().await {
        let verb = line.split_whitespace().next().unwrap_or_default().to_ascii_uppercase();
        let answer: &[u8] = match verb.as_str() {
            "EHLO" | "HELO" => b"250 test-smtp\r\n",
            "DATA" => {
                let _ = write.write_all(b"354 go ahead\r\n").await;
                let mut data = Vec::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    if line == "." {
                        break;
                    }
                    // A line the client began with a dot has a second one before it.
                    match line.strip_prefix("..") {
                        Some(rest) => data.push(format!(".{rest}")),
                        None => data.push(line),
                    }
                }
                messages.lock().unwrap().push(data.join("\r\n"));
                if let Some(hook) = &hook {
                    hook();
                }
                b"250 2.0.0 queued\r\n"
            }
            "QUIT" => {
                let _ = write.write_all(b"221 bye\r\n").await;
                return;
            }
            _ => b"250 ok\r\n",
        };
        if write.write_all(answer).await.is_err() {
            return;
        }
    }
}

/// The header `name` of a message (unfolded).
fn header<'m>(message: &'m str, name: &str) -> Option<&'m str> {
    let prefix = format!("{name}: ");
    message.lines().take_while(|l| !l.is_empty()).find_map(|l| l.strip_prefix(prefix.as_str()))
}

async fn place_order(app: &TestApp) -> String {
    let shopper = browser();
    app.call_json_from(&shopper, "cart/add", &[("product_id", "northern-hoops"), ("quantity", "1")]).await;
    let placed = app.call_json_from(&shopper, "checkout", SHIPPING).await;
    placed["Placed"]["order_id"].as_str().unwrap_or_else(|| panic!("{placed}")).to_owned()
}

/// `(sent_at, attempts, last_error)` of each outbox row of the order.
async fn outbox_of(app: &TestApp, order_id: &str) -> Vec<(Option<String>, i64, Option<String>)> {
    sqlx::query_as("SELECT sent_at, attempts, last_error FROM email_outbox WHERE order_id = $1 ORDER BY created_at")
        .bind(order_id)
        .fetch_all(&pool(app).await)
        .await
        .unwrap()
}

async fn until(what: &str, mut check: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !check().await {
        assert!(Instant::now() < deadline, "{what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn an_order_and_its_shipment_are_emails_in_the_local_mailbox_in_the_orders_language() {
    let app = spawn_app().await;
    let order_id = place_order(&app).await;
    let mailbox = app.data_dir().join("mail");
    let files = |mailbox: &std::path::Path| -> Vec<std::path::PathBuf> {
        let mut files: Vec<_> = std::fs::read_dir(mailbox)
            .map(|d| d.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "eml")).collect())
            .unwrap_or_default();
        files.sort();
        files
    };
    until("the confirmation's file", async || files(&mailbox).len() == 1).await;
    let message = std::fs::read_to_string(&files(&mailbox)[0]).unwrap();
    assert_eq!(header(&message, "Subject"), Some(format!("Your Lumen Jewelry order {order_id}").as_str()));
    assert_eq!(header(&message, "To"), Some("ada@example.com"));
    assert!(header(&message, "Message-ID").is_some_and(|id| id.ends_with("@lumen.example>")), "{message}");
    assert!(message.contains("Content-Type: text/plain") && message.contains("Content-Type: text/html"));
    assert!(files(&mailbox)[0].file_name().unwrap().to_string_lossy().contains(&format!("{order_id}-order_placed")));

    // Shipped: the tracking number in the second email.
    let admin = app.other_browser_signed_in(crate::auth::ADMIN).await;
    for (version, to) in [("1", "confirmed"), ("2", "shipped")] {
        let moved = app
            .call_json_from(
                &admin,
                "admin/order/move",
                &[
                    ("input[order_id]", order_id.as_str()),
                    ("input[version]", version),
                    ("input[to]", to),
                    ("input[carrier]", "VNPost"),
                    ("input[tracking]", "EE123456789VN"),
                ],
            )
            .await;
        assert_eq!(moved["Moved"]["status"], to);
    }
    until("the confirmed and shipped emails' files", async || files(&mailbox).len() == 3).await;
    let shipped = files(&mailbox).into_iter().find(|f| f.to_string_lossy().ends_with("order_shipped.eml")).unwrap();
    let shipped = std::fs::read_to_string(shipped).unwrap();
    assert!(shipped.contains("EE123456789VN"), "{shipped}");
    let rows = outbox_of(&app, &order_id).await;
    assert_eq!(rows.len(), 3, "placed, confirmed and shipped");
    assert!(rows.iter().all(|(sent, attempts, _)| sent.is_some() && *attempts == 1), "{rows:?}");

    // The admins' mail page lists them, each with its file to download.
    let listed = app.call_json_from(&admin, "admin/mail", &[]).await;
    let kinds: Vec<&str> = listed.as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.len(), 3, "{listed}");
    assert!(kinds.contains(&"order_placed") && kinds.contains(&"order_confirmed") && kinds.contains(&"order_shipped"));
    let file = listed[0]["file"].as_str().expect("the file it was written to").to_owned();
    let (status, page) = app.get_html_from(&admin, "/admin/mail").await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!("href=\"/admin/mail/{file}\"")), "the file's link on the mail page");
    assert!(page.contains(&format!("href=\"/admin/orders/{order_id}\"")), "the order's link on the mail page");
    let download = admin.get(app.url(&format!("/admin/mail/{file}"))).send().await.unwrap();
    assert_eq!(download.status(), 200);
    assert_eq!(download.headers()["content-type"], "message/rfc822");
    assert_eq!(download.bytes().await.unwrap(), std::fs::read(mailbox.join(&file)).unwrap());
    assert_eq!(browser().get(app.url(&format!("/admin/mail/{file}"))).send().await.unwrap().status(), 401);
    let shopper = app.other_browser_signed_in(crate::auth::SHOPPER).await;
    assert_eq!(shopper.get(app.url(&format!("/admin/mail/{file}"))).send().await.unwrap().status(), 403);
    for name in ["..%2Fshop.db", ".secret.eml", "x.txt"] {
        let response = admin.get(app.url(&format!("/admin/mail/{name}"))).send().await.unwrap();
        assert_eq!(response.status(), 404, "{name}");
    }

    // The lines the order and its moves wrote hold neither the address nor the content.
    let log = app.raw_log();
    assert!(!log.contains("ada@example.com") && !log.contains("EE123456789VN"), "an address or content in the log");
}

#[tokio::test]
async fn an_email_whose_server_is_down_is_sent_once_it_is_back() {
    // A port nobody listens on yet.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let app = spawn_app_with(|s| {
        s.mail.transport = MailTransport::Smtp;
        s.mail.smtp_url = Some(format!("smtp://127.0.0.1:{port}").into());
    })
    .await;
    let order_id = place_order(&app).await;
    until("a failed attempt", async || {
        outbox_of(&app, &order_id).await.first().is_some_and(|(sent, attempts, _)| sent.is_none() && *attempts >= 1)
    })
    .await;
    let (_, _, error) = outbox_of(&app, &order_id).await.remove(0);
    assert_eq!(error.as_deref(), Some("smtp: no connection"));

    let server = TestSmtp::start_on(port, None).await;
    let messages = server.wait_for(1).await;
    assert!(header(&messages[0], "Subject").is_some_and(|s| s.contains(&order_id)));
    until("the email marked sent", async || outbox_of(&app, &order_id).await[0].0.is_some()).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(server.messages().len(), 1, "sent once");
}

/// The sender dies (SIGKILL) after the SMTP server took the message and before
/// the outbox says so: the restarted server sends it once more, with the same
/// Message-ID, and never a third time.
#[tokio::test]
async fn a_sender_killed_between_the_servers_acceptance_and_the_mark_sends_one_duplicate_with_the_same_message_id() {
    let pid: Arc<Mutex<Option<u32>>> = Arc::new(Mutex::new(None));
    let hook: Hook = {
        let pid = pid.clone();
        Arc::new(move || {
            if let Some(pid) = pid.lock().unwrap().take() {
                let status = std::process::Command::new("kill").args(["-KILL", &pid.to_string()]).status().unwrap();
                assert!(status.success());
            }
        })
    };
    let smtp = TestSmtp::start_on(0, Some(hook)).await;
    let launch = |dir: Option<&std::path::Path>| {
        let launch = Launch::new()
            .env("APP_MAIL__TRANSPORT", "smtp")
            .env("APP_MAIL__SMTP_URL", smtp.url())
            .env("APP_MAIL__LEASE_SECS", "2")
            .env("APP_DEFAULT_LOCALE", "en");
        match dir {
            Some(dir) => launch.env("APP_DATA_DIR", dir),
            None => launch,
        }
    };
    let first = launch(None).start();
    let data_dir = first.dir().join("data");
    *pid.lock().unwrap() = Some(first.pid());
    let client = browser();
    first.call(&client, "cart/add", &[("product_id", "northern-hoops"), ("quantity", "1")]).await;
    let (status, placed) = first.call(&client, "checkout", SHIPPING).await;
    assert_eq!(status, 200, "{placed}");
    smtp.wait_for(1).await;
    let stopped = first.wait_for_exit();
    assert!(!stopped.status.success(), "killed");

    let second = launch(Some(&data_dir)).start();
    let messages = smtp.wait_for(2).await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    let messages = if smtp.messages().len() > messages.len() { smtp.messages() } else { messages };
    assert_eq!(messages.len(), 2, "one duplicate, no more");
    assert_eq!(header(&messages[0], "Message-ID"), header(&messages[1], "Message-ID"), "the same Message-ID");
    assert_eq!(messages[0], messages[1], "the same message, byte for byte");
    let sent = second.wait_for_line("the resend", |l| l["message"] == "email sent");
    assert_eq!(
        (&sent["attempt"], &sent["transport"], &sent["kind"]),
        (&2.into(), &"smtp".into(), &"order_placed".into())
    );
    assert!(sent["outbox_id"].is_string(), "{sent}");
    // Sends are logged by outbox id: no address, no subject, in either run's lines.
    let order_id = placed["Placed"]["order_id"].as_str().unwrap();
    for line in stopped.lines.iter().chain(second.lines().iter().map(|l| l.to_string()).collect::<Vec<_>>().iter()) {
        assert!(!line.contains("ada@example.com"), "an address in {line}");
        assert!(!line.contains(&format!("order {order_id}")), "a subject in {line}");
    }
    drop(stopped);
}

/// Two servers on one PostgreSQL: each email is claimed, and sent, once.
#[tokio::test]
async fn two_servers_on_one_postgresql_send_each_email_once() {
    // The PostgreSQL pass's server, or in the SQLite pass the AWS profile's.
    let Ok(server_url) = std::env::var("TEST_POSTGRES_URL").or_else(|_| std::env::var("TEST_AWS_POSTGRES_URL")) else {
        return missing("TEST_POSTGRES_URL", "the two senders' test");
    };
    let database = fresh_postgres_database(&server_url).await;
    let smtp = TestSmtp::start().await;
    let launch = || {
        Launch::new()
            .env("APP_DATABASE_URL", &database)
            .env("APP_MAIL__TRANSPORT", "smtp")
            .env("APP_MAIL__SMTP_URL", smtp.url())
            .env("APP_DEFAULT_LOCALE", "en")
            .start()
    };
    let (a, b) = (launch(), launch());
    sqlx::any::install_default_drivers();
    let db = sqlx::AnyPool::connect(&database).await.unwrap();
    sqlx::query("UPDATE product_variants SET stock = 1000 WHERE product_id = 'ember-ruby-band'")
        .execute(&db)
        .await
        .unwrap();
    let mut orders = Vec::new();
    for i in 0..24 {
        let server = if i % 2 == 0 { &a } else { &b };
        let client = browser();
        server.call(&client, "cart/add", &[("product_id", "ember-ruby-band"), ("quantity", "1")]).await;
        let (status, placed) = server.call(&client, "checkout", SHIPPING).await;
        assert_eq!(status, 200, "{placed}");
        orders.push(placed["Placed"]["order_id"].as_str().unwrap().to_owned());
    }
    smtp.wait_for(24).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let messages = smtp.messages();
    assert_eq!(messages.len(), 24, "each email once");
    let mut ids: Vec<&str> = messages.iter().map(|m| header(m, "Message-ID").unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 24);
    for order in &orders {
        assert!(messages.iter().any(|m| header(m, "Subject").is_some_and(|s| s.contains(order.as_str()))), "{order}");
    }
}
