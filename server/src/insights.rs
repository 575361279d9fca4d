//! The insights page's counters: kept in the database as clickstream events are
//! accepted, read back by the page in a few queries (`jewelry::insights::Report`).
//!
//! - Accepted events (bots' left out) go to a channel as they are logged; one task
//!   writes them in batches (every second, or 5,000 events), off the request path.
//!   `/events` never waits for the database.
//! - Each batch is one transaction. It first inserts the ids of the events that
//!   add to a count (`product_view`, `add_to_cart`) into `insight_events`; only
//!   those whose id was new count, so a duplicate never counts twice, whichever
//!   instance it reached. Then it raises each session's furthest step
//!   (`insight_sessions`; telling it twice changes nothing) and adds to each
//!   product's views and adds per day (`insight_products`). Instances sharing one
//!   database add into the same rows.
//! - Orders are counted per day with the order itself, in its transaction
//!   ([`record_order`]).
//! - Rows older than the retention setting are deleted every hour, and event ids
//!   once a repeat could no longer be accepted (the contract refuses events older
//!   than 72 h).
//!
//! The log stays the record: a crash loses at most the last second's counts, never
//! a line, and `docs/insights.md` computes the same figures from the log group.

use crate::attribution::Attribution;
use crate::config::ShopTimeZone;
use crate::db::Database;
use jewelry::Money;
use jewelry::events::{Event, EventName};
use jewelry::insights::{
    Day, FUNNEL, FunnelStep, ProductFigures, Range, Report, SourceDimension, SourceFigures, VariantFigures, step_of,
};
use jewelry_app::error::{During, Failure};
use sqlx::any::AnyArguments;
use sqlx::{Any, Arguments, Transaction};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

/// A batch is written after this long, or at [`BATCH_EVENTS`] events. Each batch
/// is a transaction (and, on SQLite, a sync of its file): under a load of 140,000
/// events/s, batches of 500 were 280 transactions a second, and counting took a
/// quarter of the machine; batches of 5,000 make it 28.
pub const BATCH_WAIT: Duration = Duration::from_secs(1);
pub const BATCH_EVENTS: usize = 5_000;
/// Requests' events waiting for the writer at most; past this, counts are dropped
/// (and counted in `jewelry_insights_dropped_total`), never the request.
const QUEUE: usize = 10_000;
/// Event ids are kept this many days: past 72 h a repeat is refused anyway.
const EVENT_IDS_KEPT_DAYS: i32 = 4;
/// How often old rows are looked for.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);
/// Rows per multi-row `INSERT` (at most 800 bound values: far below SQLite's and
/// PostgreSQL's limits).
const ROWS_PER_INSERT: usize = 200;

/// Days as the shop counts them: in its time zone (an IANA name, a setting).
#[derive(Clone, Debug)]
pub struct ShopDays(ShopTimeZone);

impl From<ShopTimeZone> for ShopDays {
    fn from(zone: ShopTimeZone) -> Self {
        ShopDays(zone)
    }
}

impl ShopDays {
    /// The zone named `name` (`Europe/Paris`, `UTC`), or an error naming the setting.
    pub fn new(name: &str) -> anyhow::Result<Self> {
        ShopTimeZone::parse(name).map(ShopDays).map_err(anyhow::Error::msg)
    }

    pub fn utc() -> Self {
        ShopDays(ShopTimeZone::utc())
    }

    pub fn name(&self) -> &str {
        self.0.name()
    }

    fn date_of(&self, at: OffsetDateTime) -> jiff::civil::Date {
        let at = jiff::Timestamp::from_second(at.unix_timestamp()).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        self.0.zone().to_datetime(at).date()
    }

    /// When the shop's day `date` (`YYYY-MM-DD`) plus `days` begins, as stored
    /// times are written (RFC 3339, UTC, milliseconds); `None` for a date that is not one.
    pub fn start_of(&self, date: &str, days: i64) -> Option<String> {
        let date: jiff::civil::Date = date.parse().ok()?;
        let date = date.checked_add(jiff::Span::new().days(days)).ok()?;
        let start =
            self.0.zone().to_ambiguous_timestamp(date.to_datetime(jiff::civil::Time::midnight())).compatible().ok()?;
        let at = OffsetDateTime::from_unix_timestamp(start.as_second()).ok()?;
        Some(crate::logs::rfc3339_millis(at))
    }

    /// The shop's day at `at`, `YYYY-MM-DD`.
    pub fn day_of(&self, at: OffsetDateTime) -> String {
        self.date_of(at).to_string()
    }

    /// The days of `range` ending on the day of `now`, oldest first.
    pub fn days_of(&self, range: Range, now: OffsetDateTime) -> Vec<String> {
        let today = self.date_of(now);
        (0..range.days()).rev().map(|back| days_before(today, back as i32).to_string()).collect()
    }

    /// The day `days` before the day of `now`.
    pub(crate) fn day_before(&self, now: OffsetDateTime, days: i32) -> String {
        days_before(self.date_of(now), days).to_string()
    }
}

fn days_before(date: jiff::civil::Date, days: i32) -> jiff::civil::Date {
    date.checked_sub(jiff::Span::new().days(days)).unwrap_or(date)
}

/// One counted event, as the writer needs it.
#[derive(Clone, Debug)]
struct Tally {
    event_id: Uuid,
    /// It adds to a count (a product's views or adds), so a repeat must be found
    /// by its id; a session's furthest step is the same however often it is told.
    counted_once: bool,
    session_id: Uuid,
    step: u8,
    /// The product of a `product_view` (`false`) or `add_to_cart` (`true`).
    product: Option<(String, bool)>,
    /// The variant it named, and its SKU.
    variant: Option<(String, Option<String>)>,
    /// The shop's day it was accepted on, shared by a request's events.
    day: Arc<str>,
    /// The session's campaign and referring site.
    attribution: Arc<Attribution>,
    /// The order a `checkout_complete` says the session placed.
    order_id: Option<String>,
}

enum Message {
    Events(Vec<Tally>),
    /// Storefront pages served on a day.
    Pages(Arc<str>, u64),
    /// Answered once everything sent before it is written.
    Flush(oneshot::Sender<()>),
}

/// The counters: what [`crate::ingest::Ingest`] tells of accepted events, and
/// what the insights page asks.
pub struct Insights {
    db: Database,
    days: ShopDays,
    retention_days: u32,
    sender: mpsc::Sender<Message>,
    /// When the last "writer is behind" warning was written (Unix seconds).
    warned_at: std::sync::atomic::AtomicI64,
    /// Storefront pages served since they were last handed to the writer.
    pages: std::sync::atomic::AtomicU64,
}

impl Insights {
    /// Starts the writer and the hourly pruning.
    pub fn start(db: Database, days: ShopDays, retention_days: u32) -> Arc<Insights> {
        let (sender, receiver) = mpsc::channel(QUEUE);
        tokio::spawn(write_batches(db.clone(), receiver));
        let insights = Arc::new(Insights {
            db,
            days,
            retention_days,
            sender,
            warned_at: Default::default(),
            pages: Default::default(),
        });
        tokio::spawn(prune_every_hour(Arc::downgrade(&insights)));
        tokio::spawn(send_pages_every_second(Arc::downgrade(&insights)));
        insights
    }

    /// Counts a storefront page served to a shopper (not a bot), with or without
    /// their consent: a number per day, naming no one. An atomic add on the page's
    /// path; the count goes to the writer once a second, under the day it is then.
    pub fn count_page(&self) {
        self.pages.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// Hands the pages counted since the last call to the writer.
    fn send_pages(&self) {
        let n = self.pages.swap(0, std::sync::atomic::Ordering::Relaxed);
        if n > 0 {
            let day: Arc<str> = self.days.day_of(OffsetDateTime::now_utc()).into();
            if self.sender.try_send(Message::Pages(day, n)).is_err() {
                self.pages.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
            }
        }
    }

    /// Counts `events`, accepted `at` from a shopper (not a bot), each with its
    /// session's attribution (`attributions`, in the same order): queued for the
    /// writer, never waited for.
    pub fn record(&self, events: &[Event], attributions: &[Arc<Attribution>], at: OffsetDateTime) {
        if events.is_empty() {
            return;
        }
        let day: Arc<str> = self.days.day_of(at).into();
        let tallies = events
            .iter()
            .zip(attributions.iter().cloned().chain(std::iter::repeat_with(Arc::default)))
            .map(|(event, attribution)| Tally {
                counted_once: matches!(event.name(), EventName::ProductView | EventName::AddToCart),
                event_id: event.id().as_uuid(),
                session_id: event.session_id().as_uuid(),
                step: step_of(event.name()),
                product: match event.name() {
                    EventName::ProductView | EventName::AddToCart => event
                        .product()
                        .map(|p| (p.product_id.as_str().to_owned(), event.name() == EventName::AddToCart)),
                    _ => None,
                },
                variant: match event.name() {
                    EventName::ProductView | EventName::AddToCart => {
                        event.product().and_then(|p| p.variant_id.clone().map(|id| (id, p.sku.clone())))
                    }
                    _ => None,
                },
                day: day.clone(),
                attribution,
                order_id: event.order().map(|o| o.order_id.clone()),
            })
            .collect::<Vec<_>>();
        let count = tallies.len();
        if self.sender.try_send(Message::Events(tallies)).is_err() {
            metrics::counter!("jewelry_insights_dropped_total").increment(count as u64);
            // Said once a minute at most: under such a load a line per request would
            // add to it.
            let now = OffsetDateTime::now_utc().unix_timestamp();
            let last = self.warned_at.load(std::sync::atomic::Ordering::Relaxed);
            if now - last >= 60
                && self
                    .warned_at
                    .compare_exchange(
                        last,
                        now,
                        std::sync::atomic::Ordering::Relaxed,
                        std::sync::atomic::Ordering::Relaxed,
                    )
                    .is_ok()
            {
                tracing::warn!(
                    "the insights writer is behind: some accepted events are logged but not counted \
                     (jewelry_insights_dropped_total)"
                );
            }
        }
    }

    /// Waits until every event recorded before this call is written (the page
    /// shows what this instance has just accepted; shutdown loses nothing queued).
    pub async fn flush(&self) {
        self.send_pages();
        let (done, written) = oneshot::channel();
        if self.sender.send(Message::Flush(done)).await.is_ok() {
            let _ = written.await;
        }
    }

    /// The figures for `range`, ending today.
    pub async fn report(&self, range: Range) -> Result<Report, Failure> {
        self.flush().await;
        let dates = self.days.days_of(range, OffsetDateTime::now_utc());
        let (from, to) = (dates[0].clone(), dates[dates.len() - 1].clone());
        let over_range = |sql| Over { db: &self.db, sql, from: &from, to: &to };
        let furthest: Vec<(i64, i64)> = over_range(
            "SELECT furthest, COUNT(*) FROM insight_sessions WHERE day >= $1 AND day <= $2 GROUP BY furthest",
        )
        .rows()
        .await?;
        let funnel = FUNNEL
            .iter()
            .enumerate()
            .map(|(i, event)| FunnelStep {
                event: *event,
                // Reached this step or a later one.
                sessions: furthest.iter().filter(|(step, _)| *step > i as i64).map(|(_, n)| *n as u64).sum(),
            })
            .collect();
        let sessions: HashMap<String, i64> =
            over_range("SELECT day, COUNT(*) FROM insight_sessions WHERE day >= $1 AND day <= $2 GROUP BY day")
                .rows::<(String, i64)>()
                .await?
                .into_iter()
                .collect();
        let orders: HashMap<String, [i64; 8]> = over_range(
            "SELECT day, orders, revenue_cents, delivered, delivered_cents, cancelled, cancelled_cents, returned, \
             returned_cents FROM insight_orders WHERE day >= $1 AND day <= $2",
        )
        .rows::<OrderDayRow>()
        .await?
        .into_iter()
        .map(|(day, a, b, c, d, e, f, g, h)| (day, [a, b, c, d, e, f, g, h]))
        .collect();
        let days =
            dates
                .iter()
                .map(|date| {
                    let [
                        orders,
                        revenue,
                        delivered,
                        delivered_cents,
                        cancelled,
                        cancelled_cents,
                        returned,
                        returned_cents,
                    ] = orders.get(date).copied().unwrap_or_default();
                    let count = |n: i64| u64::try_from(n).unwrap_or_default();
                    Day {
                        date: date.clone(),
                        sessions: sessions.get(date).copied().unwrap_or_default() as u64,
                        orders: count(orders),
                        revenue: Money::from_minor(revenue),
                        delivered: count(delivered),
                        delivered_revenue: Money::from_minor(delivered_cents),
                        cancelled: count(cancelled),
                        cancelled_revenue: Money::from_minor(cancelled_cents),
                        returned: count(returned),
                        returned_revenue: Money::from_minor(returned_cents),
                    }
                })
                .collect();
        let products = over_range(
            "SELECT ip.product_id, p.name, p.name_vi, CAST(SUM(ip.views) AS BIGINT), CAST(SUM(ip.adds) AS BIGINT) \
             FROM insight_products ip LEFT JOIN products p ON p.id = ip.product_id \
             WHERE ip.day >= $1 AND ip.day <= $2 GROUP BY ip.product_id, p.name, p.name_vi",
        )
        .rows::<(String, Option<String>, Option<String>, i64, i64)>()
        .await?
        .into_iter()
        .map(|(product_id, name, name_vi, views, adds)| ProductFigures {
            product_id,
            name: name.map(|en| jewelry::Localized::new(name_vi.unwrap_or_default(), en)),
            views: views as u64,
            adds: adds as u64,
        })
        .collect();
        let mut variants: Vec<VariantFigures> = over_range(
            "SELECT product_id, variant_id, MAX(sku), CAST(SUM(views) AS BIGINT), CAST(SUM(adds) AS BIGINT), \
             CAST(SUM(sold) AS BIGINT) FROM insight_variants WHERE day >= $1 AND day <= $2 \
             GROUP BY product_id, variant_id",
        )
        .rows::<(String, String, Option<String>, i64, i64, i64)>()
        .await?
        .into_iter()
        .map(|(product_id, variant_id, sku, views, adds, sold)| VariantFigures {
            product_id,
            variant_id,
            sku,
            views: views as u64,
            adds: adds as u64,
            sold: sold as u64,
        })
        .collect();
        variants.sort_by(|a, b| b.views.cmp(&a.views).then(b.sold.cmp(&a.sold)).then(a.variant_id.cmp(&b.variant_id)));
        let mut sources = Vec::with_capacity(SourceDimension::ALL.len());
        for dimension in SourceDimension::ALL {
            sources.push((dimension, self.sources(dimension, &from, &to).await?));
        }
        let pages: HashMap<String, i64> =
            over_range("SELECT day, requests FROM insight_page_requests WHERE day >= $1 AND day <= $2")
                .rows::<(String, i64)>()
                .await?
                .into_iter()
                .collect();
        let page_requests = dates.iter().map(|d| pages.get(d).copied().unwrap_or_default() as u64).collect();
        Ok(Report {
            range,
            from,
            to,
            time_zone: self.days.name().to_owned(),
            funnel,
            days,
            products,
            variants,
            sources,
            page_requests,
        })
    }

    /// Sessions begun from `from` to `to`, grouped by `dimension`: their checkouts,
    /// and the orders they placed at the orders' own totals.
    async fn sources(&self, dimension: SourceDimension, from: &str, to: &str) -> Result<Vec<SourceFigures>, Failure> {
        // The grouping key, an SQL expression over `s` (insight_sessions).
        let key = match dimension {
            SourceDimension::SourceMedium => {
                "CASE WHEN s.utm_source IS NULL AND s.utm_medium IS NULL THEN NULL \
                 ELSE COALESCE(s.utm_source, '') || ' / ' || COALESCE(s.utm_medium, '') END"
            }
            SourceDimension::Campaign => "s.utm_campaign",
            SourceDimension::ReferringSite => "s.referrer_host",
        };
        let checkout = FUNNEL.iter().position(|e| *e == EventName::CheckoutStart).unwrap_or(3) as i64 + 1;
        let sessions: Vec<(Option<String>, i64, i64)> = sqlx::query_as(&format!(
            "SELECT {key} AS k, COUNT(*), CAST(SUM(CASE WHEN s.furthest >= $3 THEN 1 ELSE 0 END) AS BIGINT) \
             FROM insight_sessions s WHERE s.day >= $1 AND s.day <= $2 GROUP BY k"
        ))
        .bind(from)
        .bind(to)
        .bind(checkout)
        .fetch_all(&self.db)
        .await
        .during("reading the insights")?;
        let orders: Vec<(Option<String>, i64, i64)> = sqlx::query_as(&format!(
            "SELECT {key} AS k, COUNT(*), CAST(COALESCE(SUM(o.total_cents), 0) AS BIGINT) \
             FROM insight_session_orders so JOIN insight_sessions s ON s.session_id = so.session_id \
             JOIN orders o ON o.id = so.order_id WHERE so.day >= $1 AND so.day <= $2 GROUP BY k"
        ))
        .bind(from)
        .bind(to)
        .fetch_all(&self.db)
        .await
        .during("reading the insights")?;
        let mut rows: Vec<SourceFigures> = sessions
            .into_iter()
            .map(|(key, sessions, checkouts)| SourceFigures {
                key,
                sessions: sessions as u64,
                checkouts: checkouts as u64,
                orders: 0,
                revenue: Money::ZERO,
            })
            .collect();
        for (key, count, revenue) in orders {
            match rows.iter_mut().find(|r| r.key == key) {
                Some(row) => {
                    row.orders = count as u64;
                    row.revenue = Money::from_minor(revenue);
                }
                None => rows.push(SourceFigures {
                    key,
                    sessions: 0,
                    checkouts: 0,
                    orders: count as u64,
                    revenue: Money::from_minor(revenue),
                }),
            }
        }
        rows.sort_by(|a, b| b.sessions.cmp(&a.sessions).then(b.orders.cmp(&a.orders)).then(a.key.cmp(&b.key)));
        Ok(rows)
    }

    /// Deletes counters older than the retention, and event ids older than a
    /// repeat could be; answers how many rows went.
    pub async fn prune(&self, now: OffsetDateTime) -> Result<u64, sqlx::Error> {
        let keep_from = self.days.day_before(now, self.retention_days as i32);
        let ids_from = self.days.day_before(now, EVENT_IDS_KEPT_DAYS);
        let mut deleted = 0;
        for (table, from) in [
            ("insight_sessions", &keep_from),
            ("insight_products", &keep_from),
            ("insight_variants", &keep_from),
            ("insight_orders", &keep_from),
            ("insight_session_orders", &keep_from),
            ("insight_page_requests", &keep_from),
            ("insight_events", &ids_from),
        ] {
            let sql = format!("DELETE FROM {table} WHERE day < $1");
            deleted += sqlx::query(&sql).bind(from).execute(&self.db).await?.rows_affected();
        }
        Ok(deleted)
    }
}

#[async_trait::async_trait]
impl jewelry_app::services::InsightReports for Insights {
    async fn report(&self, range: Range) -> Result<Report, Failure> {
        Insights::report(self, range).await
    }
}

/// A query over a range of days (`$1` the first, `$2` the last).
struct Over<'a> {
    db: &'a Database,
    sql: &'static str,
    from: &'a str,
    to: &'a str,
}

impl Over<'_> {
    async fn rows<T>(self) -> Result<Vec<T>, Failure>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
    {
        sqlx::query_as::<_, T>(self.sql)
            .bind(self.from)
            .bind(self.to)
            .fetch_all(self.db)
            .await
            .during("reading the insights")
    }
}

/// Counts an order placed `at` for `total`, in the order's own transaction (so
/// it counts exactly once).
pub async fn record_order(
    tx: &mut Transaction<'static, Any>,
    days: &ShopDays,
    at: OffsetDateTime,
    total: Money,
    lines: &[jewelry::order::PlacedItem],
) -> Result<(), sqlx::Error> {
    // Each variant's units, in one order of keys (two orders never wait on each other).
    let mut sold: BTreeMap<&str, (&str, &str, i64)> = BTreeMap::new();
    for line in lines {
        sold.entry(&line.variant_id).or_insert((&line.product_id, &line.sku, 0)).2 += i64::from(line.quantity);
    }
    for (variant, (product, sku, units)) in sold {
        sqlx::query(
            "INSERT INTO insight_variants (day, variant_id, product_id, sku, sold) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (day, variant_id) DO UPDATE SET sold = insight_variants.sold + excluded.sold",
        )
        .bind(days.day_of(at))
        .bind(variant)
        .bind(product)
        .bind(sku)
        .bind(units)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO insight_orders (day, orders, revenue_cents) VALUES ($1, 1, $2) \
         ON CONFLICT (day) DO UPDATE SET orders = insight_orders.orders + 1, \
         revenue_cents = insight_orders.revenue_cents + excluded.revenue_cents",
    )
    .bind(days.day_of(at))
    .bind(total.minor())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A day of `insight_orders`: placed, delivered, cancelled and returned, each a count and its cents.
type OrderDayRow = (String, i64, i64, i64, i64, i64, i64, i64, i64);

/// Counts an order delivered (`amount`: the cash collected), cancelled or
/// returned (`amount`: its total) on the day of the move, in the move's
/// transaction. Other moves count nothing.
pub async fn record_move(
    tx: &mut Transaction<'static, Any>,
    days: &ShopDays,
    at: OffsetDateTime,
    to: jewelry::fulfilment::OrderStatus,
    amount: Money,
) -> Result<(), sqlx::Error> {
    use jewelry::fulfilment::OrderStatus;
    let (count, cents) = match to {
        OrderStatus::Delivered => ("delivered", "delivered_cents"),
        OrderStatus::Cancelled => ("cancelled", "cancelled_cents"),
        OrderStatus::Returned => ("returned", "returned_cents"),
        OrderStatus::Placed | OrderStatus::Confirmed | OrderStatus::Shipped => return Ok(()),
    };
    sqlx::query(&format!(
        "INSERT INTO insight_orders (day, orders, revenue_cents, {count}, {cents}) VALUES ($1, 0, 0, 1, $2) \
         ON CONFLICT (day) DO UPDATE SET {count} = insight_orders.{count} + 1, \
         {cents} = insight_orders.{cents} + excluded.{cents}"
    ))
    .bind(days.day_of(at))
    .bind(amount.minor())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The writer: a batch at a time, until the channel closes.
async fn write_batches(db: Database, mut receiver: mpsc::Receiver<Message>) {
    let mut batch = Batch::default();
    let mut waiting = Vec::new();
    while let Some(first) = receiver.recv().await {
        let take = |message, batch: &mut Batch, waiting: &mut Vec<oneshot::Sender<()>>| match message {
            Message::Events(tallies) => batch.tallies.extend(tallies),
            Message::Pages(day, n) => *batch.pages.entry(day).or_default() += n,
            Message::Flush(done) => waiting.push(done),
        };
        take(first, &mut batch, &mut waiting);
        let deadline = tokio::time::Instant::now() + BATCH_WAIT;
        while waiting.is_empty() && batch.tallies.len() < BATCH_EVENTS {
            match tokio::time::timeout_at(deadline, receiver.recv()).await {
                Ok(Some(message)) => take(message, &mut batch, &mut waiting),
                _ => break,
            }
        }
        if !batch.tallies.is_empty() || !batch.pages.is_empty() {
            write_with_retries(&db, &batch).await;
            batch.tallies.clear();
            batch.pages.clear();
        }
        for done in waiting.drain(..) {
            let _ = done.send(());
        }
    }
}

/// What the writer writes in one transaction.
#[derive(Default)]
struct Batch {
    tallies: Vec<Tally>,
    /// Storefront pages served, per day.
    pages: BTreeMap<Arc<str>, u64>,
}

/// Writes a batch, trying three times over a few seconds before giving up on it
/// (the events stay in the log, which `docs/insights.md` can count from).
async fn write_with_retries(db: &Database, batch: &Batch) {
    for attempt in 1..=3u32 {
        match write(db, batch).await {
            Ok(()) => return,
            Err(e) if attempt < 3 => {
                tracing::warn!(error = %e, attempt, "writing the insights counters failed; trying again");
                tokio::time::sleep(Duration::from_secs(u64::from(attempt))).await;
            }
            Err(e) => {
                metrics::counter!("jewelry_insights_dropped_total").increment(batch.tallies.len() as u64);
                tracing::error!(error = %e, events = batch.tallies.len(), "these events are logged but not counted in the insights");
            }
        }
    }
}

async fn write(db: &Database, all: &Batch) -> Result<(), sqlx::Error> {
    // One order of keys for every instance, so two never wait on each other's rows.
    let mut batch: Vec<&Tally> = all.tallies.iter().collect();
    batch.sort_by_key(|t| t.event_id);
    batch.dedup_by_key(|t| t.event_id);
    let mut tx = db.begin().await?;
    // Only the events that add to a count are looked up by id (most of a shop's
    // events are page views, which need no such row).
    let once: Vec<&Tally> = batch.iter().copied().filter(|t| t.counted_once).collect();
    let mut new = std::collections::HashSet::new();
    let ids = statements(
        &once,
        2,
        "INSERT INTO insight_events (event_id, day)",
        "ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
        |args, tally| {
            // The id's 16 bytes (BLOB, BYTEA): a smaller key than its text.
            args.add(tally.event_id.as_bytes().as_slice())?;
            args.add(&*tally.day)
        },
    );
    for statement in ids {
        let (sql, args) = statement?;
        let inserted: Vec<(Vec<u8>,)> = sqlx::query_as_with(&sql, args).fetch_all(&mut *tx).await?;
        new.extend(inserted.into_iter().filter_map(|(id,)| Uuid::from_slice(&id).ok()));
    }
    let mut sessions: BTreeMap<Uuid, (&str, u8, &Attribution)> = BTreeMap::new();
    let mut products: BTreeMap<(&str, &str), (i64, i64)> = BTreeMap::new();
    let mut variants: BTreeMap<(&str, &str), VariantCounts> = BTreeMap::new();
    let mut orders: BTreeMap<&str, (Uuid, &str)> = BTreeMap::new();
    for tally in batch.iter().filter(|t| !t.counted_once || new.contains(&t.event_id)) {
        let session = sessions.entry(tally.session_id).or_insert((&*tally.day, tally.step, &tally.attribution));
        session.1 = session.1.max(tally.step);
        if let Some(order) = &tally.order_id {
            orders.entry(order).or_insert((tally.session_id, &*tally.day));
        }
        if let Some((product, added)) = &tally.product {
            let counts = products.entry((&*tally.day, product)).or_default();
            if *added {
                counts.1 += 1;
            } else {
                counts.0 += 1;
            }
            if let Some((variant, sku)) = &tally.variant {
                let counts = variants.entry((&*tally.day, variant)).or_insert((product, sku.as_deref(), 0, 0));
                if *added {
                    counts.3 += 1;
                } else {
                    counts.2 += 1;
                }
            }
        }
    }
    // A statement per many rows (each key once in it, as PostgreSQL's ON CONFLICT
    // DO UPDATE requires: the maps' keys are unique), not one per row.
    let (sessions, products): (Vec<_>, Vec<_>) = (sessions.into_iter().collect(), products.into_iter().collect());
    let orders: Vec<_> = orders.into_iter().collect();
    let variants: Vec<_> = variants.into_iter().collect();
    let pages: Vec<_> = all.pages.iter().collect();
    // A session's campaign is its first page view's, the same on every event; one
    // told without it (the database was out of reach) is filled in by a later one.
    let sessions = statements(
        &sessions,
        SESSION_COLUMNS,
        SESSIONS_INSERT,
        SESSIONS_MERGE,
        |args, (session, (day, furthest, attribution))| {
            args.add(session.to_string())?;
            args.add(*day)?;
            args.add(i64::from(*furthest))?;
            args.add(attribution.campaign.source.as_deref())?;
            args.add(attribution.campaign.medium.as_deref())?;
            args.add(attribution.campaign.campaign.as_deref())?;
            args.add(attribution.referrer_host.as_deref())
        },
    );
    let orders = statements(
        &orders,
        3,
        "INSERT INTO insight_session_orders (order_id, session_id, day)",
        "ON CONFLICT (order_id) DO NOTHING",
        |args, (order, (session, day))| {
            args.add(*order)?;
            args.add(session.to_string())?;
            args.add(*day)
        },
    );
    let pages = statements(
        &pages,
        2,
        "INSERT INTO insight_page_requests (day, requests)",
        "ON CONFLICT (day) DO UPDATE SET requests = insight_page_requests.requests + excluded.requests",
        |args, (day, n)| {
            args.add(&***day)?;
            args.add(**n as i64)
        },
    );
    let products = statements(
        &products,
        4,
        "INSERT INTO insight_products (day, product_id, views, adds)",
        "ON CONFLICT (day, product_id) DO UPDATE SET views = insight_products.views + excluded.views, \
         adds = insight_products.adds + excluded.adds",
        |args, ((day, product), (views, adds))| {
            args.add(*day)?;
            args.add(*product)?;
            args.add(*views)?;
            args.add(*adds)
        },
    );
    let variants = statements(
        &variants,
        6,
        "INSERT INTO insight_variants (day, variant_id, product_id, sku, views, adds)",
        "ON CONFLICT (day, variant_id) DO UPDATE SET views = insight_variants.views + excluded.views, \
         adds = insight_variants.adds + excluded.adds",
        |args, ((day, variant), (product, sku, views, adds))| {
            args.add(*day)?;
            args.add(*variant)?;
            args.add(*product)?;
            args.add(*sku)?;
            args.add(*views)?;
            args.add(*adds)
        },
    );
    for statement in sessions.chain(products).chain(variants).chain(orders).chain(pages) {
        let (sql, args) = statement?;
        sqlx::query_with(&sql, args).execute(&mut *tx).await?;
    }
    tx.commit().await
}

/// A session's row: its id, day, furthest step, and campaign and referring site.
pub(crate) const SESSION_COLUMNS: usize = 7;
pub(crate) const SESSIONS_INSERT: &str =
    "INSERT INTO insight_sessions (session_id, day, furthest, utm_source, utm_medium, utm_campaign, referrer_host)";
/// A session told again keeps its day; its furthest step is the larger, and its
/// campaign and referring site the first one told (a later one fills in a gap).
pub(crate) const SESSIONS_MERGE: &str = "ON CONFLICT (session_id) DO UPDATE SET furthest = CASE \
     WHEN excluded.furthest > insight_sessions.furthest THEN excluded.furthest \
     ELSE insight_sessions.furthest END, \
     utm_source = COALESCE(insight_sessions.utm_source, excluded.utm_source), \
     utm_medium = COALESCE(insight_sessions.utm_medium, excluded.utm_medium), \
     utm_campaign = COALESCE(insight_sessions.utm_campaign, excluded.utm_campaign), \
     referrer_host = COALESCE(insight_sessions.referrer_host, excluded.referrer_host)";

/// A variant's counts in a batch: its product, its SKU, views and adds.
type VariantCounts<'a> = (&'a str, Option<&'a str>, i64, i64);

/// `{head} VALUES (...), ... {tail}` once per [`ROWS_PER_INSERT`] of `rows`, with
/// the values `add` gives each row (`arity` of them).
pub(crate) fn statements<'q, T>(
    rows: &'q [T],
    arity: usize,
    head: &'static str,
    tail: &'static str,
    add: impl Fn(&mut AnyArguments<'q>, &'q T) -> Result<(), sqlx::error::BoxDynError>,
) -> impl Iterator<Item = Result<(String, AnyArguments<'q>), sqlx::Error>> {
    rows.chunks(ROWS_PER_INSERT).map(move |chunk| {
        let mut args = AnyArguments::default();
        for row in chunk {
            add(&mut args, row).map_err(sqlx::Error::Encode)?;
        }
        Ok((format!("{head} VALUES {} {tail}", values(chunk.len(), arity)), args))
    })
}

/// `($1, $2), ($3, $4), ...`: the placeholders of `rows` rows of `arity` values.
fn values(rows: usize, arity: usize) -> String {
    use std::fmt::Write;
    let mut sql = String::with_capacity(rows * arity * 5);
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..arity {
            let separator = if column > 0 { ", " } else { "" };
            let _ = write!(sql, "{separator}${}", row * arity + column + 1);
        }
        sql.push(')');
    }
    sql
}

/// Hands the pages counted to the writer every second, while the counters are in use.
async fn send_pages_every_second(insights: std::sync::Weak<Insights>) {
    let mut every = tokio::time::interval(BATCH_WAIT);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        let Some(insights) = insights.upgrade() else { return };
        insights.send_pages();
    }
}

/// Prunes a minute after start (not in the way of starting up), then every
/// hour, while the counters are in use.
async fn prune_every_hour(insights: std::sync::Weak<Insights>) {
    let first = tokio::time::Instant::now() + Duration::from_secs(60);
    let mut every = tokio::time::interval_at(first, PRUNE_EVERY);
    loop {
        every.tick().await;
        let Some(insights) = insights.upgrade() else { return };
        match insights.prune(OffsetDateTime::now_utc()).await {
            Ok(0) => {}
            Ok(rows) => tracing::info!(rows, "deleted insights rows past their retention"),
            Err(e) => tracing::warn!(error = %e, "deleting old insights rows failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn values_number_every_placeholder_once() {
        assert_eq!(values(1, 2), "($1, $2)");
        assert_eq!(values(2, 3), "($1, $2, $3), ($4, $5, $6)");
    }

    #[test]
    fn days_are_the_shops_own() {
        let paris = ShopDays::new("Europe/Paris").unwrap();
        // 23:30 UTC is already the next day in Paris (UTC+1 in December).
        assert_eq!(paris.day_of(datetime!(2026-12-01 23:30 UTC)), "2026-12-02");
        assert_eq!(ShopDays::utc().day_of(datetime!(2026-12-01 23:30 UTC)), "2026-12-01");
        let week = paris.days_of(Range::Week, datetime!(2026-12-02 10:00 UTC));
        assert_eq!(week.first().map(String::as_str), Some("2026-11-26"));
        assert_eq!(week.last().map(String::as_str), Some("2026-12-02"));
        assert_eq!(week.len(), 7);
        assert_eq!(paris.days_of(Range::Today, datetime!(2026-12-02 10:00 UTC)), ["2026-12-02"]);
    }

    #[test]
    fn an_unknown_zone_names_the_setting() {
        let e = ShopDays::new("Mars/Olympus").unwrap_err().to_string();
        assert!(e.contains("APP_INSIGHTS__TIME_ZONE") && e.contains("Mars/Olympus"), "{e}");
    }
}
