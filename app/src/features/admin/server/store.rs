//! The club's configuration: the earning policy with its version history, branches and their
//! API keys.

use async_trait::async_trait;
use engine::earn::{BranchId, Policy};
use engine::time::Timestamp;

use crate::platform::server::store::{AccountId, StoreResult};

/// One stored version of the policy, and who stored it when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyVersion {
    pub id: i64,
    pub policy: Policy,
    /// `None` when the system stored it (a new installation, the demo).
    pub created_by: Option<AccountId>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branch {
    pub id: BranchId,
    pub name: String,
    pub created_at: Timestamp,
}

/// A key as stored: never the key itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchKey {
    pub id: i64,
    pub branch: BranchId,
    /// The first characters of the key, so an admin can tell keys apart.
    pub prefix: String,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

/// What the store keeps of a new key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyDigest {
    /// Hex SHA-256 of the whole key.
    pub hash: String,
    pub prefix: String,
}

#[async_trait]
pub trait ClubStore: Send + Sync + 'static {
    /// The newest stored version, if any was stored.
    async fn active_policy(&self) -> StoreResult<Option<PolicyVersion>>;
    /// Stores a new version; it is in force from now on.
    async fn save_policy(&self, policy: &Policy, by: Option<AccountId>, now: Timestamp) -> StoreResult<PolicyVersion>;
    /// The newest `limit` versions, newest first.
    async fn policy_history(&self, limit: i64) -> StoreResult<Vec<PolicyVersion>>;
    /// Creates the branch and its first key in one transaction; `Duplicate("branch")` when the
    /// name is taken.
    async fn create_branch(&self, name: &str, key: &KeyDigest, now: Timestamp) -> StoreResult<(Branch, BranchKey)>;
    async fn branches(&self) -> StoreResult<Vec<Branch>>;
    async fn add_key(&self, branch: BranchId, key: &KeyDigest, now: Timestamp) -> StoreResult<BranchKey>;
    /// Every key of the branch, revoked ones included, newest first.
    async fn keys(&self, branch: BranchId) -> StoreResult<Vec<BranchKey>>;
    /// Revokes a key at once; `NotFound` if it does not exist or was revoked before.
    async fn revoke_key(&self, key: i64, now: Timestamp) -> StoreResult<()>;
    /// The branch a key that is not revoked belongs to.
    async fn branch_by_key(&self, hash: &str) -> StoreResult<Option<BranchId>>;
    /// The branches the account works at as a cashier, by id.
    async fn cashier_branches(&self, account: AccountId) -> StoreResult<Vec<BranchId>>;
    /// Replaces the account's branches, in one transaction; `NotFound` names no such branch.
    async fn set_cashier_branches(&self, account: AccountId, branches: &[BranchId], now: Timestamp) -> StoreResult<()>;
}
