//! The planner's scratch space: working copies of the snapshots, and the changes made so far.
//! Every primitive updates the copy and records the change, so the copy always shows what the
//! store will hold once the plan is written.

use std::collections::BTreeMap;

use super::account::{Account, Amount, MemberAccount, SystemAccount};
use super::error::LedgerError;
use super::ids::{LotId, MemberId, PurchaseId};
use super::lots::{LotChange, NewLot, spend_order};
use super::money::Money;
use super::outcome::MemberBalances;
use super::plan::Plan;
use super::points::Points;
use super::snapshot::{Balances, MemberSnapshot, PurchaseChange};
use super::transfer::{Posting, PostingKind};
use crate::time::Timestamp;

/// Points drawn from one lot.
#[derive(Debug, Clone, Copy)]
pub(super) struct Slice {
    pub lot: LotId,
    pub pending: bool,
    pub expires_at: Option<Timestamp>,
    pub amount: Points,
}

pub(super) struct Draft {
    pub now: Timestamp,
    members: BTreeMap<MemberId, MemberSnapshot>,
    postings: Vec<Posting>,
    lots: Vec<LotChange>,
    opened: Vec<NewLot>,
    pub purchases: Vec<PurchaseChange>,
}

impl Draft {
    /// Takes the snapshots of exactly the members the request needs, and checks each one: the
    /// planner never builds on an inconsistent row.
    pub fn new(
        now: Timestamp,
        snapshots: &[MemberSnapshot],
        needed: &[MemberId],
    ) -> Result<Self, LedgerError> {
        let mut members = BTreeMap::new();
        for &member in needed {
            let snapshot = snapshots
                .iter()
                .find(|s| s.member == member)
                .ok_or(LedgerError::MissingSnapshot(member))?;
            snapshot.validate()?;
            let mut snapshot = snapshot.clone();
            snapshot.lots.retain(|l| !l.remaining.is_zero());
            members.insert(member, snapshot);
        }
        Ok(Draft {
            now,
            members,
            postings: Vec::new(),
            lots: Vec::new(),
            opened: Vec::new(),
            purchases: Vec::new(),
        })
    }

    fn member(&mut self, member: MemberId) -> Result<&mut MemberSnapshot, LedgerError> {
        self.members
            .get_mut(&member)
            .ok_or(LedgerError::MissingSnapshot(member))
    }

    pub fn balances(&self, member: MemberId) -> Result<Balances, LedgerError> {
        self.members
            .get(&member)
            .map(|s| s.balances)
            .ok_or(LedgerError::MissingSnapshot(member))
    }

    /// Records a posting and applies both sides to member balances. Zero amounts are dropped so
    /// the journal holds only real movements.
    pub fn post(
        &mut self,
        from: Account,
        to: Account,
        amount: Amount,
        kind: PostingKind,
    ) -> Result<(), LedgerError> {
        if amount.is_zero() {
            return Ok(());
        }
        if from.asset() != amount.asset() || to.asset() != amount.asset() || from == to {
            return Err(LedgerError::AssetMismatch);
        }
        for (account, inflow) in [(from, false), (to, true)] {
            if let Account::Member { member, account } = account {
                self.member(member)?
                    .balances
                    .apply(account, amount, inflow)?;
            }
        }
        self.postings.push(Posting {
            from,
            to,
            amount,
            kind,
        });
        Ok(())
    }

    fn draw(&mut self, member: MemberId, lot: LotId, amount: Points) -> Result<(), LedgerError> {
        let snapshot = self.member(member)?;
        let held = snapshot
            .lots
            .iter_mut()
            .find(|l| l.id == lot)
            .ok_or_else(|| LedgerError::CorruptSnapshot {
                member,
                reason: format!("lot {lot} is missing"),
            })?;
        held.remaining = held.remaining.checked_sub(amount)?;
        snapshot.lots.retain(|l| !l.remaining.is_zero());
        self.lots.push(LotChange::Draw {
            member,
            lot,
            amount,
        });
        Ok(())
    }

    /// Draws up to `wanted` points from the member's lots and returns what it drew; the caller
    /// posts the matching movement. Lots of `first` (a purchase being returned) go first, pending
    /// or not; then spendable lots, soonest-expiring first.
    pub fn take_points(
        &mut self,
        member: MemberId,
        wanted: Points,
        first: Option<PurchaseId>,
    ) -> Result<Vec<Slice>, LedgerError> {
        let snapshot = self.member(member)?;
        let mut own: Vec<_> = snapshot
            .lots
            .iter()
            .filter(|l| first.is_some() && l.purchase == first)
            .collect();
        own.sort_by_key(|l| l.spend_key());
        let rest = spend_order(&snapshot.lots)
            .into_iter()
            .filter(|l| first.is_none() || l.purchase != first);
        let mut slices = Vec::new();
        let mut left = wanted;
        for lot in own.into_iter().chain(rest) {
            if left.is_zero() {
                break;
            }
            let amount = lot.remaining.min(left);
            left = left.checked_sub(amount)?;
            slices.push(Slice {
                lot: lot.id,
                pending: lot.is_pending(),
                expires_at: lot.expires_at,
                amount,
            });
        }
        for slice in &slices {
            self.draw(member, slice.lot, slice.amount)?;
        }
        Ok(slices)
    }

    /// Posts drawn slices out of the member's spendable and pending accounts into `to`.
    pub fn post_slices(
        &mut self,
        member: MemberId,
        slices: &[Slice],
        to: Account,
        kind: PostingKind,
    ) -> Result<(), LedgerError> {
        for (pending, account) in [
            (false, MemberAccount::Points),
            (true, MemberAccount::PendingPoints),
        ] {
            let total = Points::sum(
                slices
                    .iter()
                    .filter(|s| s.pending == pending)
                    .map(|s| s.amount),
            )?;
            self.post(
                Account::member(member, account),
                to,
                Amount::Points(total),
                kind,
            )?;
        }
        Ok(())
    }

    /// Points arriving from `source` as the given lots. Spendable points pay off what the member
    /// owes first, soonest-expiring first; pending points wait until they unlock.
    pub fn receive_points(
        &mut self,
        member: MemberId,
        source: Account,
        kind: PostingKind,
        mut parts: Vec<NewLot>,
    ) -> Result<(), LedgerError> {
        let mut owed = self.balances(member)?.owed_points;
        let mut settled = Points::ZERO;
        for part in parts.iter_mut().filter(|p| p.pending_until.is_none()) {
            let paid = part.amount.min(owed);
            owed = owed.checked_sub(paid)?;
            part.amount = part.amount.checked_sub(paid)?;
            settled = settled.checked_add(paid)?;
        }
        let owed_account = Account::member(member, MemberAccount::OwedPoints);
        self.post(
            source,
            owed_account,
            Amount::Points(settled),
            PostingKind::Settle,
        )?;
        for (pending, account) in [
            (false, MemberAccount::Points),
            (true, MemberAccount::PendingPoints),
        ] {
            let total = Points::sum(
                parts
                    .iter()
                    .filter(|p| p.pending_until.is_some() == pending)
                    .map(|p| p.amount),
            )?;
            self.post(
                source,
                Account::member(member, account),
                Amount::Points(total),
                kind,
            )?;
        }
        for part in parts.into_iter().filter(|p| !p.amount.is_zero()) {
            self.opened.push(part.clone());
            self.lots.push(LotChange::Open(part));
        }
        Ok(())
    }

    /// Credit arriving from `source`; it pays off owed credit first.
    pub fn receive_credit(
        &mut self,
        member: MemberId,
        source: Account,
        amount: Money,
        kind: PostingKind,
    ) -> Result<(), LedgerError> {
        let paid = amount.min(self.balances(member)?.owed_credit);
        let to_owed = Account::member(member, MemberAccount::OwedCredit);
        self.post(source, to_owed, Amount::Credit(paid), PostingKind::Settle)?;
        let rest = amount.checked_sub(paid)?;
        self.post(
            source,
            Account::member(member, MemberAccount::Credit),
            Amount::Credit(rest),
            kind,
        )
    }

    /// Brings a member up to `now`: expired lots go to the expiry account, lots whose return
    /// window closed become spendable, and newly spendable points pay off what is owed.
    pub fn sweep(&mut self, member: MemberId) -> Result<(), LedgerError> {
        let now = self.now;
        let snapshot = self.member(member)?;
        let mut expired: Vec<Slice> = snapshot
            .lots
            .iter()
            .filter(|l| l.is_expired(now))
            .map(|l| Slice {
                lot: l.id,
                pending: l.is_pending(),
                expires_at: l.expires_at,
                amount: l.remaining,
            })
            .collect();
        expired.sort_by_key(|s| s.lot);
        for slice in &expired {
            self.draw(member, slice.lot, slice.amount)?;
        }
        self.post_slices(
            member,
            &expired,
            Account::system(SystemAccount::Expiry, super::account::Asset::Points),
            PostingKind::Expire,
        )?;

        let snapshot = self.member(member)?;
        let mut unlocked = Vec::new();
        let mut total = Points::ZERO;
        for lot in snapshot
            .lots
            .iter_mut()
            .filter(|l| l.pending_until.is_some_and(|at| at <= now))
        {
            lot.pending_until = None;
            total = total.checked_add(lot.remaining)?;
            unlocked.push(lot.id);
        }
        unlocked.sort_unstable();
        self.lots.extend(
            unlocked
                .into_iter()
                .map(|lot| LotChange::Unlock { member, lot }),
        );
        let (pending, spendable) = (MemberAccount::PendingPoints, MemberAccount::Points);
        self.post(
            Account::member(member, pending),
            Account::member(member, spendable),
            Amount::Points(total),
            PostingKind::Unlock,
        )?;
        self.settle_owed_points(member)
    }

    fn settle_owed_points(&mut self, member: MemberId) -> Result<(), LedgerError> {
        let owed = self.balances(member)?.owed_points;
        if owed.is_zero() {
            return Ok(());
        }
        let slices = self.take_points(member, owed, None)?;
        self.post_slices(
            member,
            &slices,
            Account::member(member, MemberAccount::OwedPoints),
            PostingKind::Settle,
        )
    }

    /// Checks the result the same way a loaded snapshot is checked, then hands over the plan.
    pub fn finish(self) -> Result<Plan, LedgerError> {
        for snapshot in self.members.values() {
            snapshot.validate_with(&self.opened)?;
        }
        let balances = self
            .members
            .values()
            .map(|s| MemberBalances {
                member: s.member,
                balances: s.balances,
            })
            .collect();
        Ok(Plan {
            postings: self.postings,
            lots: self.lots,
            purchases: self.purchases,
            balances,
        })
    }
}
