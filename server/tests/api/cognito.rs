//! Cognito: real tokens from moto's user pools (when `TEST_MOTO_URL` names a
//! running `moto_server`), and the hosted-UI code flow with PKCE against a
//! stand-in authorization server.

use crate::helpers::*;
use axum::Router;
use axum::extract::State;
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jewelry::identity::IdentitySource;
use jewelry_server::auth::dev_idp::SigningKey;
use jewelry_server::auth::verify::{Keys, Rejection, Verifier};
use jewelry_server::config::{AuthSettings, CognitoSettings};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A user pool on moto: its id, an app client, and a signed-in user's tokens.
struct MotoPool {
    moto: String,
    pool_id: String,
    client_id: String,
    id_token: String,
    access_token: String,
}

async fn cognito_call(moto: &str, target: &str, body: Value) -> Value {
    let response = reqwest::Client::new()
        .post(format!("{moto}/"))
        .header("Content-Type", "application/x-amz-json-1.1")
        .header("X-Amz-Target", format!("AWSCognitoIdentityProviderService.{target}"))
        // moto reads the region from the credential scope; it checks no signature.
        .header(
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=test/20261126/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=0",
        )
        .body(body.to_string())
        .send()
        .await
        .unwrap_or_else(|e| panic!("moto {target}: {e}"));
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(status.is_success(), "moto {target} answered {status}: {text}");
    if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap() }
}

async fn moto_pool(moto: &str, name: &str, groups: &[&str]) -> MotoPool {
    let pool = cognito_call(moto, "CreateUserPool", json!({"PoolName": name})).await;
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_owned();
    let client = cognito_call(
        moto,
        "CreateUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientName": "shop", "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}),
    )
    .await;
    let client_id = client["UserPoolClient"]["ClientId"].as_str().unwrap().to_owned();
    let password = format!("Pw-{}-aA1!", uuid::Uuid::new_v4().simple());
    cognito_call(
        moto,
        "AdminCreateUser",
        json!({"UserPoolId": pool_id, "Username": "ada", "TemporaryPassword": password, "MessageAction": "SUPPRESS"}),
    )
    .await;
    cognito_call(
        moto,
        "AdminSetUserPassword",
        json!({"UserPoolId": pool_id, "Username": "ada", "Password": password, "Permanent": true}),
    )
    .await;
    for group in groups {
        cognito_call(moto, "CreateGroup", json!({"UserPoolId": pool_id, "GroupName": group})).await;
        cognito_call(
            moto,
            "AdminAddUserToGroup",
            json!({"UserPoolId": pool_id, "Username": "ada", "GroupName": group}),
        )
        .await;
    }
    let auth = cognito_call(
        moto,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id, "AuthParameters": {"USERNAME": "ada", "PASSWORD": password}}),
    )
    .await;
    let result = &auth["AuthenticationResult"];
    MotoPool {
        moto: moto.to_owned(),
        id_token: result["IdToken"].as_str().unwrap().to_owned(),
        access_token: result["AccessToken"].as_str().unwrap().to_owned(),
        pool_id,
        client_id,
    }
}

impl MotoPool {
    /// moto signs with AWS's issuer while serving the keys locally: two settings.
    fn issuer(&self) -> String {
        format!("https://cognito-idp.us-east-1.amazonaws.com/{}", self.pool_id)
    }

    fn jwks_url(&self) -> String {
        format!("{}/{}/.well-known/jwks.json", self.moto, self.pool_id)
    }

    fn verifier(&self) -> Verifier {
        Verifier::new(
            self.issuer(),
            vec![self.client_id.clone()],
            IdentitySource::Cognito,
            Keys::Url { url: self.jwks_url(), client: reqwest::Client::new() },
        )
    }

    fn sub(&self) -> String {
        let payload = self.id_token.split('.').nth(1).unwrap();
        let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
        claims["sub"].as_str().unwrap().to_owned()
    }
}

fn moto_url() -> Option<String> {
    emulator_url("TEST_MOTO_URL", "moto Cognito")
}

#[tokio::test]
async fn real_cognito_tokens_from_moto_are_accepted_with_their_identity() {
    let Some(moto) = moto_url() else { return };
    let pool = moto_pool(&moto, "shop", &["admin"]).await;
    let verifier = pool.verifier();
    let user = verifier.verify(&pool.id_token).await.expect("moto's id token is valid");
    assert_eq!(user.sub, pool.sub());
    assert_eq!(user.username, "ada");
    assert_eq!(user.source, IdentitySource::Cognito);
    assert!(user.is_admin(), "cognito:groups carries the admin role");
    let from_access = verifier.verify(&pool.access_token).await.expect("moto's access token is valid");
    assert_eq!(from_access.sub, user.sub);
}

#[tokio::test]
async fn a_token_from_another_pool_is_refused() {
    let Some(moto) = moto_url() else { return };
    let ours = moto_pool(&moto, "shop", &[]).await;
    let theirs = moto_pool(&moto, "elsewhere", &[]).await;
    assert_eq!(ours.verifier().verify(&theirs.id_token).await.unwrap_err(), Rejection::WrongIssuer);
}

#[tokio::test]
async fn events_sent_with_a_moto_token_are_logged_as_the_cognito_user() {
    let Some(moto) = moto_url() else { return };
    let pool = moto_pool(&moto, "shop", &[]).await;
    let app = spawn_app_with(|s| {
        s.auth = AuthSettings::Cognito(CognitoSettings {
            issuer: pool.issuer(),
            jwks_url: pool.jwks_url(),
            client_id: pool.client_id.clone(),
            client_secret: None,
            domain: "https://shop.auth.us-east-1.amazoncognito.com".into(),
            redirect_url: "http://127.0.0.1/auth/callback".into(),
            logout_url: None,
        });
    })
    .await;
    let response = app
        .post_events_raw(
            "application/json",
            json!({"events": [page_view()]}).to_string(),
            &[("Authorization", &format!("Bearer {}", pool.id_token))],
        )
        .await;
    assert_eq!(response.status(), 200);
    let line = &app.lines_of("clickstream")[0];
    assert_eq!(line["userId"], pool.sub().as_str());
    assert_eq!(line["identitySource"], "cognito");
    assert_eq!(line["userLoginState"], "signed_in");
}

/// A stand-in for Cognito's authorization server: the JWKS and the token endpoint,
/// which checks the PKCE verifier against the challenge the browser was sent with.
struct StandIn {
    url: String,
    challenge: Arc<Mutex<Option<String>>>,
}

/// The app client's secret the stand-in requires (HTTP Basic), when it has one.
const NO_SECRET: Option<&str> = None;

const STAND_IN_ISSUER: &str = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_STANDIN";
const STAND_IN_CLIENT: &str = "shop-client";

#[derive(Clone)]
struct StandInState {
    key: Arc<SigningKey>,
    challenge: Arc<Mutex<Option<String>>>,
    client_secret: Option<String>,
}

async fn token_endpoint(
    State(state): State<StandInState>,
    headers: axum::http::HeaderMap,
    body: String,
) -> (axum::http::StatusCode, axum::Json<Value>) {
    if let Some(secret) = &state.client_secret {
        let expected = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{STAND_IN_CLIENT}:{secret}"))
        );
        if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(expected.as_str()) {
            return (axum::http::StatusCode::UNAUTHORIZED, axum::Json(json!({"error": "invalid_client"})));
        }
    }
    let form: HashMap<String, String> = url_decode(&body);
    let verifier = form.get("code_verifier").cloned().unwrap_or_default();
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let expected = state.challenge.lock().unwrap().clone();
    let good = form.get("grant_type").map(String::as_str) == Some("authorization_code")
        && form.get("code").map(String::as_str) == Some("good-code")
        && form.get("client_id").map(String::as_str) == Some(STAND_IN_CLIENT)
        && expected.as_deref() == Some(challenge.as_str());
    if !good {
        return (axum::http::StatusCode::BAD_REQUEST, axum::Json(json!({"error": "invalid_grant"})));
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let id_token = state
        .key
        .sign(&json!({"sub": "c0ffee00-0000-4000-8000-000000000001", "iss": STAND_IN_ISSUER, "aud": STAND_IN_CLIENT,
                      "token_use": "id", "iat": now, "exp": now + 3600, "cognito:username": "grace",
                      "email": "grace@example.com"}))
        .unwrap();
    (
        axum::http::StatusCode::OK,
        axum::Json(json!({"id_token": id_token, "access_token": "opaque", "expires_in": 3600, "token_type": "Bearer"})),
    )
}

fn url_decode(body: &str) -> HashMap<String, String> {
    body.split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (percent_decode(k), percent_decode(v)))
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.replace('+', " ").into_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

async fn stand_in() -> StandIn {
    stand_in_requiring(NO_SECRET).await
}

async fn stand_in_requiring(client_secret: Option<&str>) -> StandIn {
    let key = Arc::new(SigningKey::generate().unwrap());
    let challenge = Arc::new(Mutex::new(None));
    let jwks = key.jwks().clone();
    let app = Router::new()
        .route("/pool/.well-known/jwks.json", get(move || async move { axum::Json(jwks) }))
        .route("/oauth2/token", post(token_endpoint))
        .with_state(StandInState {
            key,
            challenge: challenge.clone(),
            client_secret: client_secret.map(str::to_owned),
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    StandIn { url, challenge }
}

/// The shop configured for the stand-in authorization server.
fn stand_in_settings(idp: &StandIn) -> CognitoSettings {
    CognitoSettings {
        issuer: STAND_IN_ISSUER.into(),
        jwks_url: format!("{}/pool/.well-known/jwks.json", idp.url),
        client_id: STAND_IN_CLIENT.into(),
        client_secret: None,
        domain: idp.url.clone(),
        redirect_url: "https://shop.example/auth/callback".into(),
        logout_url: Some("https://shop.example/".into()),
    }
}

fn query_param(url: &str, name: &str) -> String {
    url.split(['?', '&']).find_map(|p| p.strip_prefix(&format!("{name}="))).map(percent_decode).unwrap_or_default()
}

#[tokio::test]
async fn the_hosted_ui_code_flow_with_pkce_signs_the_shopper_in() {
    let idp = stand_in().await;
    let app = spawn_app_with(|s| {
        s.auth = AuthSettings::Cognito(stand_in_settings(&idp));
    })
    .await;

    // /auth/login sends the browser to the hosted UI with a state and an S256 challenge.
    let login = app.client.get(app.url("/auth/login?return_to=%2Fcart")).send().await.unwrap();
    assert_eq!(login.status(), 303);
    let location = login.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(&format!("{}/oauth2/authorize?response_type=code", idp.url)), "{location}");
    assert_eq!(query_param(&location, "client_id"), STAND_IN_CLIENT);
    assert_eq!(query_param(&location, "code_challenge_method"), "S256");
    let state = query_param(&location, "state");
    *idp.challenge.lock().unwrap() = Some(query_param(&location, "code_challenge"));

    // A forged state is refused, and nothing is signed in.
    let forged = app.client.get(app.url("/auth/callback?code=good-code&state=forged")).send().await.unwrap();
    assert_eq!(forged.headers()["location"], "/signin?error=cognito");
    assert_eq!(app.lines_of("auth").last().unwrap()["reason"], "state_mismatch");
    let set: Vec<&str> = forged.headers().get_all("set-cookie").iter().map(|c| c.to_str().unwrap()).collect();
    assert!(set.iter().all(|c| !c.starts_with("jw_id=")), "no id cookie: {set:?}");
    assert!(set.iter().all(|c| c.contains("Max-Age=0")), "a cookie is only ever cleared here: {set:?}");
    assert_eq!(app.call("account", &[]).await.status(), 401, "nobody is signed in");

    // A forged state clears the flow; start again and come back properly.
    let login = app.client.get(app.url("/auth/login?return_to=%2Fcart")).send().await.unwrap();
    let location = login.headers()["location"].to_str().unwrap().to_owned();
    *idp.challenge.lock().unwrap() = Some(query_param(&location, "code_challenge"));
    let state_now = query_param(&location, "state");
    assert_ne!(state_now, state, "every sign-in has its own state");
    let back =
        app.client.get(app.url(&format!("/auth/callback?code=good-code&state={state_now}"))).send().await.unwrap();
    assert_eq!(back.status(), 303);
    assert_eq!(back.headers()["location"], "/cart");
    let signed_in = app.lines_of("auth").into_iter().find(|l| l["action"] == "sign_in").expect("a sign_in line");
    assert_eq!(signed_in["identitySource"], "cognito");
    assert_eq!(signed_in["userId"], "c0ffee00-0000-4000-8000-000000000001");

    app.post_events(&json!({"events": [page_view()]})).await;
    let line = &app.lines_of("clickstream")[0];
    assert_eq!(
        (line["identitySource"].as_str(), line["userLoginState"].as_str()),
        (Some("cognito"), Some("signed_in"))
    );

    // Signing out goes through Cognito's logout and back to the shop.
    let out = app.client.post(app.url("/auth/logout")).send().await.unwrap();
    assert_eq!(
        out.headers()["location"].to_str().unwrap(),
        format!("{}/logout?client_id={STAND_IN_CLIENT}&logout_uri=https%3A%2F%2Fshop.example%2F", idp.url)
    );
    let cleared: Vec<&str> = out.headers().get_all("set-cookie").iter().map(|c| c.to_str().unwrap()).collect();
    assert!(cleared.iter().any(|c| c.starts_with("jw_id=;") && c.contains("Max-Age=0")), "{cleared:?}");
    let out_line = app.lines_of("auth").into_iter().find(|l| l["action"] == "sign_out").expect("a sign_out line");
    assert_eq!(out_line["userId"], "c0ffee00-0000-4000-8000-000000000001");
    assert_eq!(out_line["identitySource"], "cognito");
    assert_eq!(app.call("account", &[]).await.status(), 401, "signed out here too");
}

#[tokio::test]
async fn a_code_exchanged_without_the_right_verifier_signs_nobody_in() {
    let idp = stand_in().await;
    let app = spawn_app_with(|s| {
        s.auth = AuthSettings::Cognito(stand_in_settings(&idp));
    })
    .await;
    let login = app.client.get(app.url("/auth/login")).send().await.unwrap();
    let location = login.headers()["location"].to_str().unwrap().to_owned();
    // The authorization server expects another challenge: the verifier will not match.
    *idp.challenge.lock().unwrap() = Some("some-other-challenge".into());
    let state = query_param(&location, "state");
    let back = app.client.get(app.url(&format!("/auth/callback?code=good-code&state={state}"))).send().await.unwrap();
    assert_eq!(back.headers()["location"], "/signin?error=cognito");
    assert!(back.headers().get_all("set-cookie").iter().all(|c| !c.to_str().unwrap().starts_with("jw_id=ey")));
    assert_eq!(app.lines_of("auth").last().unwrap()["reason"], "token_exchange_failed");
}

#[tokio::test]
async fn an_app_client_with_a_secret_signs_in_and_the_secret_never_reaches_the_log() {
    let secret = format!("client-secret-{}", uuid());
    let idp = stand_in_requiring(Some(&secret)).await;
    let with_secret = |s: &mut jewelry_server::config::Settings, secret: &str| {
        s.auth = AuthSettings::Cognito(CognitoSettings {
            client_secret: Some(secret.to_owned().into()),
            ..stand_in_settings(&idp)
        });
    };
    let sign_in = |app: &TestApp| {
        let app_client = app.client.clone();
        let login_url = app.url("/auth/login?return_to=%2Faccount");
        let challenge = idp.challenge.clone();
        let callback = app.url("/auth/callback");
        async move {
            let login = app_client.get(login_url).send().await.unwrap();
            let location = login.headers()["location"].to_str().unwrap().to_owned();
            *challenge.lock().unwrap() = Some(query_param(&location, "code_challenge"));
            let state = query_param(&location, "state");
            app_client.get(format!("{callback}?code=good-code&state={state}")).send().await.unwrap()
        }
    };
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{STAND_IN_CLIENT}:{secret}"));

    let app = spawn_app_with(|s| with_secret(s, &secret)).await;
    let back = sign_in(&app).await;
    assert_eq!(back.headers()["location"], "/account", "the token endpoint took the secret");
    assert_eq!(app.lines_of("auth").last().unwrap()["action"], "sign_in");
    let log = app.raw_log();
    assert!(!log.contains(&secret) && !log.contains(&basic), "the secret is not in the log");
    drop(app);

    // A wrong secret is refused by the authorization server; the log says so, without it.
    let wrong = format!("wrong-secret-{}", uuid());
    let app = spawn_app_with(|s| with_secret(s, &wrong)).await;
    let back = sign_in(&app).await;
    assert_eq!(back.headers()["location"], "/signin?error=cognito");
    assert_eq!(app.lines_of("auth").last().unwrap()["reason"], "token_exchange_failed");
    let log = app.raw_log();
    assert!(!log.contains(&wrong) && !log.contains(&secret), "no secret in the log: {log}");
}

#[tokio::test]
async fn a_cognito_shopper_who_deletes_their_account_is_deleted_from_the_user_pool() {
    let Some(moto) = moto_url() else { return };
    let pool = moto_pool(&moto, "deleting", &[]).await;
    let user = cognito_call(&moto, "AdminGetUser", json!({"UserPoolId": pool.pool_id, "Username": "ada"})).await;
    assert_eq!(user["Username"], "ada", "{user}");
    let server = crate::process::Launch::new()
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ENDPOINT_URL", &moto)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("APP_AUTH__PROVIDER", "cognito")
        .env("APP_AUTH__COGNITO__ISSUER", pool.issuer())
        .env("APP_AUTH__COGNITO__JWKS_URL", pool.jwks_url())
        .env("APP_AUTH__COGNITO__CLIENT_ID", &pool.client_id)
        .env("APP_AUTH__COGNITO__DOMAIN", "https://deleting.auth.us-east-1.amazoncognito.com")
        .env("APP_AUTH__COGNITO__REDIRECT_URL", "http://127.0.0.1/auth/callback")
        .start();
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let bearer = format!("Bearer {}", pool.id_token);
    let data = client.get(server.url("/account/data")).header("Authorization", &bearer).send().await.unwrap();
    assert_eq!(data.status(), 200);
    assert_eq!(data.json::<Value>().await.unwrap()["account"]["identityProvider"], "cognito");
    let deleted = client
        .post(server.url("/account/delete"))
        .header("Authorization", &bearer)
        .form(&[("confirm", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 303, "{}", deleted.text().await.unwrap_or_default());
    let location = deleted.headers()["location"].to_str().unwrap();
    assert!(location.starts_with("https://deleting.auth.us-east-1.amazoncognito.com/logout?"), "{location}");
    // Gone from the pool.
    let gone = reqwest::Client::new()
        .post(format!("{moto}/"))
        .header("Content-Type", "application/x-amz-json-1.1")
        .header("X-Amz-Target", "AWSCognitoIdentityProviderService.AdminGetUser")
        .header(
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=test/20261126/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=0",
        )
        .body(json!({"UserPoolId": pool.pool_id, "Username": "ada"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 400);
    assert!(gone.text().await.unwrap().contains("UserNotFoundException"));
    let line =
        server.wait_for_line("crud", |l| l["logType"] == "crud" && l["entity"] == "account" && l["action"] == "delete");
    assert_eq!(line["entityId"], json!(pool.sub()));
}
