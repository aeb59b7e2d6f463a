//! Purchases, returns and credit payments at the till. Each is applied once per external id of
//! its branch: the same request again answers what the first did, another request is refused.

use engine::earn::{Award, Event, History, Policy, Purchase};
use engine::ledger::{LedgerError, MemberId, Money, Outcome};
use engine::time::Timestamp;

use crate::features::accounts::server::service::internal;
use crate::platform::server::clock;
use crate::platform::server::state::AppState;
use crate::platform::server::store::{
    ExternalId, Occasion, PosKey, PosKind, PosRefusal, PurchaseReceipt, PurchaseWrite, RedemptionReceipt, RedemptionWrite,
    Reply, ReturnReceipt, ReturnWrite, StoreResult, replay,
};
use crate::features::pos::server::{MemberKey, Till, find_holder, policy};
use crate::platform::server::caches::Holder;
use crate::platform::error::ErrorCode;

/// How far ahead of the server's clock a till's `occurred_at` may be: clocks drift.
const CLOCK_SKEW_MS: i64 = 5 * 60 * 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseInput {
    pub external_id: ExternalId,
    pub member: MemberKey,
    /// More than zero.
    pub amount: Money,
    /// When the sale happened; `None` for now.
    pub occurred_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnInput {
    pub external_id: ExternalId,
    pub purchase_external_id: ExternalId,
    pub amount: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedemptionInput {
    pub external_id: ExternalId,
    pub member: MemberKey,
    pub amount: Money,
}

type Answer<T> = Result<Outcome<Reply<T>>, ErrorCode>;

/// What a purchase would earn under `policy`, with the reasons, writing nothing: the admin's
/// dry run. Limits count as unused.
pub fn dry_run(policy: &Policy, purchase: &Purchase, now: Timestamp) -> Award {
    engine::earn::evaluate(policy, &Event::Purchase(purchase.clone()), &History::default(), now)
}

/// The request's fingerprint: its parsed fields in one spelling, so a retry matches whatever
/// whitespace or digit script it was sent in.
fn body_hash(parts: &[&str]) -> String {
    engine::fair::hexstr::encode(&engine::fair::hash::sha256(parts.join("\n").as_bytes()))
}

fn key(till: Till, kind: PosKind, external_id: &ExternalId) -> PosKey {
    PosKey { branch: till.branch, kind, external_id: external_id.clone() }
}

fn refused(refusal: PosRefusal) -> ErrorCode {
    match refusal {
        PosRefusal::Conflict | PosRefusal::Ledger(LedgerError::IdempotencyConflict(_)) => ErrorCode::IdempotencyConflict,
        PosRefusal::UnknownPurchase | PosRefusal::Ledger(LedgerError::UnknownPurchase(_)) => ErrorCode::UnknownPurchase,
        PosRefusal::Ledger(LedgerError::InsufficientCredit { .. }) => ErrorCode::InsufficientCredit,
        PosRefusal::Ledger(LedgerError::ReturnExceedsPurchase { .. }) => ErrorCode::ReturnExceedsPurchase,
        PosRefusal::Ledger(LedgerError::ZeroAmount | LedgerError::Amount(_)) => ErrorCode::BadAmount,
        PosRefusal::Ledger(other) => internal(other),
    }
}

fn settle<T>(result: StoreResult<Result<Outcome<Reply<T>>, PosRefusal>>) -> Answer<T> {
    result.map_err(internal)?.map_err(refused)
}

/// A stored answer under `key`, looked up before anything else: a retry replays even if the
/// member has since changed card.
async fn earlier<T: serde::de::DeserializeOwned>(state: &AppState, key: &PosKey, hash: &str) -> Result<Option<Answer<T>>, ErrorCode> {
    let stored = state.db.pos.answer(key).await.map_err(internal)?;
    Ok(stored.map(|s| settle(replay(s, hash))))
}

fn positive(amount: Money) -> Result<Money, ErrorCode> {
    if amount.is_zero() { Err(ErrorCode::BadAmount) } else { Ok(amount) }
}

/// `refusal`, unless the request was answered before: a retry replays the first answer even
/// if what it names has changed since (a card replaced, a sale now past the window).
async fn refused_or_replayed<T: serde::de::DeserializeOwned>(state: &AppState, key: &PosKey, hash: &str, refusal: ErrorCode) -> Answer<T> {
    earlier(state, key, hash).await?.unwrap_or(Err(refusal))
}

/// Records a sale: points and cashback by the policy in force, limits and tier applied in the
/// same transaction, through this instance's group-commit writer. The stored answer of a retry
/// is found inside that transaction; only a request refused before it looks for one here.
pub async fn record_purchase(state: &AppState, till: Till, input: &PurchaseInput) -> Answer<PurchaseReceipt> {
    let amount = positive(input.amount)?;
    let now = clock::now();
    let occurred = input.occurred_at.map(|t| t.unix_millis().to_string()).unwrap_or_default();
    let hash = body_hash(&[&input.member.canonical(), &amount.to_string(), &occurred]);
    let key = key(till, PosKind::Purchase, &input.external_id);
    match checked_purchase(state, input, now).await {
        Ok((holder, occurred_at)) => write_purchase(state, till, key, hash, holder, amount, occurred_at).await,
        Err(refusal) => refused_or_replayed(state, &key, &hash, refusal).await,
    }
}

/// The member and the sale's time, or why this purchase cannot be recorded now.
async fn checked_purchase(state: &AppState, input: &PurchaseInput, now: Timestamp) -> Result<(Holder, Timestamp), ErrorCode> {
    let window_ms = i64::try_from(state.config.occurred_at_window_hours).unwrap_or(i64::MAX).saturating_mul(3_600_000);
    let occurred_at = match input.occurred_at {
        Some(t) if t.unix_millis() > now.unix_millis() + CLOCK_SKEW_MS => return Err(ErrorCode::OccurredAtInFuture),
        // A sale back-dated past the window would reach into periods whose limits and tiers
        // are settled; it is not the till's to record.
        Some(t) if t.unix_millis() < now.unix_millis().saturating_sub(window_ms) => return Err(ErrorCode::OccurredAtTooOld),
        // Within the skew: counted as now, so it is never a future contribution.
        Some(t) => t.min(now),
        None => now,
    };
    Ok((find_holder(state, &input.member).await?, occurred_at))
}

async fn write_purchase(
    state: &AppState,
    till: Till,
    key: PosKey,
    body_hash: String,
    holder: Holder,
    amount: Money,
    occurred_at: Timestamp,
) -> Answer<PurchaseReceipt> {
    let member = MemberId::new(holder.id.0).map_err(internal)?;
    let policy = policy::shared(state).await.map_err(internal)?;
    let write = PurchaseWrite {
        key,
        body_hash,
        member,
        signed_up_at: holder.signed_up_at,
        birthday: holder.birthday,
        amount,
        occurred_at,
        recorded_by: till.cashier,
        policy: policy.policy.clone(),
    };
    let answer = settle(state.writer.purchase(write).await?);
    if matches!(answer, Ok(Outcome::Created(_))) {
        // A first purchase owes the inviter a bonus, committed with the sale; pay it now, under
        // the sale's policy. Its client id names the invitee, so it is found without the inviter.
        let occasion = Occasion::InviteeFirstPurchase { invitee: member };
        crate::features::earning::server::events::pay_owed_now(state, &policy.policy, member, occasion).await;
    }
    answer
}

/// Reverses the returned share of a purchase made at this branch.
pub async fn record_return(state: &AppState, till: Till, input: &ReturnInput) -> Answer<ReturnReceipt> {
    let amount = positive(input.amount)?;
    let hash = body_hash(&[input.purchase_external_id.as_str(), &amount.to_string()]);
    let key = key(till, PosKind::Return, &input.external_id);
    if let Some(answer) = earlier(state, &key, &hash).await? {
        return answer;
    }
    let write = ReturnWrite {
        key,
        body_hash: hash,
        purchase: input.purchase_external_id.clone(),
        amount,
        policy: policy::active(state).await?,
    };
    settle(state.db.pos.return_purchase(&write, clock::now()).await)
}

/// Pays `amount` with the member's credit, or refuses with `InsufficientCredit` and takes nothing.
/// Only the card pays: a mobile number is no proof that its holder is at the till.
pub async fn redeem_credit(state: &AppState, till: Till, input: &RedemptionInput) -> Answer<RedemptionReceipt> {
    if !matches!(input.member, MemberKey::Card(_)) {
        return Err(ErrorCode::CardRequired);
    }
    let amount = positive(input.amount)?;
    let hash = body_hash(&[&input.member.canonical(), &amount.to_string()]);
    let key = key(till, PosKind::Redemption, &input.external_id);
    if let Some(answer) = earlier(state, &key, &hash).await? {
        return answer;
    }
    let holder = find_holder(state, &input.member).await?;
    let write = RedemptionWrite { key, body_hash: hash, member: MemberId::new(holder.id.0).map_err(internal)?, amount };
    settle(state.db.pos.redeem_credit(&write, clock::now()).await)
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::earn::{BranchId, MemberFacts};

    #[test]
    fn the_dry_run_pays_the_starter_rate_and_cashback() {
        let now = Timestamp::from_unix_millis(1_750_000_000_000);
        let purchase = Purchase {
            member: MemberFacts { tier: None, signed_up_at: now, birthday: None, visits_before: 3, first_purchase: false },
            amount: "250000".parse().expect("valid money"),
            branch: BranchId::new(1).expect("positive id"),
            at: now,
        };
        let award = dry_run(&Policy::starter(), &purchase, now);
        assert_eq!(award.points.get(), 25);
        assert_eq!(award.credit.to_string(), "2500.00");
    }

    #[test]
    fn requests_hash_by_their_parsed_fields() {
        assert_eq!(body_hash(&["card:1", "10.00"]), body_hash(&["card:1", "10.00"]));
        assert_ne!(body_hash(&["card:1", "10.00"]), body_hash(&["card:1", "10.01"]));
    }
}
