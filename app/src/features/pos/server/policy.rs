//! The earning policy in force: the newest stored version, or the starter policy on a new
//! installation.

use engine::earn::Policy;

use crate::features::accounts::server::service::internal;
use crate::platform::server::clock;
use crate::platform::server::state::AppState;
use crate::platform::server::store::{AccountId, PolicyVersion, StoreResult};
use crate::platform::error::ErrorCode;

pub async fn active(state: &AppState) -> Result<Policy, ErrorCode> {
    in_force(state).await.map_err(internal)
}

/// `active`, for callers that log or report the store's error themselves.
pub async fn in_force(state: &AppState) -> StoreResult<Policy> {
    Ok(or_starter(state.db.club.active_policy().await?))
}

/// The policy a stored version puts in force; the starter policy when none was ever saved.
pub fn or_starter(stored: Option<PolicyVersion>) -> Policy {
    stored.map_or_else(Policy::starter, |v| v.policy)
}

/// Puts `policy` in force from now on; `by` is the admin, `None` for the system.
pub async fn save(state: &AppState, policy: &Policy, by: Option<AccountId>) -> Result<PolicyVersion, ErrorCode> {
    state.db.club.save_policy(policy, by, clock::now()).await.map_err(internal)
}
