//! The ledger's storage: writes go through `engine::ledger::plan` inside one transaction that
//! holds the row locks of the members involved (see the module docs of `engine::ledger`).

use async_trait::async_trait;
use engine::ledger::{
    Adjustment, Balances, ClientId, InvariantViolation, LedgerError, Lot, MemberId, Money, Outcome, Points, Receipt, Request,
    Transfer,
};
use engine::time::Timestamp;

use crate::platform::server::store::StoreResult;

#[async_trait]
pub trait LedgerStore: Send + Sync + 'static {
    /// Writes `request` exactly once per client id. The outer error is the database failing; the
    /// inner one is the ledger refusing (nothing written, nothing stored, so a retry is judged
    /// afresh). A client id seen before replays its first receipt, or is an
    /// `IdempotencyConflict` if the request differs. A member must be an account.
    async fn apply(
        &self,
        client_id: ClientId,
        request: Request,
        now: Timestamp,
    ) -> StoreResult<Result<Outcome<Receipt>, LedgerError>>;
    /// `apply` for an admin's manual `Request::Adjust`, with who made it and why, kept in the
    /// same transaction: a correction never exists without its reason.
    async fn adjust(
        &self,
        client_id: ClientId,
        request: Request,
        note: AdjustmentNote,
        now: Timestamp,
    ) -> StoreResult<Result<Outcome<Receipt>, LedgerError>>;
    /// The member's manual adjustments with their reasons, newest first.
    async fn adjustments(&self, member: MemberId) -> StoreResult<Vec<StoredAdjustment>>;
    /// Balances as of the member's last write (zero for a member never written). A sweep or any
    /// write brings them up to date.
    async fn balances(&self, member: MemberId) -> StoreResult<Balances>;
    /// Every lot of the member, drawn-out ones included, oldest first.
    async fn lots(&self, member: MemberId) -> StoreResult<Vec<Lot>>;
    /// The member's most recent journal rows, newest first.
    async fn journal(&self, member: MemberId, limit: i64) -> StoreResult<Vec<Transfer>>;
    /// Lots still holding points that expire by `now` plus `days`, soonest first. Lots already
    /// expired but not yet swept are included: they still count in the stored balance.
    async fn expiring_within(&self, member: MemberId, now: Timestamp, days: u32) -> StoreResult<Vec<Lot>>;
    /// Expires and unlocks every lot due by `now`, one member per transaction; returns how many
    /// members changed. Safe to run again or concurrently: nothing is due twice.
    async fn sweep_due(&self, now: Timestamp) -> StoreResult<u64>;
    /// What the club owes its members in points and credit, and the points expiring within
    /// `days` of `now`: the liability report.
    async fn liability(&self, now: Timestamp, days: u32) -> StoreResult<Liability>;
    /// Re-checks the ledger's invariants from the stored rows, in one consistent snapshot.
    async fn audit(&self) -> StoreResult<LedgerAudit>;
}

/// Who made a manual adjustment and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdjustmentNote {
    pub member: MemberId,
    /// The admin's account id.
    pub by: i64,
    pub reason: String,
}

/// An adjustment as the audit trail shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAdjustment {
    pub change: Adjustment,
    pub by_name: String,
    pub reason: String,
    pub at: Timestamp,
}

/// Outstanding points and credit across all members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Liability {
    pub members: i64,
    pub points: Points,
    pub pending_points: Points,
    pub owed_points: Points,
    pub credit: Money,
    pub owed_credit: Money,
    pub expiring_points: Points,
}

/// What `LedgerStore::audit` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerAudit {
    pub members: u64,
    pub transfers: u64,
    /// Broken rules; empty for a sound ledger.
    pub violations: Vec<InvariantViolation>,
}

impl LedgerAudit {
    pub fn is_sound(&self) -> bool {
        self.violations.is_empty()
    }
}
