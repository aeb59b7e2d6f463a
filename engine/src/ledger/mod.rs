//! The points ledger: double entry, integer points, exact money, lots with expiry.
//!
//! Architecture invariant: every movement is a `Posting` of one asset from one account to
//! another, so the journal sums to zero per asset; member balances never go below zero (their
//! types cannot); the journal is append-only, and a reversal is a new posting.
//!
//! The planner (`plan`) is a pure function from a request, snapshots of the members involved and
//! `now` to the rows to write (`Plan`). The SQL store calls it inside a transaction after locking
//! the member rows; `Book` calls it on in-memory rows and is the reference model in tests.
//!
//! How the store writes a request, in one database transaction:
//! 1. Look up the client id. If stored, answer with `replay(id, (stored_request, stored_receipt),
//!    request)`: the stored receipt, or `IdempotencyConflict`.
//! 2. Lock the rows of `request.members()` in that (ascending) order, load each as a
//!    `MemberSnapshot` (an empty one for a member without rows), and load the purchase named by
//!    `request.purchase()` if it exists.
//! 3. Call `plan(&request, &snapshots, purchase, now)`. It checks the snapshots before using them
//!    and the result before returning it; an error means write nothing.
//! 4. Insert `plan.postings` as journal rows, apply `plan.lots` and `plan.purchases`, set the
//!    balance rows to `plan.balances`, store the client id with the request and the receipt, commit.
//!    A unique index on the client id turns a concurrent duplicate into step 1 on retry.

mod account;
mod book;
mod check;
mod draft;
mod error;
mod ids;
mod lots;
mod money;
mod outcome;
mod plan;
mod points;
mod request;
mod snapshot;
mod transfer;

pub use account::{Account, Amount, Asset, MemberAccount, SystemAccount};
pub use book::Book;
pub use error::{AmountError, InvariantViolation, LedgerError};
pub use ids::{ClientId, IdError, LotId, MemberId, PurchaseId, TransferId};
pub use lots::{ExpiryPolicy, Lot, LotChange, NewLot, after_days, spend_order};
pub use money::Money;
pub use outcome::{MemberBalances, Outcome, Receipt, replay};
pub use plan::{Plan, plan};
pub use points::Points;
pub use request::{Adjustment, Earn, PurchaseRef, Request};
pub use snapshot::{Balances, MemberSnapshot, Purchase, PurchaseChange, UnreadLots};
pub use transfer::{Posting, PostingKind, Transfer};
