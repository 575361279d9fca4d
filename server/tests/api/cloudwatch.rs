//! Every log line in CloudWatch Logs with nothing lost: the built binary shipping
//! to moto (`TEST_MOTO_URL`) through a proxy the tests take down, read back with
//! `FilterLogEvents`. moto keeps its state in memory, so an outage is the proxy's,
//! never a restart of moto.

use crate::helpers::{CLIENT_ID, SESSION_ID, emulator_url, moto_sdk, now_rfc3339, uuid};
use crate::process::{Launch, ServerProcess};
use crate::proxy::Proxy;
use aws_sdk_cloudwatchlogs::Client;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::{Duration, Instant};

struct Moto {
    logs: Client,
    proxy: Proxy,
    group: String,
}

fn moto() -> Option<Moto> {
    let url = emulator_url("TEST_MOTO_URL", "AWS (moto)")?;
    let group = format!("/lumen/test-{}", uuid());
    Some(Moto { logs: Client::new(&moto_sdk(&url)), proxy: Proxy::start(&url), group })
}

impl Moto {
    /// The binary shipping to the group through the proxy; `data_dir` to continue
    /// an earlier instance.
    fn launch(&self, data_dir: Option<&Path>) -> Launch {
        let mut launch = Launch::new()
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_ENDPOINT_URL", &self.proxy.url)
            .env("APP_LOGS__CLOUDWATCH__GROUP", &self.group);
        if let Some(dir) = data_dir {
            launch = launch.env("APP_DATA_DIR", dir);
        }
        launch
    }

    /// Every line in the group so far, parsed.
    async fn lines(&self) -> Vec<Value> {
        let mut lines = Vec::new();
        let mut token = None;
        loop {
            let page = self.logs.filter_log_events().log_group_name(&self.group).set_next_token(token).send().await;
            let Ok(page) = page else { return lines };
            for event in page.events() {
                let message = event.message().unwrap_or_default();
                lines.push(serde_json::from_str(message).unwrap_or_else(|e| panic!("not JSON ({e}): {message}")));
            }
            token = page.next_token().map(str::to_owned);
            if token.is_none() || page.events().is_empty() {
                return lines;
            }
        }
    }

    /// How often each clickstream `eventId` is in the group, once all of `ids` are
    /// (or `within` passed).
    async fn wait_for(&self, ids: &HashSet<String>, within: Duration) -> HashMap<String, usize> {
        let deadline = Instant::now() + within;
        loop {
            let mut seen: HashMap<String, usize> = HashMap::new();
            for line in self.lines().await {
                if line["logType"] == "clickstream"
                    && let Some(id) = line["eventId"].as_str()
                {
                    *seen.entry(id.to_owned()).or_default() += 1;
                }
            }
            let missing = ids.iter().filter(|id| !seen.contains_key(*id)).count();
            if missing == 0 || Instant::now() > deadline {
                assert_eq!(missing, 0, "{missing} of {} answered events are not in the log group", ids.len());
                return seen;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }
}

fn page_view(event_id: &str) -> Value {
    json!({"events": [{
        "eventId": event_id, "eventName": "page_view", "eventTimestamp": now_rfc3339(),
        "clientId": CLIENT_ID, "sessionId": SESSION_ID, "urlPath": "/"
    }]})
}

/// Posts one fresh page_view; answers its status, its id and how long the answer took.
async fn send(client: &reqwest::Client, server: &str) -> (u16, String, Duration) {
    let id = uuid();
    let started = Instant::now();
    let status = match client.post(format!("{server}/events")).json(&page_view(&id)).send().await {
        Ok(response) => response.status().as_u16(),
        Err(_) => 0,
    };
    (status, id, started.elapsed())
}

/// Sends `n` events one after another; answers the ids answered 200 and the slowest answer.
async fn send_many(server: &ServerProcess, n: usize) -> (HashSet<String>, Duration) {
    let client = reqwest::Client::new();
    let mut ids = HashSet::new();
    let mut slowest = Duration::ZERO;
    for _ in 0..n {
        let (status, id, took) = send(&client, &server.address).await;
        assert_eq!(status, 200);
        ids.insert(id);
        slowest = slowest.max(took);
    }
    (ids, slowest)
}

/// A sample's value in Prometheus text.
fn metric_in(text: &str, name: &str) -> Option<f64> {
    text.lines().find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
}

async fn metric(server: &ServerProcess, name: &str) -> Option<f64> {
    metric_in(&reqwest::get(server.url("/metrics")).await.ok()?.text().await.ok()?, name)
}

fn spool_bytes(data_dir: &Path) -> u64 {
    std::fs::read_dir(data_dir.join("log-spool"))
        .map(|dir| {
            dir.filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().ends_with(".seg"))
                .map(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
                .sum()
        })
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_line_of_every_type_reaches_the_log_group_and_stdout_keeps_them_too() {
    let Some(moto) = moto() else { return };
    let server = moto.launch(None).start();
    let admin = server.sign_in(crate::auth::ADMIN).await;
    let (status, archived) = server
        .call(&admin, "admin/product/archive", &[("id", "northern-hoops"), ("version", "1"), ("archived", "true")])
        .await;
    assert_eq!(status, 200, "{archived}");
    let (ids, _) = send_many(&server, 5).await;
    moto.wait_for(&ids, Duration::from_secs(20)).await;

    let stream = std::fs::read_to_string(server.dir().join("data/instance-id")).unwrap();
    let described = moto.logs.describe_log_streams().log_group_name(&moto.group).send().await.unwrap();
    let streams: Vec<&str> = described.log_streams().iter().filter_map(|s| s.log_stream_name()).collect();
    assert_eq!(streams, [stream.trim()], "the group was made, with this instance's stream");

    // Lines the server wrote after the events (their request lines) arrive within the
    // shipper's next send.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let shipped = moto.lines().await;
    for log_type in ["app", "auth", "crud", "request", "clickstream"] {
        assert!(shipped.iter().any(|l| l["logType"] == log_type), "a {log_type} line is in the group");
    }
    let stdout = server.stop().lines.join("\n");
    for line in shipped.iter().filter(|l| l["logType"] != "app") {
        let key = line["eventId"].as_str().or(line["requestId"].as_str()).unwrap();
        assert!(stdout.contains(key), "stdout has {key} too");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_loses_nothing_events_are_answered_at_once_and_arrive_when_it_ends() {
    let Some(moto) = moto() else { return };
    let server = moto.launch(None).start();
    moto.proxy.down();
    let (ids, slowest) = send_many(&server, 300).await;
    assert!(slowest < Duration::from_secs(2), "events never wait on CloudWatch: slowest answer {slowest:?}");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(spool_bytes(&server.dir().join("data")) > 0, "the spool holds them meanwhile");
    assert!(moto.lines().await.iter().all(|l| l["logType"] != "clickstream"), "nothing got through the outage");
    // The shipper has tried and failed (the SDK's own retries come first).
    let deadline = Instant::now() + Duration::from_secs(60);
    while metric(&server, "jewelry_log_ship_errors_total").await.unwrap_or(0.0) < 1.0 {
        assert!(Instant::now() < deadline, "a failed send is counted");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let waiting = metric(&server, "jewelry_log_spool_bytes").await.unwrap_or(0.0);
    assert!(waiting as u64 >= spool_bytes(&server.dir().join("data")) / 2, "the gauge shows the backlog: {waiting}");

    moto.proxy.up();
    let seen = moto.wait_for(&ids, Duration::from_secs(60)).await;
    assert!(seen.values().all(|n| *n == 1), "no repeats without a send cut short");

    // What /metrics says about it.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let text = reqwest::get(server.url("/metrics")).await.unwrap().text().await.unwrap();
    let value = |name: &str| -> f64 { metric_in(&text, name).unwrap_or_else(|| panic!("no {name} in:\n{text}")) };
    assert_eq!(value("jewelry_events_accepted_total"), 300.0);
    assert_eq!(value("jewelry_http_requests_total{route=\"/events\",status=\"200\"}"), 300.0);
    assert!(value("jewelry_log_lines_shipped_total") >= 300.0);
    assert!(text.contains("jewelry_http_request_duration_seconds_bucket{route=\"/events\",status=\"200\",le="));
    assert!(value("jewelry_log_spool_bytes") < 20_000.0, "the spool drained");
    let stopped = server.stop();
    assert!(stopped.status.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_during_an_outage_leaves_the_rest_in_the_spool_and_the_next_start_ships_it() {
    let Some(moto) = moto() else { return };
    let server = moto.launch(None).start();
    let stream = std::fs::read_to_string(server.dir().join("data/instance-id")).unwrap();
    moto.proxy.down();
    let (ids, _) = send_many(&server, 100).await;
    let started = Instant::now();
    let stopped = server.stop();
    assert!(stopped.status.success(), "{:?}", stopped.status);
    assert!(started.elapsed() < Duration::from_secs(15), "it gave up shipping after 10 s: {:?}", started.elapsed());
    assert!(stopped.lines.iter().any(|l| l.contains("the rest stays in the spool")), "it says what it left");

    moto.proxy.up();
    let data = stopped.dir().join("data");
    let restarted = moto.launch(Some(&data)).start();
    let seen = moto.wait_for(&ids, Duration::from_secs(60)).await;
    assert_eq!(seen.len(), ids.len());
    assert_eq!(std::fs::read_to_string(data.join("instance-id")).unwrap(), stream, "the same stream goes on");
    drop(restarted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_under_load_loses_no_answered_event() {
    let Some(moto) = moto() else { return };
    let server = moto.launch(None).start();
    let address = server.address.clone();
    // Eight senders for about two seconds; the process is killed while they send.
    let senders: Vec<_> = (0..8)
        .map(|_| {
            let address = address.clone();
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                let mut answered = Vec::new();
                let until = Instant::now() + Duration::from_secs(3);
                while Instant::now() < until {
                    let (status, id, _) = send(&client, &address).await;
                    match status {
                        200 => answered.push(id),
                        0 => break, // the server is gone
                        other => panic!("answered {other}"),
                    }
                }
                answered
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let killed = server.kill();
    let mut ids = HashSet::new();
    for sender in senders {
        ids.extend(sender.await.unwrap());
    }
    assert!(ids.len() > 100, "it was under load: {} events answered", ids.len());

    let restarted = moto.launch(Some(&killed.dir().join("data"))).start();
    let seen = moto.wait_for(&ids, Duration::from_secs(60)).await;
    let repeats: usize = seen.values().map(|n| n - 1).sum();
    eprintln!("{} answered events, all in the log group; {repeats} repeats (a send cut short by the kill)", ids.len());
    // Repeats come only from the batch in flight when the process died.
    assert!(repeats <= 10_000, "{repeats} repeats");
    drop(restarted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_spool_answers_503_spool_full_and_takes_events_again_once_it_drains() {
    let Some(moto) = moto() else { return };
    let server = moto.launch(None).env("APP_LOGS__CLOUDWATCH__SPOOL_MAX_BYTES", "20000").start();
    moto.proxy.down();
    let client = reqwest::Client::new();
    let mut answered = HashSet::new();
    let refused = loop {
        let id = uuid();
        let response = client.post(server.url("/events")).json(&page_view(&id)).send().await.unwrap();
        if response.status() == 503 {
            break response;
        }
        assert_eq!(response.status(), 200);
        answered.insert(id);
        assert!(answered.len() < 1_000, "the spool never filled");
    };
    assert_eq!(refused.headers()["retry-after"], "30");
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["code"], "spool_full", "{body}");

    moto.proxy.up();
    moto.wait_for(&answered, Duration::from_secs(60)).await;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (status, _, _) = send(&client, &server.address).await;
        if status == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "the drained spool takes events again");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_logs_cloudwatch_stream_names_the_stream() {
    let Some(moto) = moto() else { return };
    let server = moto.launch(None).env("APP_LOGS__CLOUDWATCH__STREAM", "web-a").start();
    let (ids, _) = send_many(&server, 2).await;
    moto.wait_for(&ids, Duration::from_secs(20)).await;
    let described = moto.logs.describe_log_streams().log_group_name(&moto.group).send().await.unwrap();
    let streams: Vec<&str> = described.log_streams().iter().filter_map(|s| s.log_stream_name()).collect();
    assert_eq!(streams, ["web-a"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lines_cloudwatch_refuses_as_too_old_are_counted_and_kept_in_the_rejected_file() {
    use jewelry_server::logs::spool::{SpoolGauge, SpoolWriter};
    let Some(moto) = moto() else { return };
    // A spool a stopped instance left 20 days ago, and a line from today after it.
    let data = tempfile::tempdir().unwrap();
    let now_ms = time::OffsetDateTime::now_utc().unix_timestamp() * 1000;
    let (old, fresh) = (uuid(), uuid());
    {
        let (mut spool, _) = SpoolWriter::open(&data.path().join("log-spool"), SpoolGauge::new(u64::MAX)).unwrap();
        let line = |id: &str| format!("{{\"logType\":\"clickstream\",\"eventId\":\"{id}\"}}\n");
        spool.append(line(&old).as_bytes(), now_ms - 20 * 24 * 3600 * 1000).unwrap();
        spool.append(line(&fresh).as_bytes(), now_ms).unwrap();
        spool.sync_now().unwrap();
    }
    let server = moto.launch(Some(data.path())).start();
    moto.wait_for(&HashSet::from([fresh.clone()]), Duration::from_secs(20)).await;
    let rejected_file = data.path().join("rejected-log-lines.jsonl");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !rejected_file.exists() {
        assert!(Instant::now() < deadline, "no rejected file");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let kept = std::fs::read_to_string(&rejected_file).unwrap();
    assert!(kept.contains(&old) && !kept.contains(&fresh), "{kept}");
    assert!(moto.lines().await.iter().all(|l| l["eventId"] != old.as_str()), "CloudWatch did not take it");
    let text = reqwest::get(server.url("/metrics")).await.unwrap().text().await.unwrap();
    assert!(text.lines().any(|l| l == "jewelry_log_lines_rejected_total 1"), "{text}");
}
