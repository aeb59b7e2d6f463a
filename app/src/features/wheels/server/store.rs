//! Spin wheels' storage: configurations, what remains of each prize, members' seed pairs and
//! spins. A spin is one transaction: it charges, draws, grants the prize, takes stock and
//! budget, and logs the record, or does none of these.

use async_trait::async_trait;
use engine::fair::Hash;
use engine::fair::fairspin::ClientSeed;
use engine::ledger::{Balances, ExpiryPolicy, LedgerError, MemberId, Outcome};
use engine::tiers::TierId;
use engine::time::Timestamp;
use engine::wheel::{Left, Payment, Prize, WheelSpec};
use serde::{Deserialize, Serialize};

use crate::platform::server::store::StoreResult;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredWheel {
    pub id: i64,
    pub spec: WheelSpec,
    pub live: bool,
    /// What remains of each segment, in display order.
    pub left: Vec<Left>,
    pub updated_at: Timestamp,
}

/// A member's current seed pair as the member sees it: the server seed stays hidden.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedPair {
    pub id: i64,
    pub server_commit: Hash,
    pub client_seed: ClientSeed,
    pub next_nonce: u64,
}

/// A rotated-out pair, its server seed now public.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevealedPair {
    pub server_commit: Hash,
    pub server_seed: [u8; 32],
    pub client_seed: ClientSeed,
    /// Spins made with it.
    pub spins: u64,
}

/// The drand round a spin used, its signature already verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedRound {
    pub round: u64,
    pub signature: Vec<u8>,
}

/// One spin request.
#[derive(Debug, Clone)]
pub struct SpinWrite {
    pub member: MemberId,
    pub wheel: i64,
    /// The member's idempotency key: a retry with it gets the first answer.
    pub client_key: String,
    pub tier: Option<TierId>,
    /// When the member asked, which pins the beacon round.
    pub requested_at: Timestamp,
    /// The verified round for a beacon wheel; `None` spins with `beacon = none`.
    pub beacon: Option<VerifiedRound>,
    /// How won points expire: the policy in force.
    pub expiry: ExpiryPolicy,
    /// A server seed for the member's first pair, if they have none yet (fresh CSPRNG bytes).
    pub fresh_seed: [u8; 32],
}

/// What a spin did, as the member's retry gets it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpinReceipt {
    pub spin: i64,
    pub wheel: i64,
    pub segment: usize,
    pub prize: Prize,
    pub payment: Payment,
    pub nonce: u64,
    pub server_commit: String,
    pub round: u64,
    pub leaf_index: u64,
    pub balances: Balances,
    pub bonus_spins: u64,
}

/// Why a spin was refused; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpinRefusal {
    NoWheel,
    NotLive,
    /// The wheel waits for a beacon round and none was given, or the reverse.
    BeaconMode,
    Ledger(LedgerError),
    /// The key was used for another spin request.
    KeyReused,
}

/// A spin as lists show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpinRow {
    pub id: i64,
    pub wheel: i64,
    pub member: MemberId,
    pub pseudonym: String,
    pub segment: usize,
    pub nonce: u64,
    pub round: u64,
    pub leaf_index: u64,
    /// The pair's server seed is public, so the spin can be verified.
    pub revealed: bool,
    pub at: Timestamp,
}

/// Where a spin's bundle comes from: the log leaves and, once revealed, the server seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpinEvidence {
    pub wheel_leaf: u64,
    pub commit_leaf: u64,
    pub spin_leaf: u64,
    pub reveal: Option<(u64, [u8; 32])>,
}

/// A member's standing on one wheel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MemberWheel {
    pub bonus_spins: u64,
    pub free_used: u32,
}

#[async_trait]
pub trait WheelStore: Send + Sync + 'static {
    async fn create_wheel(&self, spec: &WheelSpec, now: Timestamp) -> StoreResult<i64>;
    /// Replaces the configuration; stock and budget start again from it. `false` if no wheel.
    async fn update_wheel(&self, id: i64, spec: &WheelSpec, now: Timestamp) -> StoreResult<bool>;
    /// Opens or closes a wheel; opening logs its configuration in force if it is new.
    async fn set_live(&self, id: i64, live: bool, now: Timestamp) -> StoreResult<bool>;
    async fn wheels(&self) -> StoreResult<Vec<StoredWheel>>;
    async fn wheel(&self, id: i64) -> StoreResult<Option<StoredWheel>>;
    /// The member's bonus spins on the wheel and free spins used in `period`.
    async fn member_wheel(&self, member: MemberId, wheel: i64, period: &str) -> StoreResult<MemberWheel>;
    /// The member's current pair, made (and its commitment logged) from `fresh_seed` if none.
    async fn current_pair(&self, member: MemberId, fresh_seed: [u8; 32], client_seed: &ClientSeed, now: Timestamp) -> StoreResult<SeedPair>;
    /// Sets the client seed of the current pair for the spins to come.
    async fn set_client_seed(&self, member: MemberId, client_seed: &ClientSeed, fresh_seed: [u8; 32], now: Timestamp) -> StoreResult<SeedPair>;
    /// Reveals the current pair's server seed (logged) and commits a new pair from `fresh_seed`.
    async fn rotate(
        &self,
        member: MemberId,
        fresh_seed: [u8; 32],
        client_seed: &ClientSeed,
        now: Timestamp,
    ) -> StoreResult<(Option<RevealedPair>, SeedPair)>;
    /// The stored answer of a spin key, with the digest of the request it answered.
    async fn spin_answer(&self, member: MemberId, client_key: &str) -> StoreResult<Option<(String, SpinReceipt)>>;
    /// One spin, all or nothing. `request` is the digest of what was asked, for idempotency.
    async fn spin(&self, write: &SpinWrite, request: &str, now: Timestamp) -> StoreResult<Result<Outcome<SpinReceipt>, SpinRefusal>>;
    /// Newest first; of one member, or of everyone.
    async fn spins(&self, member: Option<MemberId>, limit: i64) -> StoreResult<Vec<SpinRow>>;
    async fn spin_evidence(&self, spin: i64) -> StoreResult<Option<SpinEvidence>>;
}
