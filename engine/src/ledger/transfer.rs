//! Postings (planned movements) and transfers (journaled movements).

use serde::{Deserialize, Serialize};

use super::account::{Account, Amount};
use super::ids::{ClientId, TransferId};
use crate::time::Timestamp;

/// Why value moved; kept on every row so history reads without joins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostingKind {
    Earn,
    /// Earned value that paid off a debt instead of reaching the balance.
    Settle,
    Unlock,
    Spend,
    Expire,
    /// A return taking back what its purchase earned.
    Reverse,
    MemberTransfer,
    Adjust,
}

/// One movement of one asset between two accounts: `amount` leaves `from` and reaches `to`, so
/// every posting sums to zero by construction. `amount` is never zero.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Posting {
    pub from: Account,
    pub to: Account,
    pub amount: Amount,
    pub kind: PostingKind,
}

/// A posting once written: append-only. A correction is a new transfer, never an edit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Transfer {
    pub id: TransferId,
    /// The write that produced it; one write may produce several transfers.
    pub client_id: ClientId,
    pub at: Timestamp,
    #[serde(flatten)]
    pub posting: Posting,
}
