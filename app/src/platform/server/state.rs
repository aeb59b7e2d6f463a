//! What every handler can reach.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::features::accounts::server::auth::LoginThrottle;
use crate::platform::server::beacon::BeaconSource;
use crate::platform::server::config::Config;
use crate::features::fairness::server::key::LogKey;
use crate::platform::server::store::Database;

#[derive(Clone)]
pub struct AppState {
    pub db: Database,
    pub leptos: LeptosOptions,
    pub throttle: Arc<LoginThrottle>,
    pub config: Arc<Config>,
    pub fairlog_key: Arc<LogKey>,
    /// The randomness beacon; `None` when the deployment runs with `beacon = "none"`.
    pub beacon: Option<Arc<dyn BeaconSource>>,
    /// The live contest leaderboards: read from Redis when `REDIS_URL` is set, else (and while
    /// Redis is down) from the database.
    pub board: Arc<dyn crate::features::contests::server::board::Leaderboard>,
    /// This instance's group-commit writer for purchases.
    pub writer: Arc<crate::features::pos::server::writer::Writer>,
    /// Copies of the branch keys, cards and policy every till request reads.
    pub caches: Arc<crate::platform::server::caches::Caches>,
    /// Tells the other instances what changed; `None` without Redis.
    pub bus: Option<Arc<crate::platform::server::bus::Bus>>,
    /// Proxies whose `X-Forwarded-For` is believed (`client_addr`).
    pub trusted_proxies: Arc<[IpAddr]>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}
