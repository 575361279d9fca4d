//! The database goes away under the running shop (PostgreSQL behind a proxy the
//! test takes down): pages and functions answer 503 with `Retry-After`, quickly,
//! and no such page is kept for after the database is back.

use crate::helpers::spawn_app_with;
use crate::proxy::Proxy;
use std::time::{Duration, Instant};

#[tokio::test]
async fn a_database_outage_is_answered_503_at_once_and_never_kept() {
    let Ok(server) = std::env::var("TEST_POSTGRES_URL") else {
        eprintln!("a_database_outage_is_answered_503_at_once_and_never_kept runs in the PostgreSQL pass");
        return;
    };
    let host = server.rsplit_once('@').unwrap().1.split('/').next().unwrap().to_owned();
    let proxy = Proxy::start(&format!("http://{host}"));
    let proxied = proxy.url.trim_start_matches("http://").to_owned();
    let app = spawn_app_with(|s| {
        let url = secrecy::ExposeSecret::expose_secret(s.database_url.as_ref().unwrap()).replace(&host, &proxied);
        s.database_url = Some(url.into());
        // Pages are kept for longer than the outage lasts.
        s.catalog_cache = Duration::from_secs(60);
    })
    .await;
    let pages = ["/", "/catalog", "/products/northern-hoops"];
    for path in pages {
        assert_eq!(app.get_html(path).await.0, 200, "{path} before the outage");
    }
    // A page not yet kept, and a function, during the outage. (A search is not
    // one: it is answered from the catalog's index, which `/catalog` kept.)
    proxy.down();
    for path in ["/catalog?category=rings&sort=newest", "/products/ember-ruby-band"] {
        let started = Instant::now();
        let response = app.client.get(app.url(path)).send().await.unwrap();
        let took = started.elapsed();
        assert_eq!(response.status(), 503, "{path}");
        assert_eq!(response.headers()["retry-after"], "5", "{path}");
        let page = response.text().await.unwrap();
        assert!(page.contains("not available right now"), "{path}: the shop's own page");
        assert!(took < Duration::from_secs(12), "{path} took {took:?}");
    }
    // Once it is known to be down, requests do not wait the pool's 10 s.
    let started = Instant::now();
    let response = app.call("cart/add", &[("product_id", "ember-ruby-band"), ("quantity", "1")]).await;
    assert_eq!(response.status(), 503);
    assert!(response.headers().contains_key("retry-after"));
    assert!(started.elapsed() < Duration::from_secs(3), "failed fast: {:?}", started.elapsed());

    proxy.up();
    for path in ["/catalog?category=rings&sort=newest", "/products/ember-ruby-band"] {
        let deadline = Instant::now() + Duration::from_secs(5);
        let status = loop {
            let status = app.get_html(path).await.0;
            if status == 200 || Instant::now() > deadline {
                break status;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        assert_eq!(status, 200, "{path}: the 503 page was not kept");
    }
}
