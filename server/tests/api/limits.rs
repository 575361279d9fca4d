//! Limits on every route: request bodies, slow clients, and requests that take
//! too long.

use crate::helpers::*;
use crate::process::Launch;
use std::io::{Read, Write};
use std::net::TcpStream;
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
