//! What the benchmarks share: the clock, settings from the environment, a fresh database on
//! either backend, the app's state over it, and percentiles.

#![allow(dead_code)] // Each bench uses the helpers it needs.

use app::platform::server::{self, AppState, Config};
use engine::time::Timestamp;

pub fn now() -> Timestamp {
    let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis());
    Timestamp::from_unix_millis(i64::try_from(ms).unwrap_or(i64::MAX))
}

pub fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|s| s.parse().ok()).unwrap_or(default)
}

/// A new empty database named after the bench: a SQLite file in `dir`, or a PostgreSQL
/// database (dropped first if a crashed run left it) on `BASHGAH_TEST_POSTGRES`.
pub async fn database_url(backend: &str, dir: &std::path::Path, bench: &str) -> String {
    let name = format!("bashgah_{bench}_{}", std::process::id());
    if backend == "sqlite" {
        return format!("sqlite://{}", dir.join(format!("{bench}.sqlite")).display());
    }
    let admin = std::env::var("BASHGAH_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin).await.expect("PostgreSQL");
    let _ = sqlx::Executor::execute(&mut conn, sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name}"))).await;
    sqlx::Executor::execute(&mut conn, sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).await.expect("create database");
    format!("{}/{name}", admin.rsplit_once('/').map_or(admin.as_str(), |(base, _)| base))
}

/// The app's state over `url`, quiet and without a beacon.
pub async fn state(url: &str, dir: &std::path::Path) -> AppState {
    let vars = [
        ("BASHGAH_DATA_DIR", dir.display().to_string()),
        ("DATABASE_URL", url.to_owned()),
        ("BASHGAH_LOG", "error".to_owned()),
        ("BASHGAH_BEACON", "none".to_owned()),
    ];
    let config = Config::from_sources(None, |name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone())).expect("config");
    let db = server::open_database(&config).await.expect("database");
    server::app_state(config, db).expect("state")
}

/// The `q` quantile of sorted microseconds, in milliseconds (nearest rank).
pub fn percentile(sorted: &[u64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let at = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[at.min(sorted.len() - 1)] as f64 / 1000.0
}
