//! The database: one pool built at start-up, migrations run before serving.
//! SQLite in the embedded profile, PostgreSQL in production, through sqlx's `Any`
//! driver so both run the same queries (portable SQL, `$n` parameters).
//!
//! [`Database`] is the pool as the rest of the server uses it: an executor like
//! `&Pool`, whose connections, when PostgreSQL refuses a new one for a wrong
//! password (`28P01`, a rotated `DB_PASSWORD`), read the secret again at once and
//! retry, so a rotation does not reach the shopper as an error page. Once a
//! connection could not be had (the database is down), callers wait at most
//! [`WHILE_DOWN`] for one instead of the pool's 10 s, until one is had again: an
//! outage is answered `503` at once rather than after 10 s per request.

use crate::config::DatabaseSettings;
use crate::secrets::Refresher;
use anyhow::Context;
use either::Either;
use futures_util::future::BoxFuture;
use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};
use jewelry::Currency;
use sqlx::any::{AnyPoolOptions, AnyQueryResult, AnyRow, AnyStatement, AnyTypeInfo};
use sqlx::migrate::Migrator;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool, Describe, Execute, Executor, Transaction};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// How long a request waits for a connection while the database is known to be
/// down (the last attempt to get one failed).
pub const WHILE_DOWN: Duration = Duration::from_secs(1);

/// The pool, and who to ask for a new password when the database refuses one.
#[derive(Clone)]
pub struct Database {
    pool: AnyPool,
    refresher: Option<Arc<Refresher>>,
    /// The last attempt to get a connection failed.
    down: Arc<AtomicBool>,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database").field("pool", &self.pool).finish_non_exhaustive()
    }
}

impl From<AnyPool> for Database {
    fn from(pool: AnyPool) -> Self {
        Database { pool, refresher: None, down: Arc::default() }
    }
}

/// PostgreSQL's `invalid_password`.
fn is_wrong_password(e: &sqlx::Error) -> bool {
    e.as_database_error().and_then(|d| d.code()).is_some_and(|code| code == "28P01")
}

impl Database {
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Runs `attempt`; if the database refused the connection for its password,
    /// reads `DB_PASSWORD` again (rate-limited) and runs it once more.
    async fn retrying<T, F, Fut>(&self, attempt: F) -> Result<T, sqlx::Error>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, sqlx::Error>>,
    {
        match attempt().await {
            Err(e) if is_wrong_password(&e) => match &self.refresher {
                Some(refresher) => {
                    refresher.after_refusal(&self.pool).await;
                    attempt().await
                }
                None => Err(e),
            },
            other => other,
        }
    }

    pub async fn acquire(&self) -> Result<PoolConnection<Any>, sqlx::Error> {
        self.connected(self.retrying(|| self.pool.acquire())).await
    }

    pub async fn begin(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        self.connected(self.retrying(|| self.pool.begin())).await
    }

    /// Whether the last attempt to get a connection failed.
    fn is_down(&self) -> bool {
        self.down.load(Ordering::Relaxed)
    }

    /// Runs `getting` (a connection), within [`WHILE_DOWN`] while the database is
    /// down, and notes whether the database answered.
    async fn connected<T>(&self, getting: impl Future<Output = Result<T, sqlx::Error>>) -> Result<T, sqlx::Error> {
        let outcome = match self.is_down() {
            true => tokio::time::timeout(WHILE_DOWN, getting).await.unwrap_or(Err(sqlx::Error::PoolTimedOut)),
            false => getting.await,
        };
        let unreachable = matches!(
            &outcome,
            Err(sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::Tls(_) | sqlx::Error::PoolClosed)
        );
        if unreachable != self.is_down() {
            self.down.store(unreachable, Ordering::Relaxed);
            match unreachable {
                true => tracing::warn!("the database cannot be reached; requests are answered 503 until it can"),
                false => tracing::info!("the database can be reached again"),
            }
        }
        outcome
    }
}

/// Queries run on a connection from [`Database::acquire`]. A query's rows are
/// collected before they are handed on (the shop's queries are small).
impl<'p> Executor<'p> for &'_ Database {
    type Database = Any;

    fn fetch_many<'e, 'q: 'e, E>(self, query: E) -> BoxStream<'e, Result<Either<AnyQueryResult, AnyRow>, sqlx::Error>>
    where
        E: 'q + Execute<'q, Any>,
    {
        let db = self.clone();
        stream::once(async move {
            let mut conn = db.acquire().await?;
            conn.fetch_many(query).try_collect::<Vec<_>>().await
        })
        .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
        .try_flatten()
        .boxed()
    }

    fn fetch_optional<'e, 'q: 'e, E>(self, query: E) -> BoxFuture<'e, Result<Option<AnyRow>, sqlx::Error>>
    where
        E: 'q + Execute<'q, Any>,
    {
        let db = self.clone();
        Box::pin(async move { db.acquire().await?.fetch_optional(query).await })
    }

    fn prepare_with<'e, 'q: 'e>(
        self,
        sql: &'q str,
        parameters: &'e [AnyTypeInfo],
    ) -> BoxFuture<'e, Result<AnyStatement<'q>, sqlx::Error>> {
        let db = self.clone();
        Box::pin(async move { db.acquire().await?.prepare_with(sql, parameters).await })
    }

    fn describe<'e, 'q: 'e>(self, sql: &'q str) -> BoxFuture<'e, Result<Describe<Any>, sqlx::Error>> {
        let db = self.clone();
        Box::pin(async move { db.acquire().await?.describe(sql).await })
    }
}

/// Whether a connection handed back to the pool may serve the next caller: not
/// when it is still in a transaction after its last one ended. sqlx counts a
/// transaction as open when its `COMMIT` failed (SQLite answers `SQLITE_FULL` on
/// a full disk and has rolled it back itself), so the `ROLLBACK` of the dropped
/// transaction fails in turn and the count stays at one; the connection's next
/// `begin()` is then a `SAVEPOINT`, which opens a real transaction that a rolled
/// back savepoint leaves open, holding SQLite's write lock: every other
/// connection waits 5 s and fails with "database is locked", and what this one
/// "commits" is never made durable. Closing such a connection ends it (SQLite
/// rolls back what a closed connection left open); the pool opens a new one.
async fn still_usable(conn: &mut sqlx::AnyConnection) -> Result<bool, sqlx::Error> {
    use sqlx::Connection;
    if !conn.is_in_transaction() {
        return Ok(true);
    }
    // A dropped transaction's `ROLLBACK` may still be queued: a round trip runs it.
    conn.ping().await?;
    if conn.is_in_transaction() {
        tracing::warn!("a database connection was left in a transaction (a failed commit); it is closed");
        return Ok(false);
    }
    Ok(true)
}

/// Checks that the database's amounts are in `currency`, the shop's setting; a
/// database with none recorded yet (a new one) takes it. A shop never reads one
/// currency's amounts as another's: on a database in another currency it does not
/// start, and says which currency that is.
pub async fn settle_currency(pool: &Database, currency: Currency) -> anyhow::Result<()> {
    sqlx::query("INSERT INTO shop_currency (id, currency) VALUES (1, $1) ON CONFLICT (id) DO NOTHING")
        .bind(currency.code())
        .execute(pool)
        .await
        .context("recording the shop's currency")?;
    let (recorded,): (String,) = sqlx::query_as("SELECT currency FROM shop_currency WHERE id = 1")
        .fetch_one(pool)
        .await
        .context("reading the shop's currency")?;
    if recorded != currency.code() {
        anyhow::bail!(
            "the database's prices and orders are in {recorded}, but the shop is set to sell in {currency} \
             (`currency`, APP_CURRENCY): set APP_CURRENCY={recorded}, or start on a new database"
        );
    }
    Ok(())
}

/// Opens the pool, migrates the database, and, with `refresher`, keeps its
/// password current.
pub async fn connect(settings: &DatabaseSettings, refresher: Option<Arc<Refresher>>) -> anyhow::Result<Database> {
    sqlx::any::install_default_drivers();
    let sqlite = settings.is_sqlite();
    if sqlite {
        std::fs::create_dir_all(&settings.data_dir)
            .with_context(|| format!("creating the data directory {}", settings.data_dir.display()))?;
    }
    let options = settings.connect_options().context("the database URL is not usable")?;
    let pool = AnyPoolOptions::new()
        .max_connections(settings.max_connections)
        .acquire_timeout(Duration::from_secs(10))
        .after_release(|conn, _| Box::pin(still_usable(conn)))
        .connect_lazy_with(options);
    let db = Database { pool, refresher, down: Arc::default() };
    // The first connection: a refused password is read again here too.
    drop(db.acquire().await.context("connecting to the database")?);
    if sqlite {
        // Readers never wait for the writer; kept in the file once set.
        sqlx::query("PRAGMA journal_mode = WAL").execute(&db.pool).await.context("enabling WAL")?;
    }
    let migrator = if sqlite { &SQLITE_MIGRATIONS } else { &POSTGRES_MIGRATIONS };
    migrator.run(&db.pool).await.context("running database migrations")?;
    if let Some(refresher) = &db.refresher {
        let (refresher, pool) = (refresher.clone(), db.pool.clone());
        tokio::spawn(async move { refresher.run(pool).await });
    }
    Ok(db)
}
