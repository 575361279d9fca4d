//! Where each session's shopper came from: the campaign (`utm_*`) and referring
//! site of the session's first `page_view`, carried by every clickstream line of
//! the session (`utmSource` ... `referrerHost`), so CloudWatch Logs Insights groups
//! orders by campaign without a join.
//!
//! The shop runs as several instances behind a load balancer, and a session's
//! events reach any of them: the first `page_view` each session sends is written to
//! the database (`session_attributions`, the first one written wins), and an
//! instance that meets a session it has not seen reads it from there. Each instance
//! keeps the sessions it has met in memory, for as long as a session lasts without
//! an event (30 minutes), so a session costs the database one write and one read
//! per instance, not one per event.
//!
//! The database is never in the way of an event: past [`DATABASE_WAIT`], or while it
//! is down, an instance goes by what it has (the `page_view` in hand, else nothing),
//! and the lines say so with `null`s. Rows are deleted two days after their session
//! began.

use crate::db::Database;
use jewelry::events::{Campaign, Event, EventName};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use uuid::Uuid;

/// A session is over after this long without an event (the tracker's timeout).
const SESSION_IDLE: Duration = Duration::from_secs(30 * 60);
/// Sessions remembered per instance at most.
const CAPACITY: u64 = 200_000;
/// The longest a request waits on the database for its sessions.
const DATABASE_WAIT: Duration = Duration::from_millis(250);
/// Rows are kept this long after their session began.
const KEPT: Duration = Duration::from_secs(2 * 24 * 3600);
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// A session's campaign and referring site.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attribution {
    pub campaign: Campaign,
    /// The referring page's host; `None` for the shop's own pages and for none.
    pub referrer_host: Option<String>,
}

impl Attribution {
    /// A `page_view`'s, the referrer judged against the shop's own hosts.
    fn of_page_view(event: &Event, own_hosts: &[String]) -> Attribution {
        let referrer_host = event
            .referrer()
            .and_then(|r| url::Url::parse(r).ok())
            .and_then(|u| u.host_str().map(|h| h.trim_end_matches('.').to_ascii_lowercase()))
            .filter(|host| !own_hosts.iter().any(|own| own == host));
        Attribution { campaign: event.campaign().clone(), referrer_host }
    }
}

pub struct Attributions {
    db: Database,
    /// The shop's hosts (its public address's; the request's own is added per request).
    own_hosts: Vec<String>,
    sessions: moka::sync::Cache<Uuid, Arc<Attribution>>,
    /// When the database was last found wanting (Unix seconds), to say so once a minute.
    warned_at: std::sync::atomic::AtomicI64,
}

/// The host of `authority` (`shop.example:8443` is `shop.example`), lowercased.
pub fn host_of(authority: &str) -> String {
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(v6),
        None => authority.rsplit_once(':').map_or(authority, |(host, _)| host),
    };
    host.trim_end_matches('.').to_ascii_lowercase()
}

impl Attributions {
    /// `public_url` is where shoppers reach the shop, if set: a referrer on it is
    /// the shop's own.
    pub fn start(db: Database, public_url: Option<&str>) -> Arc<Attributions> {
        let own_hosts = public_url
            .and_then(|u| url::Url::parse(u).ok())
            .and_then(|u| u.host_str().map(|h| h.to_ascii_lowercase()))
            .into_iter()
            .collect();
        let sessions = moka::sync::Cache::builder().max_capacity(CAPACITY).time_to_idle(SESSION_IDLE).build();
        let attributions = Arc::new(Attributions { db, own_hosts, sessions, warned_at: Default::default() });
        tokio::spawn(prune_every_hour(Arc::downgrade(&attributions)));
        attributions
    }

    /// Each event's session's attribution, in order. `host` is the request's `Host`
    /// (the shop's own, whatever its public address).
    pub async fn of(&self, events: &[Event], host: Option<&str>) -> Vec<Arc<Attribution>> {
        let mut known: HashMap<Uuid, Arc<Attribution>> = HashMap::new();
        let mut unknown: Vec<(Uuid, Option<&Event>)> = Vec::new();
        for event in events {
            let session = event.session_id().as_uuid();
            if known.contains_key(&session) {
                continue;
            }
            if let Some(found) = self.sessions.get(&session) {
                known.insert(session, found);
            } else if let Some((_, first)) = unknown.iter_mut().find(|(s, _)| *s == session) {
                if first.is_none() && event.name() == EventName::PageView {
                    *first = Some(event);
                }
            } else {
                unknown.push((session, (event.name() == EventName::PageView).then_some(event)));
            }
        }
        if !unknown.is_empty() {
            let mut own_hosts = self.own_hosts.clone();
            own_hosts.extend(host.map(host_of));
            let looked_up = tokio::time::timeout(DATABASE_WAIT, self.look_up(&unknown, &own_hosts)).await;
            let found = match looked_up {
                Ok(Ok(found)) => found,
                failed => {
                    self.warn(match failed {
                        Ok(Err(e)) => e.to_string(),
                        _ => format!("no answer within {} ms", DATABASE_WAIT.as_millis()),
                    });
                    // What the events in hand say, kept for this instance only.
                    unknown
                        .iter()
                        .filter_map(|(s, first)| Some((*s, Attribution::of_page_view((*first)?, &own_hosts))))
                        .collect()
                }
            };
            for (session, first) in &unknown {
                match found.iter().find(|(s, _)| s == session) {
                    Some((_, attribution)) => {
                        let attribution = Arc::new(attribution.clone());
                        self.sessions.insert(*session, attribution.clone());
                        known.insert(*session, attribution);
                    }
                    // Neither here nor in the database, and no page view in hand: the
                    // session's first lines reached this instance before its first
                    // page view reached any. Not remembered, so its next events look again.
                    None => {
                        debug_assert!(first.is_none());
                        known.insert(*session, Arc::default());
                    }
                }
            }
        }
        events.iter().map(|e| known.get(&e.session_id().as_uuid()).cloned().unwrap_or_default()).collect()
    }

    /// Writes the sessions' first page views (the first written wins) and reads what
    /// the database holds for the others.
    async fn look_up(
        &self,
        sessions: &[(Uuid, Option<&Event>)],
        own_hosts: &[String],
    ) -> Result<Vec<(Uuid, Attribution)>, sqlx::Error> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        for (session, first) in sessions {
            let Some(first) = first else { continue };
            let a = Attribution::of_page_view(first, own_hosts);
            sqlx::query(
                "INSERT INTO session_attributions (session_id, started_at, utm_source, utm_medium, utm_campaign, \
                 utm_term, utm_content, referrer_host) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (session_id) DO NOTHING",
            )
            .bind(session.to_string())
            .bind(now)
            .bind(a.campaign.source)
            .bind(a.campaign.medium)
            .bind(a.campaign.campaign)
            .bind(a.campaign.term)
            .bind(a.campaign.content)
            .bind(a.referrer_host)
            .execute(&self.db)
            .await?;
        }
        let mut found = Vec::with_capacity(sessions.len());
        for (session, _) in sessions {
            type Row = (Option<String>, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>);
            let row: Option<Row> = sqlx::query_as(
                "SELECT utm_source, utm_medium, utm_campaign, utm_term, utm_content, referrer_host \
                 FROM session_attributions WHERE session_id = $1",
            )
            .bind(session.to_string())
            .fetch_optional(&self.db)
            .await?;
            if let Some((source, medium, campaign, term, content, referrer_host)) = row {
                let campaign = Campaign { source, medium, campaign, term, content };
                found.push((*session, Attribution { campaign, referrer_host }));
            }
        }
        Ok(found)
    }

    fn warn(&self, error: String) {
        use std::sync::atomic::Ordering::Relaxed;
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let last = self.warned_at.load(Relaxed);
        if now - last >= 60 && self.warned_at.compare_exchange(last, now, Relaxed, Relaxed).is_ok() {
            tracing::warn!(
                error,
                "sessions' campaigns could not be read from the database: lines carry what this instance knows"
            );
        }
    }

    /// Deletes the rows of sessions begun more than two days before `now`.
    pub async fn prune(&self, now: OffsetDateTime) -> Result<u64, sqlx::Error> {
        let before = now.unix_timestamp() - KEPT.as_secs() as i64;
        Ok(sqlx::query("DELETE FROM session_attributions WHERE started_at < $1")
            .bind(before)
            .execute(&self.db)
            .await?
            .rows_affected())
    }
}

async fn prune_every_hour(attributions: std::sync::Weak<Attributions>) {
    let mut every = tokio::time::interval_at(tokio::time::Instant::now() + Duration::from_secs(90), PRUNE_EVERY);
    loop {
        every.tick().await;
        let Some(attributions) = attributions.upgrade() else { return };
        if let Err(e) = attributions.prune(OffsetDateTime::now_utc()).await {
            tracing::warn!(error = %e, "deleting old sessions' campaigns failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::host_of;

    #[test]
    fn hosts_lose_their_port() {
        assert_eq!(host_of("Shop.Example:8443"), "shop.example");
        assert_eq!(host_of("127.0.0.1:3000"), "127.0.0.1");
        assert_eq!(host_of("[::1]:3000"), "::1");
        assert_eq!(host_of("shop.example"), "shop.example");
    }
}
