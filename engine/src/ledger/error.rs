//! Why a request was refused, and why a book is inconsistent.

use thiserror::Error;

use super::ids::{ClientId, IdError, MemberId, PurchaseId, TransferId};
use super::money::Money;
use super::points::Points;

/// A number that cannot be an amount of points or money.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AmountError {
    #[error("an amount cannot be negative")]
    Negative,
    #[error("the amount is larger than the ledger allows")]
    TooLarge,
    #[error("money has at most two decimal places (rials)")]
    TooManyDecimals,
    #[error("not a number: {0:?}")]
    NotANumber(String),
    #[error("the result would be below zero")]
    Underflow,
}

/// Why a request changed nothing.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LedgerError {
    #[error("client id {0} was already used for a different request")]
    IdempotencyConflict(ClientId),
    #[error("member {member} has {available} points available, {needed} needed")]
    InsufficientPoints {
        member: MemberId,
        needed: Points,
        available: Points,
    },
    #[error("member {member} has {available} credit, {needed} needed")]
    InsufficientCredit {
        member: MemberId,
        needed: Money,
        available: Money,
    },
    #[error("the amount must be more than zero")]
    ZeroAmount,
    #[error("a member cannot transfer to themselves")]
    SameMember,
    #[error("purchase {0} is not known to the ledger")]
    UnknownPurchase(PurchaseId),
    #[error("purchase {0} has already earned")]
    DuplicatePurchase(PurchaseId),
    #[error("purchase {purchase} belongs to another member")]
    PurchaseOfAnotherMember { purchase: PurchaseId },
    #[error(
        "purchase {purchase} totals {total}; {already} was returned, {requested} more is too much"
    )]
    ReturnExceedsPurchase {
        purchase: PurchaseId,
        total: Money,
        already: Money,
        requested: Money,
    },
    #[error("member {0} was loaded with only the lots an earning touches; this request needs them all")]
    PartialSnapshot(MemberId),
    #[error("the planner needs a snapshot of member {0}")]
    MissingSnapshot(MemberId),
    #[error("the snapshot of member {member} is inconsistent: {reason}")]
    CorruptSnapshot { member: MemberId, reason: String },
    #[error("the expiry policy is invalid: {0}")]
    InvalidPolicy(&'static str),
    #[error("a posting moves one asset between accounts of that asset")]
    AssetMismatch,
    #[error("the date is outside the range the ledger can represent")]
    TimeOutOfRange,
    #[error(transparent)]
    Amount(#[from] AmountError),
    #[error(transparent)]
    Id(#[from] IdError),
}

/// A broken rule found by `Book::check_invariants`: always a bug, never bad input.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InvariantViolation {
    #[error("postings of {asset} sum to {sum}, not zero")]
    Unbalanced { asset: &'static str, sum: i128 },
    #[error("transfer {transfer} moves {asset} between accounts of another asset")]
    AssetMismatch {
        transfer: TransferId,
        asset: &'static str,
    },
    #[error("account {account} is below zero: {balance}")]
    Negative { account: String, balance: i128 },
    #[error("member {member}: stored {field} is {stored}, the journal says {replayed}")]
    BalanceDrift {
        member: MemberId,
        field: &'static str,
        stored: String,
        replayed: String,
    },
    #[error("member {member}: lots hold {lots} {field}, the balance is {balance}")]
    LotsDrift {
        member: MemberId,
        field: &'static str,
        lots: Points,
        balance: Points,
    },
    #[error("member {member} owes {field} while holding some available")]
    OwedWhileHolding {
        member: MemberId,
        field: &'static str,
    },
    #[error("purchase {purchase}: {reason}")]
    Purchase {
        purchase: PurchaseId,
        reason: String,
    },
}
