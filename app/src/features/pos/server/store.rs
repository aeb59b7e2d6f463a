//! The till's writes: a purchase, a return and a credit redemption, each in one transaction with
//! the ledger write, and each applied once per (branch, kind, external id).
//!
//! A purchase evaluates the earning policy under the member's row lock, so the limit usage it
//! reads and the usage it adds cannot race another purchase of the same member; the tier state
//! is updated in the same transaction. The answer is stored with the request's hash: the same
//! request again replays it byte for byte, another request under the same id is a conflict.
//!
//! The other earning events (sign-up, profile completion, birthday, referral) are paid the same
//! way by `award_event`, once per `Occasion`; an invitee's first purchase triggers the inviter's.

use async_trait::async_trait;
use engine::earn::{BranchId, Event, Policy, ReferralStep};
use engine::ledger::{ClientId, LedgerError, MemberId, Money, Outcome, Points};
use engine::tiers::{TierLadder, TierState};
use engine::time::{GregorianDate, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::platform::server::store::{AccountId, StoreError, StoreResult};

/// The till's own id for a write, unique per branch and kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ExternalId(String);

const MAX_EXTERNAL_ID_CHARS: usize = 64;

impl ExternalId {
    /// 1 to 64 characters, no control characters; kept exactly as sent.
    pub fn parse(text: &str) -> Option<Self> {
        let len = text.chars().count();
        ((1..=MAX_EXTERNAL_ID_CHARS).contains(&len) && !text.chars().any(char::is_control))
            .then(|| Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PosKind {
    Purchase,
    Return,
    Redemption,
}

impl PosKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Purchase => "purchase",
            Self::Return => "return",
            Self::Redemption => "redemption",
        }
    }
}

/// What a stored answer is filed under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PosKey {
    pub branch: BranchId,
    pub kind: PosKind,
    pub external_id: ExternalId,
}

/// An answer as stored: the hash of the request it answered and the JSON it gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAnswer {
    pub body_hash: String,
    pub response: String,
}

/// A receipt and its JSON text, byte for byte what the first call answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply<T> {
    pub receipt: T,
    pub json: String,
}

/// Why a POS write changed nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PosRefusal {
    /// The external id was used before for a different request.
    Conflict,
    /// No purchase with that external id at this branch.
    UnknownPurchase,
    Ledger(LedgerError),
}

pub type PosResult<T> = StoreResult<Result<Outcome<Reply<T>>, PosRefusal>>;

/// `amount` at two decimal places. `Money::ZERO` (a default balance, a tier without cashback)
/// prints as "0"; answers always say "0.00".
pub fn two_places(amount: Money) -> Money {
    Money::from_minor(amount.to_minor()).unwrap_or(amount)
}

/// The stored answer if it answered this very request, else a conflict.
pub fn replay<T: serde::de::DeserializeOwned>(stored: StoredAnswer, body_hash: &str) -> Result<Result<Outcome<Reply<T>>, PosRefusal>, StoreError> {
    if stored.body_hash != body_hash {
        return Ok(Err(PosRefusal::Conflict));
    }
    let receipt = serde_json::from_str(&stored.response).map_err(|e| StoreError::Corrupt(format!("stored POS answer: {e}")))?;
    Ok(Ok(Outcome::Replayed(Reply { receipt, json: stored.response })))
}

pub struct PurchaseWrite {
    pub key: PosKey,
    pub body_hash: String,
    pub member: MemberId,
    pub signed_up_at: Timestamp,
    pub birthday: Option<GregorianDate>,
    pub amount: Money,
    /// When the sale happened, never after `now`: limits and tier windows use it.
    pub occurred_at: Timestamp,
    pub recorded_by: Option<AccountId>,
    pub policy: Policy,
}

/// Why a member earns outside a purchase. Its client id names the occasion, so each one pays
/// once however often it fires: a retried sign-up, a profile saved twice, a job run twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "occasion", rename_all = "snake_case")]
pub enum Occasion {
    SignUp,
    ProfileCompleted,
    /// The birthday in this Jalali year.
    Birthday { year: i32 },
    /// The member's invitee signed up.
    InviteeSignedUp { invitee: MemberId },
    /// The member's invitee made a first purchase.
    InviteeFirstPurchase { invitee: MemberId },
}

impl Occasion {
    pub fn event(self) -> Event {
        match self {
            Self::SignUp => Event::SignUp,
            Self::ProfileCompleted => Event::ProfileCompleted,
            Self::Birthday { year } => Event::Birthday { year },
            Self::InviteeSignedUp { .. } => Event::Referral { step: ReferralStep::InviteeSignedUp },
            Self::InviteeFirstPurchase { .. } => Event::Referral { step: ReferralStep::InviteeFirstPurchase },
        }
    }

    /// `signup-{member}`, `profile-{member}`, `birthday-{member}-{year}`, `referral-signup-{invitee}`
    /// or `referral-purchase-{invitee}`.
    pub fn client_id(self, member: MemberId) -> StoreResult<ClientId> {
        let text = match self {
            Self::SignUp => format!("signup-{member}"),
            Self::ProfileCompleted => format!("profile-{member}"),
            Self::Birthday { year } => format!("birthday-{member}-{year}"),
            Self::InviteeSignedUp { invitee } => format!("referral-signup-{invitee}"),
            Self::InviteeFirstPurchase { invitee } => format!("referral-purchase-{invitee}"),
        };
        ClientId::parse(&text).map_err(|_| StoreError::Corrupt(format!("event client id {text}")))
    }
}

/// An award owed because something else committed, written into `award_outbox` in the same
/// transaction as its cause (`OwedAward::SQL`), and paid by `PosStore::pay_owed_awards`.
pub struct OwedAward {
    pub client_id: ClientId,
    pub member: MemberId,
    pub occasion: Occasion,
}

impl OwedAward {
    /// Binds `client_id, member, occasion, created_at`; an award owed already stays as it is.
    pub const SQL: &'static str = "INSERT INTO award_outbox (client_id, member, occasion, created_at) \
                                   VALUES ($1, $2, $3, $4) ON CONFLICT (client_id) DO NOTHING";

    pub fn new(member: MemberId, occasion: Occasion) -> StoreResult<Self> {
        Ok(Self { client_id: occasion.client_id(member)?, member, occasion })
    }

    pub fn occasion_json(&self) -> StoreResult<String> {
        serde_json::to_string(&self.occasion).map_err(|e| StoreError::Corrupt(format!("occasion: {e}")))
    }
}

/// What one round of paying owed awards did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OwedPaid {
    pub paid: u64,
    /// Refused by the ledger or failed; they stay owed and are tried again next round.
    pub failed: u64,
}

/// A non-purchase earning occasion; `member` is who earns (the inviter, for a referral).
pub struct EventWrite {
    pub member: MemberId,
    pub occasion: Occasion,
    pub policy: Policy,
}

/// The points an event paid (zero when the policy gave nothing), first time or replayed.
pub type EventResult = StoreResult<Result<Outcome<Points>, LedgerError>>;

pub struct ReturnWrite {
    pub key: PosKey,
    pub body_hash: String,
    pub purchase: ExternalId,
    pub amount: Money,
    pub policy: Policy,
}

pub struct RedemptionWrite {
    pub key: PosKey,
    pub body_hash: String,
    pub member: MemberId,
    pub amount: Money,
}

/// Balances after a write. Purchase points stay pending through the return window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BalancesView {
    #[schema(value_type = i64)]
    pub points_balance: Points,
    #[schema(value_type = i64)]
    pub points_pending: Points,
    /// Points taken back by a return after they were spent; settled from future earnings.
    #[schema(value_type = i64)]
    pub points_owed: Points,
    #[schema(value_type = String, example = "1250.00")]
    pub credit_balance: Money,
    #[schema(value_type = String, example = "0.00")]
    pub credit_owed: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PurchaseReceipt {
    pub purchase_id: i64,
    pub member_id: i64,
    #[schema(value_type = i64)]
    pub points_earned: Points,
    #[schema(value_type = String, example = "1200.00")]
    pub credit_earned: Money,
    #[serde(flatten)]
    pub balances: BalancesView,
    /// The member's tier after this purchase (a promotion applies at once).
    pub tier: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReturnReceipt {
    pub purchase_id: i64,
    pub member_id: i64,
    /// All that has come back of the purchase so far, this return included.
    #[schema(value_type = String, example = "40000.00")]
    pub returned_total: Money,
    #[schema(value_type = i64)]
    pub points_reversed: Points,
    #[schema(value_type = String, example = "400.00")]
    pub credit_reversed: Money,
    #[serde(flatten)]
    pub balances: BalancesView,
    pub tier: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RedemptionReceipt {
    pub member_id: i64,
    #[schema(value_type = String, example = "5000.00")]
    pub amount: Money,
    #[schema(value_type = String, example = "0.00")]
    pub credit_balance: Money,
}

#[async_trait]
pub trait PosStore: Send + Sync + 'static {
    /// The stored answer for `key`, if a write under it succeeded.
    async fn answer(&self, key: &PosKey) -> StoreResult<Option<StoredAnswer>>;
    /// Earns what the policy gives for the purchase, adds limit usage and tier contributions,
    /// updates the tier, owes the inviter's bonus on a first purchase (`OwedAward`) and stores
    /// the answer, in one transaction. A member must be an account.
    async fn purchase(&self, write: &PurchaseWrite, now: Timestamp) -> PosResult<PurchaseReceipt>;
    /// `purchase` for each write, answered in order, as one transaction with one statement per
    /// table when the writes name distinct members and keys; else, or when that transaction
    /// fails, one purchase at a time. Each answer is what `purchase` would have given.
    async fn purchase_batch(&self, writes: &[PurchaseWrite], now: Timestamp) -> Vec<PosResult<PurchaseReceipt>>;
    /// Reverses the returned share of a purchase of this branch, in proportion, never below
    /// zero: what was spent already becomes owed.
    async fn return_purchase(&self, write: &ReturnWrite, now: Timestamp) -> PosResult<ReturnReceipt>;
    /// Pays with credit; the ledger refuses more than the member holds.
    async fn redeem_credit(&self, write: &RedemptionWrite, now: Timestamp) -> PosResult<RedemptionReceipt>;
    /// Pays what `policy` gives `member` for a non-purchase event, once per `client_id`: in one
    /// transaction under the member's row lock it evaluates with the member's limit usage, earns
    /// through the ledger (spendable at once), adds the usage and the tier contribution, and
    /// records the client id even when the award is zero. A client id seen before replays the
    /// points it paid. The outer error is the database; the inner one the ledger refusing.
    async fn award_event(&self, write: &EventWrite, now: Timestamp) -> EventResult;
    /// Pays up to `limit` owed awards, oldest first, under `policy`; each is deleted from the
    /// outbox in the transaction that pays it (or finds it paid).
    async fn pay_owed_awards(&self, policy: &Policy, now: Timestamp, limit: i64) -> StoreResult<OwedPaid>;
    /// Pays the one owed award under `client_id`, if it is owed: what a write that just
    /// committed pays at once, without touching anyone else's backlog.
    async fn pay_owed_award(&self, client_id: &ClientId, policy: &Policy, now: Timestamp) -> StoreResult<OwedPaid>;
    /// How many awards are owed and not yet paid.
    async fn owed_awards(&self) -> StoreResult<i64>;
    async fn tier_state(&self, member: MemberId) -> StoreResult<Option<TierState>>;
    /// The member's value in the ladder's measure over its window, as of `now`: what the tier
    /// and the progress to the next one are judged on.
    async fn tier_value(&self, member: MemberId, ladder: &TierLadder, now: Timestamp) -> StoreResult<u64>;
}
