//! Earning events other than purchases: the sign-up bonus, profile completion, birthdays and
//! referrals. These functions decide when an occasion happened; the store pays each occasion
//! once (`Occasion::client_id`), so firing one again is harmless. A failed award is logged and
//! never fails what caused it: the account, the profile or the sale is what matters.

use engine::access::Role;
use engine::earn::{Policy, is_birthday};
use engine::ledger::{LedgerError, MemberId, Outcome, Points};
use engine::time::Timestamp;

use crate::platform::server::clock;
use crate::features::pos::server::policy;
use crate::platform::server::state::AppState;
use crate::platform::server::store::{Account, AccountId, EventWrite, Occasion, OwedPaid, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum AwardError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the ledger refused: {0}")]
    Ledger(#[from] LedgerError),
    #[error("account {0} cannot hold points")]
    NotMember(i64),
    #[error("{0} birthday bonuses could not be paid; the job pays them when it runs again")]
    Unfinished(u64),
}

/// Pays `occasion` to `member` under `policy`: the points, first time or replayed.
async fn pay(state: &AppState, policy: &Policy, member: AccountId, occasion: Occasion, now: Timestamp) -> Result<Outcome<Points>, AwardError> {
    let member = MemberId::new(member.0).map_err(|_| AwardError::NotMember(member.0))?;
    let write = EventWrite { member, occasion, policy: policy.clone() };
    Ok(state.db.pos.award_event(&write, now).await??)
}

/// `pay` under the policy in force, logging a failure.
async fn pay_or_log(state: &AppState, member: AccountId, occasion: Occasion) {
    let result = match policy::in_force(state).await {
        Ok(policy) => pay(state, &policy, member, occasion, clock::now()).await,
        Err(e) => Err(e.into()),
    };
    if let Err(error) = result {
        tracing::warn!(member = member.0, ?occasion, %error, "earning event not paid");
    }
}

/// How many owed awards one round pays; the rest wait for the next round.
const OWED_PER_ROUND: i64 = 500;

/// Pays the awards that committed writes owe (`OwedAward`: sign-up bonuses, the inviter's bonus
/// for a first purchase) under the policy in force. Called right after such a write, and by the
/// housekeeping rounds for whatever a crash or a refusal left owed.
pub async fn pay_owed(state: &AppState) -> Result<OwedPaid, AwardError> {
    let policy = policy::in_force(state).await?;
    let done = state.db.pos.pay_owed_awards(&policy, clock::now(), OWED_PER_ROUND).await?;
    if done.failed > 0 {
        tracing::warn!(failed = done.failed, "owed awards not paid; they are tried again");
    }
    Ok(done)
}

/// Pays the award `occasion` owes `member` under `policy`, if it is owed, right after the write
/// that owed it committed; a failure is logged, and the housekeeping round pays it later.
pub async fn pay_owed_now(state: &AppState, policy: &Policy, member: MemberId, occasion: Occasion) {
    let paid = async {
        let client_id = occasion.client_id(member)?;
        Ok::<_, AwardError>(state.db.pos.pay_owed_award(&client_id, policy, clock::now()).await?)
    };
    if let Err(error) = paid.await {
        tracing::warn!(%member, ?occasion, %error, "owed award not paid now; the housekeeping round will");
    }
}

/// The sign-up bonus (owed in the account's transaction), and the inviter's bonus when the
/// account came through an invite link.
pub async fn reward_sign_up(state: &AppState, member: AccountId) {
    match (policy::in_force(state).await, MemberId::new(member.0)) {
        (Ok(policy), Ok(id)) => pay_owed_now(state, &policy, id, Occasion::SignUp).await,
        (Err(error), _) => tracing::warn!(member = member.0, %error, "cannot read the policy; the housekeeping round pays the sign-up bonus"),
        (_, Err(_)) => tracing::warn!(member = member.0, "not a ledger member id"),
    }
    match state.db.referrals.inviter(member).await {
        Ok(Some(inviter)) => match MemberId::new(member.0) {
            Ok(invitee) => pay_or_log(state, inviter, Occasion::InviteeSignedUp { invitee }).await,
            Err(_) => tracing::warn!(member = member.0, "invitee is not a ledger member id"),
        },
        Ok(None) => {}
        Err(error) => tracing::warn!(member = member.0, %error, "cannot read who invited the member"),
    }
}

/// The profile-completion bonus, once ever, for a member whose saved profile is complete.
pub async fn reward_profile(state: &AppState, account: &Account, complete: bool) {
    if complete && account.roles.contains(Role::Member) {
        pay_or_log(state, account.id, Occasion::ProfileCompleted).await;
    }
}

/// `run_birthdays_at` now.
pub async fn run_birthdays(state: &AppState) -> Result<u64, AwardError> {
    run_birthdays_at(state, clock::now()).await
}

/// Pays the birthday bonus to every member whose birthday falls on `now`'s day in Tehran (Jalali
/// month and day), once per Jalali year; returns how many were paid now. One member failing does
/// not stop the others, but the run then fails so that it is run again (the paid ones replay).
pub async fn run_birthdays_at(state: &AppState, now: Timestamp) -> Result<u64, AwardError> {
    let policy = policy::in_force(state).await?;
    let year = now.tehran_date().year;
    // Every account with a birthday, filtered here: fine for a club of some ten thousand members.
    // A larger one should store the Jalali month and day and let the database pick the day's.
    let accounts = state.db.accounts.accounts_with_birthday().await?;
    let today = accounts
        .iter()
        .filter(|a| a.roles.contains(Role::Member) && a.profile.birthday.is_some_and(|b| is_birthday(b, now)));
    let (mut paid, mut failed) = (0, 0);
    for account in today {
        match pay(state, &policy, account.id, Occasion::Birthday { year }, now).await {
            Ok(Outcome::Created(points)) if !points.is_zero() => paid += 1,
            Ok(_) => {}
            Err(error) => {
                failed += 1;
                tracing::warn!(member = account.id.0, %error, "birthday bonus not paid");
            }
        }
    }
    if failed > 0 { Err(AwardError::Unfinished(failed)) } else { Ok(paid) }
}
