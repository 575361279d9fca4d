//! Every rejection reason, with tokens crafted for it.

use super::*;
use crate::auth::dev_idp::SigningKey;
use axum::Router;
use axum::routing::get;
use jsonwebtoken::{EncodingKey, Header};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

const ISSUER: &str = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TESTPOOL";
const CLIENT: &str = "shop-client";

/// Two keys, generated once for all tests: the pool's, and a stranger's.
fn keys() -> &'static (SigningKey, SigningKey) {
    static KEYS: OnceLock<(SigningKey, SigningKey)> = OnceLock::new();
    KEYS.get_or_init(|| (SigningKey::generate().unwrap(), SigningKey::generate().unwrap()))
}

fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

fn id_claims() -> Value {
    json!({
        "sub": "7d3c1f0e-1111-4222-8333-444455556666",
        "iss": ISSUER,
        "aud": CLIENT,
        "token_use": "id",
        "iat": now(),
        "exp": now() + 3600,
        "cognito:username": "ada",
        "cognito:groups": ["admin"],
        "email": "ada@example.com"
    })
}

fn with(mut claims: Value, key: &str, value: Value) -> Value {
    claims[key] = value;
    claims
}

fn signed(claims: &Value) -> String {
    keys().0.sign(claims).unwrap()
}

fn verifier() -> Verifier {
    Verifier::new(ISSUER.into(), vec![CLIENT.into()], IdentitySource::Cognito, Keys::Fixed(keys().0.jwks().clone()))
}

async fn reason(token: &str) -> Rejection {
    verifier().verify(token).await.expect_err("the token is refused")
}

fn b64(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

#[tokio::test]
async fn a_valid_id_token_proves_its_user() {
    let user = verifier().verify(&signed(&id_claims())).await.unwrap();
    assert_eq!(user.sub, "7d3c1f0e-1111-4222-8333-444455556666");
    assert_eq!(user.username, "ada");
    assert_eq!(user.email.as_deref(), Some("ada@example.com"));
    assert_eq!(user.source, IdentitySource::Cognito);
    assert!(user.is_admin());
}

#[tokio::test]
async fn a_valid_access_token_is_checked_on_client_id() {
    let access = json!({
        "sub": "u-2", "iss": ISSUER, "client_id": CLIENT, "token_use": "access",
        "iat": now(), "exp": now() + 600, "username": "grace", "scope": "openid email"
    });
    let user = verifier().verify(&signed(&access)).await.unwrap();
    assert_eq!((user.sub.as_str(), user.username.as_str(), user.is_admin()), ("u-2", "grace", false));
    let other_client = with(access, "client_id", json!("someone-else"));
    assert_eq!(reason(&signed(&other_client)).await, Rejection::WrongAudience);
}

#[tokio::test]
async fn expired() {
    let claims = with(with(id_claims(), "exp", json!(now() - 2 * LEEWAY_SECS as i64)), "iat", json!(now() - 7200));
    assert_eq!(reason(&signed(&claims)).await, Rejection::Expired);
    // Within the leeway it still counts.
    let just = with(id_claims(), "exp", json!(now() - 5));
    assert!(verifier().verify(&signed(&just)).await.is_ok());
}

#[tokio::test]
async fn bad_signature_from_another_key_with_the_same_kid() {
    let stranger = keys().1.sign(&id_claims()).unwrap();
    // Re-head the stranger's token with the pool's kid.
    let parts: Vec<&str> = stranger.split('.').collect();
    let forged =
        format!("{}.{}.{}", b64(&json!({"alg": "RS256", "typ": "JWT", "kid": keys().0.kid()})), parts[1], parts[2]);
    assert_eq!(reason(&forged).await, Rejection::BadSignature);
}

#[tokio::test]
async fn a_tampered_payload_breaks_the_signature() {
    let token = signed(&with(id_claims(), "cognito:groups", json!([])));
    let parts: Vec<&str> = token.split('.').collect();
    let promoted = b64(&id_claims()); // the same claims but in the admin group
    let tampered = format!("{}.{}.{}", parts[0], promoted, parts[2]);
    assert_eq!(reason(&tampered).await, Rejection::BadSignature);
}

#[tokio::test]
async fn wrong_issuer() {
    let other_pool = with(id_claims(), "iss", json!("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_OTHER"));
    assert_eq!(reason(&signed(&other_pool)).await, Rejection::WrongIssuer);
}

#[tokio::test]
async fn wrong_audience() {
    assert_eq!(reason(&signed(&with(id_claims(), "aud", json!("another-app")))).await, Rejection::WrongAudience);
    let mut no_aud = id_claims();
    no_aud.as_object_mut().unwrap().remove("aud");
    assert_eq!(reason(&signed(&no_aud)).await, Rejection::WrongAudience);
}

#[tokio::test]
async fn wrong_token_use() {
    assert_eq!(reason(&signed(&with(id_claims(), "token_use", json!("refresh")))).await, Rejection::WrongTokenUse);
    let mut none = id_claims();
    none.as_object_mut().unwrap().remove("token_use");
    assert_eq!(reason(&signed(&none)).await, Rejection::WrongTokenUse);
}

#[tokio::test]
async fn unknown_kid() {
    let token = keys().1.sign(&id_claims()).unwrap();
    assert_eq!(reason(&token).await, Rejection::UnknownKid);
}

#[tokio::test]
async fn alg_none_is_refused() {
    let token = format!("{}.{}.", b64(&json!({"alg": "none", "typ": "JWT"})), b64(&id_claims()));
    assert_eq!(reason(&token).await, Rejection::AlgNotAllowed);
    let token = format!("{}.{}.", b64(&json!({"typ": "JWT"})), b64(&id_claims()));
    assert_eq!(reason(&token).await, Rejection::AlgNotAllowed, "no alg at all");
}

#[tokio::test]
async fn hs256_signed_with_the_public_key_is_refused() {
    // The classic key confusion: the public key (which anyone can fetch) used as an HMAC secret.
    let public = serde_json::to_vec(keys().0.jwks()).unwrap();
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(keys().0.kid().to_owned());
    let token = jsonwebtoken::encode(&header, &id_claims(), &EncodingKey::from_secret(&public)).unwrap();
    assert_eq!(reason(&token).await, Rejection::AlgNotAllowed);
}

#[tokio::test]
async fn malformed() {
    for token in ["", "abc", "a.b", "a.b.c.d", "!!!.e30.sig"] {
        assert_eq!(reason(token).await, Rejection::Malformed, "{token:?}");
    }
    // A readable header naming a key nobody has is judged by its key first.
    let unknown_key = format!("{}.%%%.sig", b64(&json!({"alg": "RS256", "kid": "k"})));
    assert_eq!(reason(&unknown_key).await, Rejection::UnknownKid);
    assert_eq!(reason("not-a-token").await, Rejection::Malformed);
    let valid = signed(&id_claims());
    let payload_not_json =
        format!("{}.{}.{}", valid.split('.').next().unwrap(), URL_SAFE_NO_PAD.encode("oops"), "c2ln");
    assert_eq!(reason(&payload_not_json).await, Rejection::BadSignature);
}

#[tokio::test]
async fn issued_or_valid_only_in_the_future_is_refused() {
    let future_iat = with(id_claims(), "iat", json!(now() + 3 * LEEWAY_SECS as i64));
    assert_eq!(reason(&signed(&future_iat)).await, Rejection::Malformed);
    let future_nbf = with(id_claims(), "nbf", json!(now() + 3 * LEEWAY_SECS as i64));
    assert_eq!(reason(&signed(&future_nbf)).await, Rejection::Malformed);
}

/// A JWKS endpoint that counts its fetches and can switch to a new key set.
async fn jwks_server(initial: JwkSet) -> (String, Arc<std::sync::Mutex<JwkSet>>, Arc<AtomicUsize>) {
    let set = Arc::new(std::sync::Mutex::new(initial));
    let fetches = Arc::new(AtomicUsize::new(0));
    let (s, f) = (set.clone(), fetches.clone());
    let app = Router::new().route(
        "/.well-known/jwks.json",
        get(move || {
            let (s, f) = (s.clone(), f.clone());
            async move {
                f.fetch_add(1, Ordering::SeqCst);
                axum::Json(s.lock().unwrap().clone())
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/.well-known/jwks.json", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, set, fetches)
}

#[tokio::test]
async fn keys_are_fetched_once_cached_and_refetched_on_an_unknown_kid_at_most_once_a_minute() {
    let (url, set, fetches) = jwks_server(keys().0.jwks().clone()).await;
    let verifier = Verifier::new(
        ISSUER.into(),
        vec![CLIENT.into()],
        IdentitySource::Cognito,
        Keys::Url { url, client: reqwest::Client::new() },
    );
    let first = signed(&id_claims());
    let second = signed(&with(id_claims(), "email", json!("other@example.com")));
    assert!(verifier.verify(&first).await.is_ok());
    assert!(verifier.verify(&second).await.is_ok());
    assert_eq!(fetches.load(Ordering::SeqCst), 1, "one fetch serves many tokens");

    // The pool rotates to a new key: the first unknown kid refetches, within the
    // minute further unknown kids do not.
    *set.lock().unwrap() = keys().1.jwks().clone();
    let rotated = keys().1.sign(&id_claims()).unwrap();
    // The last fetch was just now, so the rotation is not seen yet...
    assert_eq!(verifier.verify(&rotated).await.unwrap_err(), Rejection::UnknownKid);
    assert_eq!(fetches.load(Ordering::SeqCst), 1, "no refetch within the minute");
    // ...until a minute has passed.
    verifier.cache.write().await.last_fetch = Some(Instant::now() - REFETCH_EVERY - Duration::from_secs(1));
    assert!(verifier.verify(&rotated).await.is_ok());
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
    let stranger = SigningKey::generate().unwrap().sign(&id_claims()).unwrap();
    assert_eq!(verifier.verify(&stranger).await.unwrap_err(), Rejection::UnknownKid);
    assert_eq!(fetches.load(Ordering::SeqCst), 2, "an attacker's kids cannot make it fetch in a loop");
}
