//! `jewelry-server insights rebuild`: the insights counters counted again from
//! the log, the record of what happened:
//!
//! ```text
//! jewelry-server insights rebuild --from (DIR | FILE | s3://BUCKET/PREFIX | LOG_GROUP) \
//!     [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--today]
//! ```
//!
//! It reads `clickstream` lines (the funnel, sessions, their campaigns, product
//! and variant views and adds, the orders a session placed), `business` lines
//! (orders placed with the variants sold, delivered, cancelled and returned) and
//! the request lines that served a storefront page (`pageServed`), from an export
//! directory (`jewelry-server export --all-types`) or log files, the Firehose
//! archive in S3, or the log group itself. Gzipped or not, one JSON object a line
//! or several run together (as Firehose may write them), or CloudWatch Logs'
//! subscription records (`DATA_MESSAGE`, its `logEvents`' messages), as Firehose
//! archives them when no processor unpacks them.
//!
//! It counts as the live writer ([`crate::insights`]) does: bots' events left out,
//! an event counted once however often it is in the log (by `eventId`), each day
//! the shop's (`APP_INSIGHTS__TIME_ZONE`) of the line's `timestamp`, a session on
//! the day it began with its furthest step and its first campaign. Then, one
//! transaction per day, it replaces that day's counters with what it counted:
//! run twice over the same lines, it writes the same figures. Only days the lines
//! hold are written (a source that misses a day leaves it as it is), and not
//! today, which the running shop is still counting, unless `--today` (with the
//! shop stopped). Days older than the retention are left out: the shop would
//! delete them within the hour.

use crate::config::{MediaSettings, Settings};
use crate::db::{self, Database};
use crate::insights::{ShopDays, statements};
use anyhow::Context;
use jewelry::events::EventName;
use jewelry::insights::step_of;
use serde_json::Value;
use sqlx::Arguments;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, Time};
use uuid::Uuid;

/// Where the lines come from.
#[derive(Debug, PartialEq, Eq)]
pub enum Source {
    /// A directory (read through, every file in it) or one file.
    Local(PathBuf),
    /// Every object under a prefix of a bucket (the Firehose archive).
    S3 { bucket: String, prefix: String },
    /// A CloudWatch Logs group: `--since` and `--until` are then needed.
    LogGroup(String),
}

#[derive(Debug, PartialEq, Eq)]
pub struct RebuildArgs {
    pub source: Source,
    pub since: Option<Date>,
    /// The last day, included.
    pub until: Option<Date>,
    /// Today's counters too (only with the shop stopped: it is still counting them).
    pub today: bool,
}

pub const USAGE: &str = "usage: jewelry-server insights rebuild --from (DIR | FILE | s3://BUCKET/PREFIX | LOG_GROUP) \
[--since YYYY-MM-DD] [--until YYYY-MM-DD] [--today]";

/// Reads the arguments after `insights rebuild`. `--from` is an S3 address when it
/// starts with `s3://`, a file or directory when one is there, and otherwise the
/// name of a log group.
pub fn parse_args(args: &[String]) -> Result<RebuildArgs, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let day = |name: &str, value: Option<&String>| -> Result<Date, String> {
        let value = value.ok_or_else(|| format!("{name} needs a day, YYYY-MM-DD"))?;
        Date::parse(value, &format).map_err(|_| format!("{name} {value:?} is not a day, YYYY-MM-DD"))
    };
    let (mut from, mut since, mut until, mut today) = (None, None, None, false);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--from" => from = Some(args.next().ok_or("--from needs a directory, a file, s3://… or a log group")?),
            "--since" => since = Some(day("--since", args.next())?),
            "--until" => until = Some(day("--until", args.next())?),
            "--today" => today = true,
            other => return Err(format!("{other:?} is not an argument of insights rebuild")),
        }
    }
    let from = from.ok_or("--from is needed")?;
    let source = if let Some(rest) = from.strip_prefix("s3://") {
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(format!("{from:?} names no bucket"));
        }
        Source::S3 { bucket: bucket.to_owned(), prefix: prefix.to_owned() }
    } else if Path::new(from).exists() {
        Source::Local(PathBuf::from(from))
    } else {
        if since.is_none() || until.is_none() {
            return Err(format!("{from:?} is no file or directory here; as a log group it needs --since and --until"));
        }
        Source::LogGroup(from.clone())
    };
    if let (Some(since), Some(until)) = (since, until)
        && until < since
    {
        return Err("--until is before --since".into());
    }
    Ok(RebuildArgs { source, since, until, today })
}

/// A clickstream event as the counters need it.
struct Click {
    at: OffsetDateTime,
    session: Uuid,
    step: u8,
    /// `product_view` (`false`) or `add_to_cart` (`true`) of a product.
    product: Option<(String, bool)>,
    variant: Option<(String, Option<String>)>,
    order_id: Option<String>,
    /// utmSource, utmMedium, utmCampaign, referrerHost.
    attribution: [Option<String>; 4],
}

/// A `business` line: an order placed, delivered, cancelled or returned.
struct Business {
    at: OffsetDateTime,
    /// Its order's total, in minor units.
    value: i64,
    /// Delivered: the cash collected, in minor units.
    cash: Option<i64>,
    /// Placed: each variant's product, SKU and units.
    sold: Vec<(String, String, Option<String>, i64)>,
}

/// What the lines hold, each thing once.
#[derive(Default)]
pub struct Lines {
    clicks: HashMap<Uuid, Click>,
    /// By action and order: each happens once to an order.
    business: HashMap<(String, String), Business>,
    /// Storefront pages served, by request id.
    pages: HashMap<String, OffsetDateTime>,
    /// Lines of each kind the counters use: clickstream, business, pages served.
    pub kinds: [u64; 3],
    /// JSON objects read, and those that were none.
    pub read: u64,
    pub unreadable: u64,
}

fn text(value: &Value, key: &str) -> Option<String> {
    value[key].as_str().filter(|s| !s.is_empty()).map(str::to_owned)
}

/// An amount in currency units (`orderValue`) in the currency's minor unit.
fn minor(value: &Value, currency: Option<jewelry::Currency>) -> Option<i64> {
    let digits = currency?.minor_digits();
    Some((value.as_f64()? * 10_f64.powi(digits as i32)).round() as i64)
}

impl Lines {
    /// Reads every JSON object in `bytes` (gzipped or not): one a line, or several
    /// run together. A line that is not JSON is counted as unreadable and skipped.
    pub fn read(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        let mut plain = Vec::new();
        let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
            flate2::read::MultiGzDecoder::new(bytes).read_to_end(&mut plain).context("gunzipping")?;
            &plain[..]
        } else {
            bytes
        };
        for line in bytes.split(|b| *b == b'\n') {
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            for value in serde_json::Deserializer::from_slice(line).into_iter::<Value>() {
                match value {
                    Ok(value) => self.take(&value),
                    Err(_) => {
                        self.unreadable += 1;
                        break;
                    }
                }
            }
        }
        Ok(())
    }

    /// Keeps what the counters need of one line; of a thing told twice, the first.
    pub fn take(&mut self, line: &Value) {
        // A CloudWatch Logs subscription's record (what Firehose archives when no
        // processor unpacks it): its log events' messages are the lines.
        if line["messageType"] == "DATA_MESSAGE"
            && let Some(events) = line["logEvents"].as_array()
        {
            for message in events.iter().filter_map(|e| e["message"].as_str()) {
                let _ = self.read(message.as_bytes());
            }
            return;
        }
        if line["messageType"] == "CONTROL_MESSAGE" {
            return;
        }
        self.read += 1;
        let Some(at) = line["timestamp"].as_str().and_then(|t| OffsetDateTime::parse(t, &Rfc3339).ok()) else {
            return;
        };
        match line["logType"].as_str() {
            Some("clickstream") => {
                self.kinds[0] += 1;
                self.take_click(line, at);
            }
            Some("business") => {
                self.kinds[1] += 1;
                self.take_business(line, at);
            }
            Some("request") if line["pageServed"] == true => {
                self.kinds[2] += 1;
                if let Some(id) = text(line, "requestId") {
                    let kept = self.pages.entry(id).or_insert(at);
                    *kept = (*kept).min(at);
                }
            }
            _ => {}
        }
    }

    fn take_click(&mut self, line: &Value, at: OffsetDateTime) {
        if line["isBot"] == true {
            return;
        }
        let id = line["eventId"].as_str().and_then(|s| s.parse::<Uuid>().ok());
        let session = line["sessionId"].as_str().and_then(|s| s.parse::<Uuid>().ok());
        let name = serde_json::from_value::<EventName>(line["eventName"].clone()).ok();
        let (Some(id), Some(session), Some(name)) = (id, session, name) else { return };
        if self.clicks.get(&id).is_some_and(|kept| kept.at <= at) {
            return;
        }
        let viewed_or_added = matches!(name, EventName::ProductView | EventName::AddToCart);
        let product = text(line, "productId").filter(|_| viewed_or_added);
        self.clicks.insert(
            id,
            Click {
                at,
                session,
                step: step_of(name),
                variant: product
                    .as_ref()
                    .and_then(|_| text(line, "variantId"))
                    .map(|variant| (variant, text(line, "sku"))),
                product: product.map(|p| (p, name == EventName::AddToCart)),
                order_id: text(line, "orderId"),
                attribution: ["utmSource", "utmMedium", "utmCampaign", "referrerHost"].map(|key| text(line, key)),
            },
        );
    }

    fn take_business(&mut self, line: &Value, at: OffsetDateTime) {
        let (Some(action), Some(order)) = (text(line, "action"), text(line, "orderId")) else { return };
        let currency = line["currency"].as_str().and_then(jewelry::Currency::parse);
        let Some(value) = minor(&line["orderValue"], currency) else { return };
        let sold = line["items"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|item| {
                        Some((
                            text(item, "variantId")?,
                            text(item, "productId")?,
                            text(item, "sku"),
                            item["quantity"].as_i64()?,
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let business = Business { at, value, cash: minor(&line["cashCollected"], currency), sold };
        let key = (action, order);
        if self.business.get(&key).is_none_or(|kept| kept.at > at) {
            self.business.insert(key, business);
        }
    }

    /// The counters the lines make, by the shop's days.
    pub fn count(&self, days: &ShopDays) -> Figures {
        let mut figures = Figures::default();
        // In the order they happened: a session's first event sets its day and
        // campaign, a later one fills in what that one lacked.
        let mut clicks: Vec<&Click> = self.clicks.values().collect();
        clicks.sort_by_key(|c| c.at);
        for click in clicks {
            let day = days.day_of(click.at);
            let session = figures.sessions.entry(click.session).or_insert_with(|| Session {
                day: day.clone(),
                furthest: 0,
                attribution: Default::default(),
            });
            session.furthest = session.furthest.max(click.step);
            for (kept, told) in session.attribution.iter_mut().zip(&click.attribution) {
                if kept.is_none() {
                    kept.clone_from(told);
                }
            }
            if let Some(order) = &click.order_id {
                figures.session_orders.entry(order.clone()).or_insert((click.session, day.clone()));
            }
            if let Some((product, added)) = &click.product {
                let counts = figures.products.entry((day.clone(), product.clone())).or_default();
                if *added {
                    counts.1 += 1
                } else {
                    counts.0 += 1
                }
                if let Some((variant, sku)) = &click.variant {
                    let counts = figures.variants.entry((day.clone(), variant.clone())).or_insert_with(|| {
                        VariantFigures { product: product.clone(), sku: sku.clone(), ..Default::default() }
                    });
                    if *added { counts.adds += 1 } else { counts.views += 1 }
                }
            }
        }
        for ((action, _), business) in &self.business {
            let day = days.day_of(business.at);
            let orders = figures.orders.entry(day.clone()).or_default();
            match action.as_str() {
                "order_placed" => {
                    orders.placed += 1;
                    orders.revenue += business.value;
                    for (variant, product, sku, units) in &business.sold {
                        let counts = figures.variants.entry((day.clone(), variant.clone())).or_insert_with(|| {
                            VariantFigures { product: product.clone(), sku: sku.clone(), ..Default::default() }
                        });
                        counts.sold += units;
                    }
                }
                "order_delivered" => {
                    orders.delivered += 1;
                    orders.delivered_cents += business.cash.unwrap_or(business.value);
                }
                "order_cancelled" => {
                    orders.cancelled += 1;
                    orders.cancelled_cents += business.value;
                }
                "order_returned" => {
                    orders.returned += 1;
                    orders.returned_cents += business.value;
                }
                _ => {}
            }
        }
        // A day with moves that count nothing (confirmed, shipped) has no row.
        figures.orders.retain(|_, o| *o != OrderFigures::default());
        for at in self.pages.values() {
            *figures.pages.entry(days.day_of(*at)).or_default() += 1;
        }
        figures
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub day: String,
    pub furthest: u8,
    pub attribution: [Option<String>; 4],
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VariantFigures {
    pub product: String,
    pub sku: Option<String>,
    pub views: i64,
    pub adds: i64,
    pub sold: i64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OrderFigures {
    pub placed: i64,
    pub revenue: i64,
    pub delivered: i64,
    pub delivered_cents: i64,
    pub cancelled: i64,
    pub cancelled_cents: i64,
    pub returned: i64,
    pub returned_cents: i64,
}

/// The counters, as the insights tables hold them.
#[derive(Debug, Default)]
pub struct Figures {
    pub sessions: BTreeMap<Uuid, Session>,
    /// By day and product: views, adds.
    pub products: BTreeMap<(String, String), (i64, i64)>,
    pub variants: BTreeMap<(String, String), VariantFigures>,
    pub orders: BTreeMap<String, OrderFigures>,
    /// By order: the session that placed it, and the day.
    pub session_orders: BTreeMap<String, (Uuid, String)>,
    pub pages: BTreeMap<String, i64>,
}

impl Figures {
    /// Every day something was counted on.
    pub fn days(&self) -> BTreeSet<String> {
        let mut days = BTreeSet::new();
        days.extend(self.sessions.values().map(|s| s.day.clone()));
        days.extend(self.products.keys().map(|(d, _)| d.clone()));
        days.extend(self.variants.keys().map(|(d, _)| d.clone()));
        days.extend(self.orders.keys().cloned());
        days.extend(self.session_orders.values().map(|(_, d)| d.clone()));
        days.extend(self.pages.keys().cloned());
        days
    }
}

/// The tables a day's counters are in; `insight_events` (ids kept against repeats)
/// is not a counter and is left alone.
const TABLES: [&str; 6] = [
    "insight_sessions",
    "insight_products",
    "insight_variants",
    "insight_orders",
    "insight_session_orders",
    "insight_page_requests",
];

/// Replaces `day`'s counters with `figures`' in one transaction.
pub async fn write_day(db: &Database, day: &str, figures: &Figures) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    for table in TABLES {
        sqlx::query(&format!("DELETE FROM {table} WHERE day = $1")).bind(day).execute(&mut *tx).await?;
    }
    let sessions: Vec<(&Uuid, &Session)> = figures.sessions.iter().filter(|(_, s)| s.day == day).collect();
    let products: Vec<_> = figures.products.iter().filter(|((d, _), _)| d == day).collect();
    let variants: Vec<_> = figures.variants.iter().filter(|((d, _), _)| d == day).collect();
    let orders: Vec<_> = figures.orders.iter().filter(|(d, _)| *d == day).collect();
    let session_orders: Vec<_> = figures.session_orders.iter().filter(|(_, (_, d))| d == day).collect();
    let pages: Vec<_> = figures.pages.iter().filter(|(d, _)| *d == day).collect();
    // A session begun before the first day read is already there: kept on its day,
    // its furthest step and campaign merged as the live writer merges them.
    let sessions = statements(
        &sessions,
        crate::insights::SESSION_COLUMNS,
        crate::insights::SESSIONS_INSERT,
        crate::insights::SESSIONS_MERGE,
        |args, (id, session)| {
            args.add(id.to_string())?;
            args.add(session.day.as_str())?;
            args.add(i64::from(session.furthest))?;
            for value in &session.attribution {
                args.add(value.as_deref())?;
            }
            Ok(())
        },
    );
    let products = statements(
        &products,
        4,
        "INSERT INTO insight_products (day, product_id, views, adds)",
        "",
        |args, ((day, product), (views, adds))| {
            args.add(day.as_str())?;
            args.add(product.as_str())?;
            args.add(*views)?;
            args.add(*adds)
        },
    );
    let variants = statements(
        &variants,
        7,
        "INSERT INTO insight_variants (day, variant_id, product_id, sku, views, adds, sold)",
        "",
        |args, ((day, variant), counts)| {
            args.add(day.as_str())?;
            args.add(variant.as_str())?;
            args.add(counts.product.as_str())?;
            args.add(counts.sku.as_deref())?;
            args.add(counts.views)?;
            args.add(counts.adds)?;
            args.add(counts.sold)
        },
    );
    let orders = statements(
        &orders,
        9,
        "INSERT INTO insight_orders (day, orders, revenue_cents, delivered, delivered_cents, cancelled, \
         cancelled_cents, returned, returned_cents)",
        "",
        |args, (day, o)| {
            args.add(day.as_str())?;
            for value in [
                o.placed,
                o.revenue,
                o.delivered,
                o.delivered_cents,
                o.cancelled,
                o.cancelled_cents,
                o.returned,
                o.returned_cents,
            ] {
                args.add(value)?;
            }
            Ok(())
        },
    );
    let session_orders = statements(
        &session_orders,
        3,
        "INSERT INTO insight_session_orders (order_id, session_id, day)",
        "ON CONFLICT (order_id) DO NOTHING",
        |args, (order, (session, day))| {
            args.add(order.as_str())?;
            args.add(session.to_string())?;
            args.add(day.as_str())
        },
    );
    let pages = statements(&pages, 2, "INSERT INTO insight_page_requests (day, requests)", "", |args, (day, n)| {
        args.add(day.as_str())?;
        args.add(**n)
    });
    for statement in sessions.chain(products).chain(variants).chain(orders).chain(session_orders).chain(pages) {
        let (sql, args) = statement?;
        sqlx::query_with(&sql, args).execute(&mut *tx).await?;
    }
    tx.commit().await
}

/// Reads every line of `source` into `lines`. `range` is the first and last day
/// asked for, if any (a log group is read over them, a day more on each side).
pub async fn read_source(
    source: &Source,
    range: Option<(Date, Date)>,
    settings: &Settings,
    lines: &mut Lines,
) -> anyhow::Result<()> {
    match source {
        Source::Local(path) => {
            let mut files = Vec::new();
            files_under(path, &mut files)?;
            for file in files {
                let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
                lines.read(&bytes).with_context(|| format!("reading {}", file.display()))?;
            }
        }
        Source::S3 { bucket, prefix } => {
            let sdk = crate::aws::sdk_config(None).await;
            let path_style = matches!(&settings.media, MediaSettings::S3(s3) if s3.force_path_style);
            let client = aws_sdk_s3::Client::from_conf(crate::media::s3::client_config(
                aws_sdk_s3::config::Builder::from(&sdk),
                path_style,
            ));
            let mut pages = client.list_objects_v2().bucket(bucket).prefix(prefix).into_paginator().send();
            while let Some(page) = pages.next().await {
                let page = page.with_context(|| format!("listing s3://{bucket}/{prefix}"))?;
                for object in page.contents() {
                    let Some(key) = object.key() else { continue };
                    let body = client
                        .get_object()
                        .bucket(bucket)
                        .key(key)
                        .send()
                        .await
                        .with_context(|| format!("reading s3://{bucket}/{key}"))?
                        .body
                        .collect()
                        .await
                        .with_context(|| format!("reading s3://{bucket}/{key}"))?;
                    lines.read(&body.into_bytes()).with_context(|| format!("reading s3://{bucket}/{key}"))?;
                }
            }
        }
        Source::LogGroup(group) => {
            let (since, until) = range.context("a log group is read over --since and --until")?;
            let millis = |day: Date| day.with_time(Time::MIDNIGHT).assume_utc().unix_timestamp() * 1000;
            let start = millis(since.previous_day().unwrap_or(since));
            let end = millis(until.next_day().and_then(|d| d.next_day()).unwrap_or(until));
            crate::export::each_message(group, start, end, |message| {
                if let Err(e) = lines.read(message.as_bytes()) {
                    tracing::debug!(error = %e, "an unreadable log event");
                }
            })
            .await?;
        }
    }
    Ok(())
}

/// The files under `path` (itself, if it is one), in name order, hidden ones
/// (an export's partial files) left out.
fn files_under(path: &Path, files: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    if !path.is_dir() {
        files.push(path.to_owned());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .with_context(|| format!("listing {}", path.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
        .collect();
    entries.sort();
    for entry in entries {
        files_under(&entry, files)?;
    }
    Ok(())
}

/// What a rebuild did.
#[derive(Debug, Default)]
pub struct Summary {
    pub lines: u64,
    pub unreadable: u64,
    pub days: Vec<String>,
    /// Days the lines hold that were not written, and why.
    pub left_out: Vec<(String, &'static str)>,
    pub sessions: usize,
    pub views: i64,
    pub adds: i64,
    pub orders: i64,
    pub pages: i64,
}

/// Reads the source, counts, and writes each day it may.
pub async fn run(
    args: &RebuildArgs,
    settings: &Settings,
    db: &Database,
    now: OffsetDateTime,
) -> anyhow::Result<Summary> {
    let days = ShopDays::from(settings.insights.time_zone.clone());
    let mut lines = Lines::default();
    read_source(&args.source, args.since.zip(args.until), settings, &mut lines).await?;
    // Clickstream lines alone (an export without --all-types) would replace the
    // days' orders and pages served with nothing.
    if lines.kinds[0] > 0 && lines.kinds[1] == 0 && lines.kinds[2] == 0 {
        anyhow::bail!(
            "these lines are clickstream lines only: without the business lines and the pages served, \
             the days' orders and pages would be lost (export with --all-types)"
        );
    }
    let figures = lines.count(&days);
    let today = days.day_of(now);
    let keep_from = days.day_before(now, settings.insights.retention_days as i32);
    let (since, until) = (args.since.map(|d| d.to_string()), args.until.map(|d| d.to_string()));
    let mut summary = Summary { lines: lines.read, unreadable: lines.unreadable, ..Default::default() };
    for day in figures.days() {
        let asked = since.as_ref().is_none_or(|s| &day >= s) && until.as_ref().is_none_or(|u| &day <= u);
        if !asked {
            continue;
        }
        if day >= today && !args.today {
            summary.left_out.push((day, "today's counters are still being counted (--today with the shop stopped)"));
            continue;
        }
        if day < keep_from {
            summary.left_out.push((day, "older than the retention (APP_INSIGHTS__RETENTION_DAYS)"));
            continue;
        }
        write_day(db, &day, &figures).await.with_context(|| format!("writing the counters of {day}"))?;
        summary.sessions += figures.sessions.values().filter(|s| s.day == day).count();
        for ((d, _), (views, adds)) in &figures.products {
            if *d == day {
                summary.views += views;
                summary.adds += adds;
            }
        }
        summary.orders += figures.orders.get(&day).map_or(0, |o| o.placed);
        summary.pages += figures.pages.get(&day).copied().unwrap_or(0);
        summary.days.push(day);
    }
    Ok(summary)
}

/// `jewelry-server insights rebuild …`, with the shop's own settings (its
/// database, time zone and retention): says what it counted; the exit code says
/// whether it worked.
pub async fn main(args: &[String]) -> std::process::ExitCode {
    use std::process::ExitCode;
    let parsed = match args.split_first() {
        Some((first, rest)) if first == "rebuild" => parse_args(rest),
        _ => Err("insights has one command: rebuild".to_owned()),
    };
    let parsed = match parsed {
        Ok(parsed) => parsed,
        Err(problem) => {
            eprintln!("{problem}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let outcome = async {
        let loaded = Settings::load().await?;
        let db = db::connect(&loaded.settings.database(), loaded.refresher.map(std::sync::Arc::new)).await?;
        run(&parsed, &loaded.settings, &db, OffsetDateTime::now_utc()).await
    }
    .await;
    match outcome {
        Ok(summary) => {
            let range = match (summary.days.first(), summary.days.last()) {
                (Some(first), Some(last)) if first != last => format!(" ({first} to {last})"),
                (Some(day), _) => format!(" ({day})"),
                _ => String::new(),
            };
            let n = summary.days.len();
            println!(
                "rebuilt the insights of {n} day{}{range} from {} lines: {} sessions, {} product views, {} adds to cart, \
                 {} orders, {} pages served",
                if n == 1 { "" } else { "s" },
                summary.lines,
                summary.sessions,
                summary.views,
                summary.adds,
                summary.orders,
                summary.pages
            );
            if summary.unreadable > 0 {
                println!("{} lines were not JSON and were skipped", summary.unreadable);
            }
            for (day, why) in &summary.left_out {
                println!("left out {day}: {why}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("the rebuild failed: {e:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn args(list: &[&str]) -> Result<RebuildArgs, String> {
        parse_args(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn from_names_a_bucket_a_path_or_a_log_group() {
        assert_eq!(
            args(&["--from", "s3://archive/clickstream/"]).unwrap().source,
            Source::S3 { bucket: "archive".into(), prefix: "clickstream/".into() }
        );
        assert_eq!(args(&["--from", "/"]).unwrap().source, Source::Local("/".into()));
        let group = args(&["--from", "/lumen/shop-nowhere", "--since", "2026-12-01", "--until", "2026-12-07"]).unwrap();
        assert_eq!(group.source, Source::LogGroup("/lumen/shop-nowhere".into()));
        assert!(args(&["--from", "/lumen/shop-nowhere"]).unwrap_err().contains("--since and --until"));
        assert!(args(&["--from", "s3://"]).is_err());
        assert!(args(&["--since", "2026-12-01"]).unwrap_err().contains("--from"));
        assert!(args(&["--from", "/", "--since", "2026-12-08", "--until", "2026-12-07"]).is_err());
        assert!(args(&["--from", "/", "--bogus"]).is_err());
        assert!(args(&["--from", "/", "--today"]).unwrap().today);
    }

    fn click(id: &str, session: &str, name: &str, at: &str) -> Value {
        json!({"logType": "clickstream", "timestamp": at, "eventId": id, "sessionId": session, "eventName": name,
               "isBot": false, "productId": null, "utmSource": null})
    }

    #[test]
    fn an_event_told_twice_counts_once_and_bots_not_at_all() {
        let (a, b, s) = (Uuid::new_v4().to_string(), Uuid::new_v4().to_string(), Uuid::new_v4().to_string());
        let mut view = click(&a, &s, "product_view", "2026-12-07T10:00:00.000Z");
        view["productId"] = json!("ember-ruby-band");
        let mut bot = click(&b, &s, "add_to_cart", "2026-12-07T10:00:01.000Z");
        bot["isBot"] = json!(true);
        bot["productId"] = json!("ember-ruby-band");
        let mut lines = Lines::default();
        let text = format!("{view}\n{view}{view}\n{bot}\nnot json\n");
        lines.read(text.as_bytes()).unwrap();
        assert_eq!((lines.read, lines.unreadable), (4, 1));
        let figures = lines.count(&ShopDays::utc());
        assert_eq!(figures.products[&("2026-12-07".into(), "ember-ruby-band".into())], (1, 0));
        assert_eq!(figures.sessions.len(), 1);
        assert_eq!(figures.sessions.values().next().unwrap().furthest, 2);
    }

    #[test]
    fn a_session_counts_on_the_shops_day_it_began_with_its_first_campaign() {
        let s = Uuid::new_v4().to_string();
        // 23:30 UTC is the next day in Ho Chi Minh City (UTC+7).
        let mut first = click(&Uuid::new_v4().to_string(), &s, "page_view", "2026-12-06T23:30:00.000Z");
        first["utmSource"] = json!("zalo");
        let later = click(&Uuid::new_v4().to_string(), &s, "checkout_start", "2026-12-07T02:00:00.000Z");
        let mut lines = Lines::default();
        // Read out of order, as files from several sources may be.
        lines.take(&later);
        lines.take(&first);
        let figures = lines.count(&ShopDays::new("Asia/Ho_Chi_Minh").unwrap());
        let session = figures.sessions.values().next().unwrap();
        assert_eq!((session.day.as_str(), session.furthest), ("2026-12-07", 4));
        assert_eq!(session.attribution[0].as_deref(), Some("zalo"));
    }

    #[test]
    fn a_subscription_records_messages_are_its_lines() {
        let s = Uuid::new_v4().to_string();
        let view = click(&Uuid::new_v4().to_string(), &s, "page_view", "2026-12-07T10:00:00.000Z");
        let record = json!({"messageType": "DATA_MESSAGE", "logGroup": "/lumen/shop",
            "logEvents": [{"id": "1", "timestamp": 1, "message": view.to_string()}]});
        let control = json!({"messageType": "CONTROL_MESSAGE", "logEvents": []});
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, format!("{record}{control}").as_bytes()).unwrap();
        let mut lines = Lines::default();
        lines.read(&gz.finish().unwrap()).unwrap();
        assert_eq!(lines.count(&ShopDays::utc()).sessions.len(), 1);
    }

    #[test]
    fn orders_count_their_money_in_minor_units_and_their_moves_on_their_days() {
        let placed = json!({"logType": "business", "timestamp": "2026-12-05T09:00:00.000Z", "action": "order_placed",
            "orderId": "JW-1", "orderValue": 1234.5, "currency": "USD",
            "items": [{"productId": "p", "variantId": "p:7", "sku": "P-7", "quantity": 2, "unitPrice": 617.25}]});
        let delivered = json!({"logType": "business", "timestamp": "2026-12-06T09:00:00.000Z",
            "action": "order_delivered", "orderId": "JW-1", "orderValue": 1234.5, "currency": "USD", "cashCollected": 1200});
        let confirmed = json!({"logType": "business", "timestamp": "2026-12-05T10:00:00.000Z",
            "action": "order_confirmed", "orderId": "JW-1", "orderValue": 1234.5, "currency": "USD"});
        let mut lines = Lines::default();
        for line in [&placed, &delivered, &confirmed, &placed] {
            lines.take(line);
        }
        let figures = lines.count(&ShopDays::utc());
        assert_eq!(figures.orders["2026-12-05"], OrderFigures { placed: 1, revenue: 123_450, ..Default::default() });
        assert_eq!(
            figures.orders["2026-12-06"],
            OrderFigures { delivered: 1, delivered_cents: 120_000, ..Default::default() }
        );
        assert_eq!(figures.variants[&("2026-12-05".into(), "p:7".into())].sold, 2);
    }
}
