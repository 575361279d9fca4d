//! Limits on every route: request bodies, slow clients, and requests that take
//! too long.

use crate::helpers::*;
use crate::process::Launch;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Duration;

/// Everything the server sends on `stream` until it closes it (or 60 s pass).
fn read_until_closed(mut stream: TcpStream) -> String {
    stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => panic!("the server held the connection open: {e}"),
        }
    }
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn a_form_body_over_256_kib_is_refused_with_413() {
    let app = spawn_app().await;
    let big = "x".repeat(300 * 1024);
    let refused = app.call("cart/add", &[("product_id", big.as_str()), ("quantity", "1")]).await;
    assert_eq!(refused.status(), 413);
    let fits = app.call("cart/add", &[("product_id", "northern-hoops"), ("quantity", "1")]).await;
    assert_eq!(fits.status(), 200);
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_disconnected() {
    let server = Launch::new().start();
    let mut stream = TcpStream::connect(server.address.trim_start_matches("http://")).unwrap();
    stream.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow").unwrap();
    let answer = read_until_closed(stream);
    assert!(!answer.contains("200 OK"), "no page for half a request: {answer}");
}

#[tokio::test]
async fn a_request_whose_body_never_arrives_is_answered_408() {
    let server = Launch::new().start();
    let mut stream = TcpStream::connect(server.address.trim_start_matches("http://")).unwrap();
    let head = "POST /api/cart/add HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n\
                Content-Length: 100\r\n\r\nproduct_id=";
    stream.write_all(head.as_bytes()).unwrap();
    let answer = read_until_closed(stream);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    let line = server.wait_for_line("request", |l| l["path"] == "/api/cart/add");
    assert_eq!(line["statusCode"], 408);
}

/// An HTTP/2 client that makes one request over `io` and then sends nothing (it
/// still answers the server's pings): the server closes the connection once it has
/// had no request for the idle timeout (2 s here), and not before.
async fn quiet_h2_client<T>(io: T, authority: &str, scheme: &str)
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (mut client, connection) = h2::client::handshake(io).await.expect("an HTTP/2 connection");
    let connection = tokio::spawn(connection);
    let request = http::Request::get(format!("{scheme}://{authority}/health")).body(()).unwrap();
    let (response, _) = client.send_request(request, true).unwrap();
    assert_eq!(response.await.expect("an answer over HTTP/2").status(), 200);
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert!(!connection.is_finished(), "still open within the idle timeout");
    let closed = tokio::time::timeout(Duration::from_secs(10), connection).await;
    assert!(closed.is_ok(), "an HTTP/2 connection quiet for the idle timeout is closed");
    drop(client);
}

#[tokio::test]
async fn a_quiet_h2c_connection_is_closed_after_the_idle_timeout() {
    let server = Launch::new().env("APP_IDLE_TIMEOUT_SECS", "2").start();
    let authority = server.address.trim_start_matches("http://").to_owned();
    let tcp = tokio::net::TcpStream::connect(&authority).await.unwrap();
    quiet_h2_client(tcp, &authority, "http").await;
}

#[tokio::test]
async fn a_quiet_http2_connection_over_tls_is_closed_after_the_idle_timeout() {
    use tokio_rustls::rustls::{self, pki_types::CertificateDer, pki_types::pem::PemObject};
    let server = Launch::new().env("APP_TLS__SELF_SIGNED", "true").env("APP_IDLE_TIMEOUT_SECS", "2").start();
    let cert = CertificateDer::from_pem_file(server.dir().join("data/tls/self-signed-cert.pem")).unwrap();
    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert).unwrap();
    let mut config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec()];
    let authority = server.address.trim_start_matches("https://").to_owned();
    let tcp = tokio::net::TcpStream::connect(&authority).await.unwrap();
    let name = rustls::pki_types::ServerName::try_from("127.0.0.1").unwrap();
    let tls = tokio_rustls::TlsConnector::from(Arc::new(config)).connect(name, tcp).await.unwrap();
    assert_eq!(tls.get_ref().1.alpn_protocol(), Some(&b"h2"[..]), "HTTP/2 negotiated");
    quiet_h2_client(tls, &authority, "https").await;
}
