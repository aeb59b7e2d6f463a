//! Results of writes, and the idempotency rule that decides whether a write runs at all.

use serde::{Deserialize, Serialize};

use super::error::LedgerError;
use super::ids::{ClientId, MemberId};
use super::snapshot::Balances;
use super::transfer::Transfer;

/// Whether this call did the work or found it already done. Both carry the same result, so a
/// client that retries after a timeout sees exactly what the first attempt produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome", content = "result")]
pub enum Outcome<T> {
    Created(T),
    Replayed(T),
}

impl<T> Outcome<T> {
    pub fn result(&self) -> &T {
        match self {
            Outcome::Created(t) | Outcome::Replayed(t) => t,
        }
    }

    pub fn into_result(self) -> T {
        match self {
            Outcome::Created(t) | Outcome::Replayed(t) => t,
        }
    }

    pub fn is_replay(&self) -> bool {
        matches!(self, Outcome::Replayed(_))
    }
}

/// What a successful write produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub transfers: Vec<Transfer>,
    /// Balances right after the write, for every member the request touched.
    pub balances: Vec<MemberBalances>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberBalances {
    pub member: MemberId,
    #[serde(flatten)]
    pub balances: Balances,
}

/// The idempotency rule, shared by `Book` and the store: a client id seen before with the same
/// request replays the stored result; with a different request it is refused. Failed writes are
/// not stored, so a retry after "insufficient points" is judged afresh.
pub fn replay<R: PartialEq, T: Clone>(
    client_id: &ClientId,
    stored: (&R, &T),
    request: &R,
) -> Result<Outcome<T>, LedgerError> {
    let (stored_request, stored_result) = stored;
    if stored_request == request {
        Ok(Outcome::Replayed(stored_result.clone()))
    } else {
        Err(LedgerError::IdempotencyConflict(client_id.clone()))
    }
}
