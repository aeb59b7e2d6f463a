//! The earning policy in force: the newest stored version, or the starter policy on a new
//! installation. Read through the instance's cache; saving one replaces it everywhere.

use std::sync::Arc;

use engine::earn::Policy;

use crate::features::accounts::server::service::internal;
use crate::platform::server::bus::announce;
use crate::platform::server::caches::{Change, PolicyInForce};
use crate::platform::server::clock;
use crate::platform::server::state::AppState;
use crate::platform::server::store::{AccountId, PolicyVersion, StoreResult};
use crate::platform::error::ErrorCode;

pub async fn active(state: &AppState) -> Result<Policy, ErrorCode> {
    in_force(state).await.map_err(internal)
}

/// `active`, for callers that log or report the store's error themselves.
pub async fn in_force(state: &AppState) -> StoreResult<Policy> {
    Ok(shared(state).await?.policy.clone())
}

/// The policy in force with its version, shared rather than copied: what the hot path reads.
pub async fn shared(state: &AppState) -> StoreResult<Arc<PolicyInForce>> {
    state
        .caches
        .policy(async {
            let stored = state.db.club.active_policy().await?;
            let version = stored.as_ref().map(|v| v.id);
            Ok(PolicyInForce { version, policy: or_starter(stored) })
        })
        .await
}

/// The policy a stored version puts in force; the starter policy when none was ever saved.
pub fn or_starter(stored: Option<PolicyVersion>) -> Policy {
    stored.map_or_else(Policy::starter, |v| v.policy)
}

/// Puts `policy` in force from now on; `by` is the admin, `None` for the system.
pub async fn save(state: &AppState, policy: &Policy, by: Option<AccountId>) -> Result<PolicyVersion, ErrorCode> {
    let saved = state.db.club.save_policy(policy, by, clock::now()).await.map_err(internal)?;
    announce(state, Change::Policy).await;
    Ok(saved)
}
