//! What the planner needs to know about a member, and the purchases returns refer to.

use serde::{Deserialize, Serialize};

use super::account::{Amount, MemberAccount};
use super::error::{AmountError, LedgerError};
use super::ids::{MemberId, PurchaseId};
use super::lots::{Lot, NewLot};
use super::money::Money;
use super::points::Points;
use crate::time::Timestamp;

/// A member's balances. The types make every one of them non-negative.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Balances {
    pub points: Points,
    pub pending_points: Points,
    pub owed_points: Points,
    pub credit: Money,
    pub owed_credit: Money,
}

impl Balances {
    pub fn get(&self, account: MemberAccount) -> Amount {
        match account {
            MemberAccount::Points => Amount::Points(self.points),
            MemberAccount::PendingPoints => Amount::Points(self.pending_points),
            MemberAccount::OwedPoints => Amount::Points(self.owed_points),
            MemberAccount::Credit => Amount::Credit(self.credit),
            MemberAccount::OwedCredit => Amount::Credit(self.owed_credit),
        }
    }

    /// Applies one side of a posting. `inflow` is the receiving side. A debt account shrinks when
    /// value flows in, which is how earnings settle what a member owes.
    pub fn apply(
        &mut self,
        account: MemberAccount,
        amount: Amount,
        inflow: bool,
    ) -> Result<(), LedgerError> {
        let grow = inflow != account.is_debt();
        match (account, amount) {
            (MemberAccount::Points, Amount::Points(p)) => {
                self.points = shift_points(self.points, p, grow)?
            }
            (MemberAccount::PendingPoints, Amount::Points(p)) => {
                self.pending_points = shift_points(self.pending_points, p, grow)?
            }
            (MemberAccount::OwedPoints, Amount::Points(p)) => {
                self.owed_points = shift_points(self.owed_points, p, grow)?
            }
            (MemberAccount::Credit, Amount::Credit(m)) => {
                self.credit = shift_money(self.credit, m, grow)?
            }
            (MemberAccount::OwedCredit, Amount::Credit(m)) => {
                self.owed_credit = shift_money(self.owed_credit, m, grow)?
            }
            _ => return Err(LedgerError::AssetMismatch),
        }
        Ok(())
    }
}

fn shift_points(balance: Points, by: Points, grow: bool) -> Result<Points, AmountError> {
    if grow {
        balance.checked_add(by)
    } else {
        balance.checked_sub(by)
    }
}

fn shift_money(balance: Money, by: Money, grow: bool) -> Result<Money, AmountError> {
    if grow {
        balance.checked_add(by)
    } else {
        balance.checked_sub(by)
    }
}

/// What the lots a store did not load hold, spendable and pending. Only an earning may be
/// planned on a snapshot with unread lots, and only lots that are not `Lot::due` may be unread.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnreadLots {
    pub points: Points,
    pub pending_points: Points,
}

impl UnreadLots {
    pub fn is_empty(&self) -> bool {
        self.points.is_zero() && self.pending_points.is_zero()
    }
}

/// One member as the store loaded it under a row lock: balances and the lots still holding points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberSnapshot {
    pub member: MemberId,
    pub balances: Balances,
    /// Lots with `remaining > 0`; drawn-out lots may be included and are ignored.
    pub lots: Vec<Lot>,
    /// What the lots left out of `lots` hold: nothing, unless the store loaded only the due
    /// lots for an earning.
    #[serde(default)]
    pub unread: UnreadLots,
}

impl MemberSnapshot {
    pub fn empty(member: MemberId) -> Self {
        MemberSnapshot {
            member,
            balances: Balances::default(),
            lots: Vec::new(),
            unread: UnreadLots::default(),
        }
    }

    /// The snapshot an earning at `now` needs: the due lots, the others summed in `unread`.
    pub fn for_earning(&self, now: Timestamp) -> Result<MemberSnapshot, LedgerError> {
        let mut unread = self.unread;
        let mut lots = Vec::new();
        for lot in self.lots.iter().filter(|l| !l.remaining.is_zero()) {
            if lot.due(now) {
                lots.push(lot.clone());
            } else if lot.is_pending() {
                unread.pending_points = unread.pending_points.checked_add(lot.remaining)?;
            } else {
                unread.points = unread.points.checked_add(lot.remaining)?;
            }
        }
        Ok(MemberSnapshot { member: self.member, balances: self.balances, lots, unread })
    }

    /// Checks a loaded snapshot before planning on it, the second half of the pair of checks the
    /// engine makes before a write: lots add up to their balances, and nobody owes while holding.
    pub fn validate(&self) -> Result<(), LedgerError> {
        self.validate_with(&[])
    }

    /// `validate`, counting lots a plan is about to open as if they were already there.
    pub fn validate_with(&self, opening: &[NewLot]) -> Result<(), LedgerError> {
        let member = self.member;
        let corrupt = |reason: String| LedgerError::CorruptSnapshot { member, reason };
        let sum = |pending: bool| -> Result<Points, AmountError> {
            let held = self
                .lots
                .iter()
                .filter(|l| l.is_pending() == pending)
                .map(|l| l.remaining);
            let new = opening
                .iter()
                .filter(|l| l.member == member && l.pending_until.is_some() == pending);
            let unread = if pending { self.unread.pending_points } else { self.unread.points };
            Points::sum(held.chain(new.map(|l| l.amount)).chain(std::iter::once(unread)))
        };
        let (available, pending) = (sum(false)?, sum(true)?);
        if available != self.balances.points {
            return Err(corrupt(format!(
                "lots hold {available} points, the balance is {}",
                self.balances.points
            )));
        }
        if pending != self.balances.pending_points {
            return Err(corrupt(format!(
                "pending lots hold {pending} points, the balance is {}",
                self.balances.pending_points
            )));
        }
        if let Some(lot) = self.lots.iter().find(|l| l.remaining > l.original) {
            return Err(corrupt(format!(
                "lot {} has more left than it started with",
                lot.id
            )));
        }
        if !self.balances.owed_points.is_zero() && !self.balances.points.is_zero() {
            return Err(corrupt("owes points while holding some".to_owned()));
        }
        if !self.balances.owed_credit.is_zero() && !self.balances.credit.is_zero() {
            return Err(corrupt("owes credit while holding some".to_owned()));
        }
        Ok(())
    }
}

/// What a purchase earned and how much of it has been returned. Returns reverse in proportion
/// of the cumulative amount returned, so several partial returns add up to a full one exactly.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Purchase {
    pub id: PurchaseId,
    pub member: MemberId,
    pub total: Money,
    pub returned: Money,
    pub points_earned: Points,
    pub points_reversed: Points,
    pub credit_earned: Money,
    pub credit_reversed: Money,
}

/// A change to the purchases table.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "change")]
pub enum PurchaseChange {
    Open(Purchase),
    /// New cumulative totals after a return; the row is locked, so setting them is safe.
    Returned {
        purchase: PurchaseId,
        returned: Money,
        points_reversed: Points,
        credit_reversed: Money,
    },
}
