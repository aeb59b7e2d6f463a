//! The planner: a pure function from (request, snapshots, now) to the rows to write. The SQL
//! store and `Book` both call it, so tests of `Book` test exactly what production runs.

use serde::{Deserialize, Serialize};

use super::account::{Account, Amount, Asset, MemberAccount, SystemAccount};
use super::draft::Draft;
use super::error::LedgerError;
use super::ids::{MemberId, PurchaseId};
use super::lots::{ExpiryPolicy, LotChange, NewLot, after_days};
use super::money::Money;
use super::outcome::MemberBalances;
use super::points::Points;
use super::request::{Adjustment, Earn, Request};
use super::snapshot::{MemberSnapshot, Purchase, PurchaseChange};
use super::transfer::{Posting, PostingKind};
use crate::time::Timestamp;

/// Everything one request writes. The store writes it in one database transaction: postings
/// become journal rows, lot changes update the lots table, purchase changes the purchases table,
/// and `balances` are the new balance rows (the store may recompute them from the postings and
/// compare, as `Book` does).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub postings: Vec<Posting>,
    pub lots: Vec<LotChange>,
    pub purchases: Vec<PurchaseChange>,
    /// Balances after the write, one entry per member in `Request::members`, same order.
    pub balances: Vec<MemberBalances>,
}

/// 1900-01-01 to 9999-12-31: wide enough for any real instant, narrow enough that calendar
/// arithmetic on it cannot overflow.
const EARLIEST_MS: i64 = -2_208_988_800_000;
const LATEST_MS: i64 = 253_402_300_799_999;

/// Plans `request` as of `now`. `members` must hold a snapshot of every member in
/// `request.members()` (an empty one for a member without rows); `purchase` is the row named by
/// `request.purchase()`, if it exists. Nothing is changed on error.
pub fn plan(
    request: &Request,
    members: &[MemberSnapshot],
    purchase: Option<&Purchase>,
    now: Timestamp,
) -> Result<Plan, LedgerError> {
    if !(EARLIEST_MS..=LATEST_MS).contains(&now.unix_millis()) {
        return Err(LedgerError::TimeOutOfRange);
    }
    let needed = request.members();
    if !matches!(request, Request::Earn(_))
        && let Some(partial) = members.iter().find(|s| needed.contains(&s.member) && !s.unread.is_empty())
    {
        return Err(LedgerError::PartialSnapshot(partial.member));
    }
    let mut draft = Draft::new(now, members, &needed)?;
    // Every request first brings its members up to `now`, so balances never include expired
    // points and pending points that are due are spendable.
    for &member in &needed {
        draft.sweep(member)?;
    }
    match request {
        Request::Earn(earn) => plan_earn(&mut draft, earn, purchase)?,
        Request::Spend { member, amount } => plan_spend(&mut draft, *member, *amount)?,
        Request::MemberTransfer { from, to, amount } => {
            plan_member_transfer(&mut draft, *from, *to, *amount)?
        }
        Request::Return {
            member,
            purchase: id,
            returned,
        } => plan_return(&mut draft, *member, *id, *returned, purchase)?,
        Request::Sweep { .. } => {}
        Request::Adjust { member, change } => plan_adjust(&mut draft, *member, *change)?,
    }
    draft.finish()
}

const fn system(account: SystemAccount, asset: Asset) -> Account {
    Account::system(account, asset)
}

fn points_lot(
    draft: &Draft,
    member: MemberId,
    amount: Points,
    policy: ExpiryPolicy,
    pending_days: u32,
    purchase: Option<PurchaseId>,
) -> Result<NewLot, LedgerError> {
    let pending_until = match pending_days {
        0 => None,
        days => Some(after_days(draft.now, days)?),
    };
    // The expiry clock starts when points become spendable, so a return window never eats
    // into their life.
    let expires_at = policy.expires_at(pending_until.unwrap_or(draft.now))?;
    Ok(NewLot {
        member,
        earned_at: draft.now,
        expires_at,
        pending_until,
        purchase,
        amount,
    })
}

fn plan_earn(
    draft: &mut Draft,
    earn: &Earn,
    existing: Option<&Purchase>,
) -> Result<(), LedgerError> {
    let member = earn.member;
    if earn.purchase.is_none() && earn.points.is_zero() && earn.credit.is_zero() {
        return Err(LedgerError::ZeroAmount);
    }
    if let Some(purchase) = earn.purchase {
        if existing.is_some_and(|p| p.id == purchase.id) {
            return Err(LedgerError::DuplicatePurchase(purchase.id));
        }
        draft.purchases.push(PurchaseChange::Open(Purchase {
            id: purchase.id,
            member,
            total: purchase.total,
            returned: Money::ZERO,
            points_earned: earn.points,
            points_reversed: Points::ZERO,
            credit_earned: earn.credit,
            credit_reversed: Money::ZERO,
        }));
    }
    if !earn.points.is_zero() {
        let lot = points_lot(
            draft,
            member,
            earn.points,
            earn.policy,
            earn.pending_days,
            earn.purchase.map(|p| p.id),
        )?;
        draft.receive_points(
            member,
            system(SystemAccount::Issuance, Asset::Points),
            PostingKind::Earn,
            vec![lot],
        )?;
    }
    draft.receive_credit(
        member,
        system(SystemAccount::Issuance, Asset::Credit),
        earn.credit,
        PostingKind::Earn,
    )
}

/// Draws `points` spendable points into `to`, or fails without drawing anything.
fn pay_points(
    draft: &mut Draft,
    member: MemberId,
    points: Points,
    to: Account,
    kind: PostingKind,
) -> Result<(), LedgerError> {
    let available = draft.balances(member)?.points;
    if points > available {
        return Err(LedgerError::InsufficientPoints {
            member,
            needed: points,
            available,
        });
    }
    let slices = draft.take_points(member, points, None)?;
    draft.post_slices(member, &slices, to, kind)
}

fn check_credit(draft: &Draft, member: MemberId, credit: Money) -> Result<(), LedgerError> {
    let available = draft.balances(member)?.credit;
    if credit > available {
        return Err(LedgerError::InsufficientCredit {
            member,
            needed: credit,
            available,
        });
    }
    Ok(())
}

fn plan_spend(draft: &mut Draft, member: MemberId, amount: Amount) -> Result<(), LedgerError> {
    if amount.is_zero() {
        return Err(LedgerError::ZeroAmount);
    }
    let to = system(SystemAccount::Redemption, amount.asset());
    match amount {
        Amount::Points(points) => pay_points(draft, member, points, to, PostingKind::Spend),
        Amount::Credit(credit) => {
            check_credit(draft, member, credit)?;
            draft.post(
                Account::member(member, MemberAccount::Credit),
                to,
                amount,
                PostingKind::Spend,
            )
        }
    }
}

fn plan_member_transfer(
    draft: &mut Draft,
    from: MemberId,
    to: MemberId,
    amount: Amount,
) -> Result<(), LedgerError> {
    if from == to {
        return Err(LedgerError::SameMember);
    }
    if amount.is_zero() {
        return Err(LedgerError::ZeroAmount);
    }
    let kind = PostingKind::MemberTransfer;
    match amount {
        Amount::Points(points) => {
            let available = draft.balances(from)?.points;
            if points > available {
                return Err(LedgerError::InsufficientPoints {
                    member: from,
                    needed: points,
                    available,
                });
            }
            // The receiver gets lots with the sender's expiry dates: a gift cannot extend the
            // life of points.
            let slices = draft.take_points(from, points, None)?;
            let now = draft.now;
            let parts = slices
                .iter()
                .map(|s| NewLot {
                    member: to,
                    earned_at: now,
                    expires_at: s.expires_at,
                    pending_until: None,
                    purchase: None,
                    amount: s.amount,
                })
                .collect();
            draft.receive_points(
                to,
                Account::member(from, MemberAccount::Points),
                kind,
                parts,
            )
        }
        Amount::Credit(credit) => {
            check_credit(draft, from, credit)?;
            draft.receive_credit(
                to,
                Account::member(from, MemberAccount::Credit),
                credit,
                kind,
            )
        }
    }
}

/// Takes back the returned share of what a purchase earned: from the purchase's own lots, then
/// from the member's spendable points; what was already spent becomes owed, never a negative
/// balance.
fn plan_return(
    draft: &mut Draft,
    member: MemberId,
    id: PurchaseId,
    returned: Money,
    purchase: Option<&Purchase>,
) -> Result<(), LedgerError> {
    let purchase = purchase
        .filter(|p| p.id == id)
        .ok_or(LedgerError::UnknownPurchase(id))?;
    if purchase.member != member {
        return Err(LedgerError::PurchaseOfAnotherMember { purchase: id });
    }
    if returned.is_zero() {
        return Err(LedgerError::ZeroAmount);
    }
    let total_returned = purchase.returned.checked_add(returned)?;
    if total_returned > purchase.total {
        return Err(LedgerError::ReturnExceedsPurchase {
            purchase: id,
            total: purchase.total,
            already: purchase.returned,
            requested: returned,
        });
    }
    // Shares of the cumulative amount, so partial returns add up to a full one exactly.
    let points_target = purchase
        .points_earned
        .share(total_returned.to_minor(), purchase.total.to_minor());
    let points_due = points_target.checked_sub(purchase.points_reversed)?;
    let credit_target = purchase.credit_earned.share(total_returned, purchase.total);
    let credit_due = credit_target.checked_sub(purchase.credit_reversed)?;

    let issuance = system(SystemAccount::Issuance, Asset::Points);
    let slices = draft.take_points(member, points_due, Some(id))?;
    draft.post_slices(member, &slices, issuance, PostingKind::Reverse)?;
    let taken = Points::sum(slices.iter().map(|s| s.amount))?;
    let owed = Account::member(member, MemberAccount::OwedPoints);
    draft.post(
        owed,
        issuance,
        Amount::Points(points_due.checked_sub(taken)?),
        PostingKind::Reverse,
    )?;

    let issuance = system(SystemAccount::Issuance, Asset::Credit);
    let from_balance = credit_due.min(draft.balances(member)?.credit);
    draft.post(
        Account::member(member, MemberAccount::Credit),
        issuance,
        Amount::Credit(from_balance),
        PostingKind::Reverse,
    )?;
    let owed = Account::member(member, MemberAccount::OwedCredit);
    draft.post(
        owed,
        issuance,
        Amount::Credit(credit_due.checked_sub(from_balance)?),
        PostingKind::Reverse,
    )?;

    draft.purchases.push(PurchaseChange::Returned {
        purchase: id,
        returned: total_returned,
        points_reversed: points_target,
        credit_reversed: credit_target,
    });
    Ok(())
}

fn plan_adjust(draft: &mut Draft, member: MemberId, change: Adjustment) -> Result<(), LedgerError> {
    let kind = PostingKind::Adjust;
    match change {
        Adjustment::GrantPoints { points, policy } => {
            if points.is_zero() {
                return Err(LedgerError::ZeroAmount);
            }
            let lot = points_lot(draft, member, points, policy, 0, None)?;
            draft.receive_points(
                member,
                system(SystemAccount::Adjustment, Asset::Points),
                kind,
                vec![lot],
            )
        }
        Adjustment::DeductPoints { points } => {
            if points.is_zero() {
                return Err(LedgerError::ZeroAmount);
            }
            pay_points(
                draft,
                member,
                points,
                system(SystemAccount::Adjustment, Asset::Points),
                kind,
            )
        }
        Adjustment::GrantCredit { credit } => {
            if credit.is_zero() {
                return Err(LedgerError::ZeroAmount);
            }
            draft.receive_credit(
                member,
                system(SystemAccount::Adjustment, Asset::Credit),
                credit,
                kind,
            )
        }
        Adjustment::DeductCredit { credit } => {
            if credit.is_zero() {
                return Err(LedgerError::ZeroAmount);
            }
            check_credit(draft, member, credit)?;
            let from = Account::member(member, MemberAccount::Credit);
            draft.post(
                from,
                system(SystemAccount::Adjustment, Asset::Credit),
                Amount::Credit(credit),
                kind,
            )
        }
    }
}
