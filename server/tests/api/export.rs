//! `jewelry-server export`: the clickstream of a range of days from a log file or
//! a log group, one gzipped file per day in the Firehose archive's layout, the
//! same bytes each time.

use crate::helpers::{emulator_url, moto_sdk, now_rfc3339, page_view, uuid};
use crate::process::Launch;
use serde_json::{Value, json};
use std::io::Read;
use std::path::Path;
use std::process::Command;

const BROWSER: &str =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

fn today() -> String {
    now_rfc3339()[..10].to_owned()
}

/// Runs the binary's `export` with `args`; answers its exit code and output.
fn export(args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jewelry-server"));
    command.arg("export").args(args).env_clear().env("PATH", std::env::var_os("PATH").unwrap_or_default());
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().expect("the binary runs");
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.code().unwrap_or(-1), text)
}

/// The JSON lines of a gzipped file.
fn gunzipped(path: &Path) -> Vec<Value> {
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .read_to_string(&mut text)
        .unwrap();
    text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[tokio::test]
async fn a_log_files_clickstream_is_exported_by_day_and_a_second_export_is_the_same_bytes() {
    let launch = Launch::new();
    let log = launch.path("shop.log");
    let server = launch.env("APP_LOGS__FILE", &log).start();
    let events: Vec<Value> = (0..3).map(|_| page_view()).collect();
    let ids: Vec<String> = events.iter().map(|e| e["eventId"].as_str().unwrap().to_owned()).collect();
    let client = reqwest::Client::new();
    let body = json!({ "events": events });
    let response = client.post(server.url("/events")).header("User-Agent", BROWSER).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let stopped = server.stop();
    let day = today();
    let file = stopped.dir().join(format!("shop.log.{day}"));
    let file = file.to_str().unwrap();

    let out = tempfile::tempdir().unwrap();
    let first = out.path().join("first");
    let (code, said) =
        export(&["--file", file, "--since", &day, "--until", &day, "--out", first.to_str().unwrap()], &[]);
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("exported 3 lines into 1 files"), "{said}");
    let written = first.join("clickstream").join(format!("dt={day}")).join(format!("clickstream-{day}.json.gz"));
    let lines = gunzipped(&written);
    let mut exported: Vec<&str> = lines.iter().map(|l| l["eventId"].as_str().unwrap()).collect();
    exported.sort();
    let mut sent: Vec<&str> = ids.iter().map(String::as_str).collect();
    sent.sort();
    assert_eq!(exported, sent, "each event once");
    assert!(lines.iter().all(|l| l["logType"] == "clickstream"));

    // Safe to run twice: the same range gives the same file.
    let second = out.path().join("second");
    export(&["--file", file, "--since", &day, "--until", &day, "--out", second.to_str().unwrap()], &[]);
    let again = second.join("clickstream").join(format!("dt={day}")).join(format!("clickstream-{day}.json.gz"));
    assert_eq!(std::fs::read(&written).unwrap(), std::fs::read(&again).unwrap(), "byte for byte");
    export(&["--file", file, "--since", &day, "--until", &day, "--out", first.to_str().unwrap()], &[]);
    assert_eq!(std::fs::read(&written).unwrap(), std::fs::read(&again).unwrap(), "over the first, the same");

    // Every type on request; nothing outside the range.
    let all = out.path().join("all");
    let (code, _) =
        export(&["--file", file, "--since", &day, "--until", &day, "--out", all.to_str().unwrap(), "--all-types"], &[]);
    assert_eq!(code, 0);
    let requests = gunzipped(&all.join("request").join(format!("dt={day}")).join(format!("request-{day}.json.gz")));
    assert!(requests.iter().any(|l| l["path"] == "/events"));
    let none = out.path().join("none");
    let (code, said) = export(
        &["--file", file, "--since", "2020-01-01", "--until", "2020-01-02", "--out", none.to_str().unwrap()],
        &[],
    );
    assert_eq!(code, 0);
    assert!(said.contains("exported 0 lines into 0 files"), "{said}");

    // Arguments it cannot use: exit 2, with the usage.
    let (code, said) = export(&["--since", &day, "--until", &day, "--out", "x"], &[]);
    assert_eq!(code, 2);
    assert!(said.contains("usage: jewelry-server export"), "{said}");
    drop(stopped);
}

#[tokio::test]
async fn a_log_groups_clickstream_is_exported_and_its_other_lines_left_out() {
    let Some(moto) = emulator_url("TEST_MOTO_URL", "AWS (moto)") else { return };
    let logs = aws_sdk_cloudwatchlogs::Client::new(&moto_sdk(&moto));
    let group = format!("/lumen/export-{}", uuid());
    logs.create_log_group().log_group_name(&group).send().await.unwrap();
    logs.create_log_stream().log_group_name(&group).log_stream_name("shop").send().await.unwrap();
    let now = time::OffsetDateTime::now_utc();
    let lines: Vec<Value> = (0..120).map(|_| page_view()).collect();
    let ids: Vec<String> = lines.iter().map(|e| e["eventId"].as_str().unwrap().to_owned()).collect();
    let mut events = Vec::new();
    for (i, mut line) in lines.into_iter().enumerate() {
        line["logType"] = json!("clickstream");
        line["timestamp"] = json!(now_rfc3339());
        events.push((now.unix_timestamp() * 1000 + i as i64, line.to_string()));
    }
    // A line of another type, left out.
    events.push((
        now.unix_timestamp() * 1000 + 500,
        json!({"logType": "request", "timestamp": now_rfc3339(), "path": "/"}).to_string(),
    ));
    for chunk in events.chunks(50) {
        let batch: Vec<_> = chunk
            .iter()
            .map(|(at, message)| {
                aws_sdk_cloudwatchlogs::types::InputLogEvent::builder().timestamp(*at).message(message).build().unwrap()
            })
            .collect();
        logs.put_log_events()
            .log_group_name(&group)
            .log_stream_name("shop")
            .set_log_events(Some(batch))
            .send()
            .await
            .unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let day = today();
    let env = [
        ("AWS_ENDPOINT_URL", moto.as_str()),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ];
    let (code, said) =
        export(&["--log-group", &group, "--since", &day, "--until", &day, "--out", out.path().to_str().unwrap()], &env);
    assert_eq!(code, 0, "{said}");
    let lines =
        gunzipped(&out.path().join("clickstream").join(format!("dt={day}")).join(format!("clickstream-{day}.json.gz")));
    assert_eq!(lines.len(), 120, "every clickstream line, and only those");
    let exported: std::collections::HashSet<&str> = lines.iter().map(|l| l["eventId"].as_str().unwrap()).collect();
    assert!(ids.iter().all(|id| exported.contains(id.as_str())));
}
