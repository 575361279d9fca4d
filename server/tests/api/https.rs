//! HTTPS served by the binary: the development certificate, the operator's files
//! (read again when they change), HSTS and `Secure` cookies on TLS, and the
//! plain-HTTP port that redirects.

use crate::process::{Launch, ServerProcess, browser};
use std::path::Path;
use std::time::{Duration, Instant};

/// A client that trusts only the certificate in `cert_file`.
fn trusting(cert_file: &Path) -> reqwest::Client {
    let pem = std::fs::read(cert_file).expect("the certificate file");
    reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(15))
        .build()
        .unwrap()
}

/// A certificate and key for 127.0.0.1, written as `<name>-cert.pem` and `<name>-key.pem`.
fn certificate(dir: &Path, name: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let made = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
    let (cert, key) = (dir.join(format!("{name}-cert.pem")), dir.join(format!("{name}-key.pem")));
    std::fs::write(&cert, made.cert.pem()).unwrap();
    std::fs::write(&key, made.signing_key.serialize_pem()).unwrap();
    (cert, key)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn add_to_cart(client: &reqwest::Client, server: &ServerProcess) -> reqwest::Response {
    let form = [("product_id", "northern-hoops"), ("quantity", "1")];
    let added = client.post(server.url("/api/cart/add")).form(&form).send().await.unwrap();
    assert_eq!(added.status(), 200);
    added
}

#[tokio::test]
async fn app_tls_self_signed_serves_https_with_hsts_and_secure_cookies() {
    let server = Launch::new().env("APP_TLS__SELF_SIGNED", "true").start();
    assert!(server.address.starts_with("https://127.0.0.1:"), "{}", server.address);
    let cert = server.dir().join("data/tls/self-signed-cert.pem");
    let client = trusting(&cert);
    let home = client.get(server.url("/")).send().await.expect("a TLS connection the certificate verifies");
    assert_eq!(home.status(), 200);
    assert_eq!(home.headers()["strict-transport-security"], "max-age=31536000");
    let added = add_to_cart(&client, &server).await;
    let cookie = added.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("; Secure"), "Secure without APP_SECURE_COOKIES: {cookie}");
    // Plain HTTP on the TLS port gets no page.
    let plain = server.address.replace("https://", "http://");
    let answer = browser().get(format!("{plain}/")).send().await;
    assert!(answer.is_err() || !answer.unwrap().status().is_success(), "plain HTTP is not served on the TLS port");

    // The next start keeps the certificate browsers were told to trust.
    let first = std::fs::read(&cert).unwrap();
    let stopped = server.stop();
    let data = stopped.dir().join("data");
    let again = Launch::new().env("APP_TLS__SELF_SIGNED", "true").env("APP_DATA_DIR", &data).start();
    assert_eq!(std::fs::read(data.join("tls/self-signed-cert.pem")).unwrap(), first);
    assert_eq!(trusting(&cert).get(again.url("/health")).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn over_plain_http_there_is_no_hsts_and_cookies_are_not_secure() {
    let server = Launch::new().start();
    let home = browser().get(server.url("/")).send().await.unwrap();
    assert!(home.headers().get("strict-transport-security").is_none());
    let added = add_to_cart(&browser(), &server).await;
    assert!(!added.headers()["set-cookie"].to_str().unwrap().contains("Secure"));
    // A client's own X-Forwarded-Proto is not believed: no proxy is trusted.
    let claimed = browser().get(server.url("/")).header("X-Forwarded-Proto", "https").send().await.unwrap();
    assert!(claimed.headers().get("strict-transport-security").is_none());
}

#[tokio::test]
async fn behind_a_trusted_proxy_x_forwarded_proto_https_brings_hsts() {
    let server = Launch::new().env("APP_TRUSTED_PROXIES", "127.0.0.1/32").start();
    let forwarded = browser().get(server.url("/")).header("X-Forwarded-Proto", "https").send().await.unwrap();
    assert_eq!(forwarded.headers()["strict-transport-security"], "max-age=31536000");
    let plain = browser().get(server.url("/")).header("X-Forwarded-Proto", "http").send().await.unwrap();
    assert!(plain.headers().get("strict-transport-security").is_none());
}

#[tokio::test]
async fn app_tls_redirect_addr_sends_plain_http_to_the_same_path_over_https() {
    let port = free_port();
    let server = Launch::new()
        .env("APP_TLS__SELF_SIGNED", "true")
        .env("APP_TLS__REDIRECT_ADDR", format!("127.0.0.1:{port}"))
        .start();
    let tls_port = server.address.rsplit(':').next().unwrap().to_owned();
    let deadline = Instant::now() + Duration::from_secs(10);
    let answer = loop {
        match browser().get(format!("http://127.0.0.1:{port}/products/northern-hoops?from=mail")).send().await {
            Ok(answer) => break answer,
            Err(e) if Instant::now() > deadline => panic!("the redirect port never answered: {e}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    };
    assert_eq!(answer.status(), 308);
    assert_eq!(answer.headers()["location"], format!("https://127.0.0.1:{tls_port}/products/northern-hoops?from=mail"));
}

#[tokio::test]
async fn app_tls_cert_file_is_served_and_read_again_when_it_changes() {
    let launch = Launch::new();
    let (cert, key) = certificate(launch.dir.path(), "first");
    let server = launch.env("APP_TLS__CERT_FILE", &cert).env("APP_TLS__KEY_FILE", &key).start();
    let first = trusting(&cert);
    assert_eq!(first.get(server.url("/health")).send().await.unwrap().status(), 200);

    // A renewal: new files in place of the old, picked up without a restart.
    let (renewed_cert, renewed_key) = certificate(server.dir(), "renewed");
    std::fs::rename(&renewed_key, &key).unwrap();
    std::fs::rename(&renewed_cert, &cert).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        // A fresh connection each time: open ones keep the certificate they began with.
        let fresh = trusting(&cert);
        if fresh.get(server.url("/health")).send().await.is_ok_and(|r| r.status() == 200) {
            break;
        }
        assert!(Instant::now() < deadline, "the renewed certificate was not served within 30 s");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let line = server.wait_for_line("app", |l| l["message"] == "serving the renewed TLS certificate");
    assert_eq!(line["level"], "INFO");
}

#[tokio::test]
async fn tls_settings_that_do_not_fit_together_stop_start_up_naming_them() {
    let launch = Launch::new();
    let (cert, _) = certificate(launch.dir.path(), "lonely");
    let refused = launch.env("APP_TLS__CERT_FILE", &cert).try_start().err().expect("it does not start");
    assert!(refused.1.contains("APP_TLS__KEY_FILE"), "{}", refused.1);
    let refused = Launch::new()
        .env("APP_TLS__REDIRECT_ADDR", "127.0.0.1:0")
        .try_start()
        .err()
        .expect("a redirect to HTTPS needs HTTPS");
    assert!(refused.1.contains("APP_TLS__REDIRECT_ADDR"), "{}", refused.1);
}
