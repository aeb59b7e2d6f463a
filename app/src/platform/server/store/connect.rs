//! Opening the database the URL names, with the settings each engine needs.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, PgPool, SqlitePool};

use crate::features::admin::server::store_sql::{PgClub, SqliteClub};
use crate::features::fairness::server::store_sql::{PgFairLog, SqliteFairLog};
use crate::platform::server::store::ledger_sql::{PgLedger, SqliteLedger};
use crate::features::pos::server::store_sql::{PgPos, SqlitePos};
use crate::features::earning::server::store_sql::{PgReferrals, SqliteReferrals};
use crate::features::contests::server::store::ContestStore;
use crate::features::coupons::server::store::CouponStore;
use crate::features::coupons::server::store_sql::{PgCoupons, SqliteCoupons};
use crate::features::contests::server::store_sql::{PgContests, SqliteContests};
use crate::features::raffles::server::store::RaffleStore;
use crate::features::raffles::server::store_sql::{PgRaffles, SqliteRaffles};
use crate::features::wheels::server::store_sql::{PgWheels, SqliteWheels};
use crate::platform::server::store::sql::{PgStore, SqliteStore};
use crate::platform::server::store::{AccountStore, ClubStore, FairLogStore, WheelStore, LedgerStore, PosStore, ReferralStore, SessionRecords};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The open database and the stores over it.
#[derive(Clone)]
pub struct Database {
    pool: Pool,
    pub accounts: Arc<dyn AccountStore>,
    pub sessions: Arc<dyn SessionRecords>,
    pub ledger: Arc<dyn LedgerStore>,
    pub club: Arc<dyn ClubStore>,
    pub pos: Arc<dyn PosStore>,
    pub referrals: Arc<dyn ReferralStore>,
    pub fairlog: Arc<dyn FairLogStore>,
    pub wheels: Arc<dyn WheelStore>,
    pub raffles: Arc<dyn RaffleStore>,
    pub contests: Arc<dyn ContestStore>,
    pub coupons: Arc<dyn CouponStore>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("cannot open database {url}: {reason}")]
    Open { url: String, reason: String },
    #[error("cannot migrate database {url}: {reason}")]
    Migrate { url: String, reason: String },
    #[error("DATABASE_URL must start with sqlite: or postgres:, not {0}")]
    UnknownScheme(String),
}

/// Query parameters that carry secrets in libpq and sqlx URLs (`?password=`, `?sslpassword=`…).
fn secret_parameter(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["pass", "secret", "token", "key"].iter().any(|s| name.contains(s))
}

/// The URL with every secret replaced, fit for logs and error messages: the password of the
/// user part, secret query parameters, and, for a string that does not parse as a URL, all but
/// its scheme (it cannot be told which part is a password).
pub fn redact(url: &str) -> String {
    let opaque = || {
        let scheme = url.split_once(':').map_or("", |(scheme, _)| scheme);
        let safe = !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
        if safe { format!("{scheme}:***") } else { "***".to_owned() }
    };
    let Ok(mut parsed) = url::Url::parse(url) else { return opaque() };
    // `scheme:user:secret@host` parses as a path: only a SQLite file path is shown as it is.
    if parsed.cannot_be_a_base() && parsed.scheme() != "sqlite" {
        return opaque();
    }
    if parsed.password().is_some() {
        // Setting a password only fails for URLs that cannot have one, which this has.
        let _ = parsed.set_password(Some("***"));
    }
    if parsed.query_pairs().any(|(name, _)| secret_parameter(&name)) {
        let pairs: Vec<(String, String)> = parsed
            .query_pairs()
            .map(|(name, value)| {
                let value = if secret_parameter(&name) { "***".to_owned() } else { value.into_owned() };
                (name.into_owned(), value)
            })
            .collect();
        parsed.query_pairs_mut().clear().extend_pairs(pairs);
    }
    parsed.to_string()
}

impl Database {
    /// Connects and checks that the server answers, so a wrong URL fails at start, not at the
    /// first request.
    pub async fn connect(url: &str) -> Result<Self, ConnectError> {
        let open_error = |e: sqlx::Error| ConnectError::Open { url: redact(url), reason: e.to_string() };
        let pool = if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(open_error)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5));
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(5))
                .connect_with(options)
                .await
                .map_err(open_error)?;
            Pool::Sqlite(pool)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options = PgConnectOptions::from_str(url).map_err(open_error)?;
            // One direct connection first: the pool would only report a timeout, while this
            // names the cause (refused, unknown host, wrong password, no such database).
            options.connect().await.map_err(open_error)?.close().await.map_err(open_error)?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(5))
                .connect_with(options)
                .await
                .map_err(open_error)?;
            Pool::Postgres(pool)
        } else {
            let scheme = url.split(':').next().unwrap_or_default().to_owned();
            return Err(ConnectError::UnknownScheme(scheme));
        };
        Ok(Self::over(pool))
    }

    fn over(pool: Pool) -> Self {
        match &pool {
            Pool::Sqlite(p) => {
                let store = Arc::new(SqliteStore::new(p.clone()));
                let ledger = Arc::new(SqliteLedger::new(p.clone()));
                let (club, pos) = (Arc::new(SqliteClub::new(p.clone())), Arc::new(SqlitePos::new(p.clone())));
                let referrals = Arc::new(SqliteReferrals::new(p.clone()));
                let fairlog = Arc::new(SqliteFairLog::new(p.clone()));
                let wheels = Arc::new(SqliteWheels::new(p.clone()));
                let raffles = Arc::new(SqliteRaffles::new(p.clone()));
                let contests = Arc::new(SqliteContests::new(p.clone()));
                let coupons = Arc::new(SqliteCoupons::new(p.clone()));
                Self { accounts: store.clone(), sessions: store, ledger, club, pos, referrals, fairlog, wheels, raffles, contests, coupons, pool }
            }
            Pool::Postgres(p) => {
                let store = Arc::new(PgStore::new(p.clone()));
                let ledger = Arc::new(PgLedger::new(p.clone()));
                let (club, pos) = (Arc::new(PgClub::new(p.clone())), Arc::new(PgPos::new(p.clone())));
                let referrals = Arc::new(PgReferrals::new(p.clone()));
                let fairlog = Arc::new(PgFairLog::new(p.clone()));
                let wheels = Arc::new(PgWheels::new(p.clone()));
                let raffles = Arc::new(PgRaffles::new(p.clone()));
                let contests = Arc::new(PgContests::new(p.clone()));
                let coupons = Arc::new(PgCoupons::new(p.clone()));
                Self { accounts: store.clone(), sessions: store, ledger, club, pos, referrals, fairlog, wheels, raffles, contests, coupons, pool }
            }
        }
    }

    /// Applies the migrations of this backend that have not run yet.
    pub async fn migrate(&self, url: &str) -> Result<(), ConnectError> {
        let result = match &self.pool {
            Pool::Sqlite(p) => sqlx::migrate!("../migrations/sqlite").run(p).await,
            Pool::Postgres(p) => sqlx::migrate!("../migrations/postgres").run(p).await,
        };
        result.map_err(|e| ConnectError::Migrate { url: redact(url), reason: e.to_string() })
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        match &self.pool {
            Pool::Sqlite(p) => sqlx::query("SELECT 1").execute(p).await.is_ok(),
            Pool::Postgres(p) => sqlx::query("SELECT 1").execute(p).await.is_ok(),
        }
    }

    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(redact("postgres://club:s3cret@db:5432/club"), "postgres://club:***@db:5432/club");
        assert_eq!(redact("sqlite://data/bashgah.sqlite"), "sqlite://data/bashgah.sqlite");
        assert_eq!(redact("postgres:///club?host=/run&password=s3cret"), "postgres:///club?host=%2Frun&password=***");
        assert_eq!(redact("postgres://db/club?sslpassword=s3cret&sslmode=verify-full"), "postgres://db/club?sslpassword=***&sslmode=verify-full");
        assert_eq!(redact("postgres://club:s3c ret@[db/club"), "postgres:***");
        assert_eq!(redact("club:s3cret@db"), "club:***");
        assert_eq!(redact("s3cret"), "***");
        for url in ["postgres://club:s3cret@db/c", "postgres://u@db/c?password=s3cret", "postgres://u:s3cret@[bad/c"] {
            assert!(!redact(url).contains("s3cret"), "{url}");
        }
    }
}
