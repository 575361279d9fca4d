//! The database: one pool built at start-up, migrations run before serving.
//! SQLite in the embedded profile, PostgreSQL in production, through sqlx's `Any`
//! driver so both run the same queries (portable SQL, `$n` parameters).

use crate::config::Settings;
use anyhow::Context;
use secrecy::ExposeSecret;
use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use std::time::Duration;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

pub async fn connect(settings: &Settings) -> anyhow::Result<AnyPool> {
    sqlx::any::install_default_drivers();
    let sqlite = settings.is_sqlite();
    if sqlite {
        std::fs::create_dir_all(&settings.data_dir)
            .with_context(|| format!("creating the data directory {}", settings.data_dir.display()))?;
    }
    let url = settings.database_url();
    let pool = AnyPoolOptions::new()
        .max_connections(settings.database_max_connections)
        .acquire_timeout(Duration::from_secs(10))
        .connect(url.expose_secret())
        .await
        .context("connecting to the database")?;
    if sqlite {
        // Readers never wait for the writer; kept in the file once set.
        sqlx::query("PRAGMA journal_mode = WAL").execute(&pool).await.context("enabling WAL")?;
    }
    let migrator = if sqlite { &SQLITE_MIGRATIONS } else { &POSTGRES_MIGRATIONS };
    migrator.run(&pool).await.context("running database migrations")?;
    Ok(pool)
}
