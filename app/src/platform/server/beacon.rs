//! The public randomness beacon behind a trait. In production, drand quicknet rounds fetched over
//! HTTP from any of the configured relays; a round counts only if its BLS signature verifies
//! against the key pinned in the engine, so no relay is trusted. Tests serve recorded real
//! rounds from a local server through the same client. With `beacon = "none"` there is no
//! source at all, and the pages say what that means.

use std::time::Duration;

use async_trait::async_trait;
use engine::fair::beacon::{QUICKNET_CHAIN_HASH, round_time};
use engine::fair::drand::verify_quicknet;
use engine::fair::hexstr;
use serde::Deserialize;

use crate::platform::server::clock;
use crate::platform::server::config::Config;
use crate::platform::server::store::VerifiedRound;

#[derive(Debug, thiserror::Error)]
pub enum BeaconError {
    #[error("drand round {round} could not be fetched with a valid signature from any relay: {last}")]
    Unavailable { round: u64, last: String },
    #[error("drand round {0} is not a valid round")]
    BadRound(u64),
}

#[async_trait]
pub trait BeaconSource: Send + Sync + 'static {
    /// Round `round` with its verified signature, waiting until it is published.
    async fn round(&self, round: u64) -> Result<VerifiedRound, BeaconError>;
}

/// drand quicknet over HTTP: `GET {relay}/{chain hash}/public/{round}`.
pub struct DrandHttp {
    relays: Vec<String>,
    client: reqwest::Client,
    patience: Duration,
}

#[derive(Deserialize)]
struct RelayRound {
    round: u64,
    signature: String,
}

/// Why one relay gave nothing usable this time.
enum Miss {
    NotYet,
    Bad(String),
}

impl DrandHttp {
    pub fn new(relays: Vec<String>, patience: Duration) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder().timeout(Duration::from_secs(5)).build()?;
        Ok(Self { relays, client, patience })
    }

    async fn ask(&self, relay: &str, round: u64) -> Result<Vec<u8>, Miss> {
        let url = format!("{relay}/{QUICKNET_CHAIN_HASH}/public/{round}");
        let response = self.client.get(&url).send().await.map_err(|e| Miss::Bad(format!("{relay}: {e}")))?;
        if response.status() == reqwest::StatusCode::NOT_FOUND || response.status().as_u16() == 425 {
            return Err(Miss::NotYet);
        }
        if !response.status().is_success() {
            return Err(Miss::Bad(format!("{relay}: HTTP {}", response.status())));
        }
        let body: RelayRound = response.json().await.map_err(|e| Miss::Bad(format!("{relay}: {e}")))?;
        let signature = hexstr::decode(&body.signature.to_ascii_lowercase())
            .ok_or_else(|| Miss::Bad(format!("{relay}: signature is not hex")))?;
        // Only the signature counts, checked against the pinned key for the round we asked for.
        if body.round != round || verify_quicknet(round, &signature).is_err() {
            return Err(Miss::Bad(format!("{relay}: round {round} does not verify against the drand quicknet key")));
        }
        Ok(signature)
    }
}

#[async_trait]
impl BeaconSource for DrandHttp {
    async fn round(&self, round: u64) -> Result<VerifiedRound, BeaconError> {
        let published = round_time(round).map_err(|_| BeaconError::BadRound(round))?;
        let now_secs = u64::try_from(clock::now().unix_millis() / 1000).unwrap_or(0);
        if published > now_secs {
            tokio::time::sleep(Duration::from_secs(published - now_secs)).await;
        }
        let deadline = tokio::time::Instant::now() + self.patience;
        let mut last = String::from("no relay answered");
        loop {
            for relay in &self.relays {
                match self.ask(relay, round).await {
                    Ok(signature) => return Ok(VerifiedRound { round, signature }),
                    Err(Miss::NotYet) => last = format!("{relay}: round {round} not published yet"),
                    Err(Miss::Bad(why)) => {
                        tracing::warn!(relay, round, why, "drand relay gave no usable round");
                        last = why;
                    }
                }
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(BeaconError::Unavailable { round, last });
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
}

/// The beacon the configuration asks for; `None` for `beacon = "none"`.
pub fn from_config(config: &Config) -> anyhow::Result<Option<std::sync::Arc<dyn BeaconSource>>> {
    if config.beacon == "none" {
        return Ok(None);
    }
    let patience = Duration::from_secs(config.beacon_patience_secs);
    Ok(Some(std::sync::Arc::new(DrandHttp::new(config.beacon_relays(), patience)?)))
}
