//! `Book`: the in-memory reference ledger. It keeps rows the way the store does and plans every
//! write with the same `plan` function, so it is both the model the store is tested against and
//! the harness that tests the planner.

use std::collections::BTreeMap;

use super::account::{Account, MemberAccount};
use super::error::LedgerError;
use super::ids::{ClientId, LotId, MemberId, PurchaseId, TransferId};
use super::lots::{Lot, LotChange};
use super::outcome::{Outcome, Receipt, replay};
use super::plan::{Plan, plan};
use super::request::Request;
use super::snapshot::{Balances, MemberSnapshot, Purchase, PurchaseChange};
use super::transfer::Transfer;
use crate::time::Timestamp;

#[derive(Debug, Clone, Default)]
pub struct Book {
    pub(super) members: BTreeMap<MemberId, MemberSnapshot>,
    pub(super) purchases: BTreeMap<PurchaseId, Purchase>,
    pub(super) journal: Vec<Transfer>,
    writes: BTreeMap<ClientId, (Request, Receipt)>,
    last_lot: i64,
    last_transfer: i64,
}

impl Book {
    pub fn new() -> Self {
        Book::default()
    }

    /// Applies one write. A client id seen before replays its first result if the request is the
    /// same and is refused if it differs; on any error the book is unchanged.
    pub fn apply(
        &mut self,
        client_id: ClientId,
        request: Request,
        now: Timestamp,
    ) -> Result<Outcome<Receipt>, LedgerError> {
        if let Some((stored_request, stored_receipt)) = self.writes.get(&client_id) {
            return replay(&client_id, (stored_request, stored_receipt), &request);
        }
        let snapshots: Vec<MemberSnapshot> = request
            .members()
            .into_iter()
            .map(|m| self.snapshot(m))
            .collect();
        let purchase = request.purchase().and_then(|id| self.purchases.get(&id));
        let plan = plan(&request, &snapshots, purchase, now)?;
        let receipt = self.write(&client_id, snapshots, plan, now)?;
        self.writes.insert(client_id, (request, receipt.clone()));
        Ok(Outcome::Created(receipt))
    }

    /// Writes a plan the way the store would, on copies, and checks the result against the
    /// plan's own balances before committing: the second assertion of the pair.
    fn write(
        &mut self,
        client_id: &ClientId,
        mut members: Vec<MemberSnapshot>,
        plan: Plan,
        now: Timestamp,
    ) -> Result<Receipt, LedgerError> {
        let Plan {
            postings,
            lots,
            purchases,
            balances,
        } = plan;
        for posting in &postings {
            for (account, inflow) in [(posting.from, false), (posting.to, true)] {
                if let Account::Member { member, account } = account {
                    find(&mut members, member)?
                        .balances
                        .apply(account, posting.amount, inflow)?;
                }
            }
        }
        let mut last_lot = self.last_lot;
        for change in lots {
            match change {
                LotChange::Open(new) => {
                    last_lot += 1;
                    let lot = new.clone().into_lot(LotId::new(last_lot)?);
                    find(&mut members, new.member)?.lots.push(lot);
                }
                LotChange::Draw {
                    member,
                    lot,
                    amount,
                } => {
                    let held = find_lot(&mut members, member, lot)?;
                    held.remaining = held.remaining.checked_sub(amount)?;
                }
                LotChange::Unlock { member, lot } => {
                    find_lot(&mut members, member, lot)?.pending_until = None
                }
            }
        }
        let mut touched = Vec::new();
        for change in purchases {
            match change {
                PurchaseChange::Open(purchase) => touched.push(purchase),
                PurchaseChange::Returned {
                    purchase,
                    returned,
                    points_reversed,
                    credit_reversed,
                } => {
                    let mut row = self
                        .purchases
                        .get(&purchase)
                        .cloned()
                        .ok_or(LedgerError::UnknownPurchase(purchase))?;
                    row.returned = returned;
                    row.points_reversed = points_reversed;
                    row.credit_reversed = credit_reversed;
                    touched.push(row);
                }
            }
        }
        for member in &members {
            member.validate()?;
            let planned = balances
                .iter()
                .find(|b| b.member == member.member)
                .map(|b| b.balances);
            if planned != Some(member.balances) {
                return Err(LedgerError::CorruptSnapshot {
                    member: member.member,
                    reason: format!(
                        "the plan says {planned:?}, its postings give {:?}",
                        member.balances
                    ),
                });
            }
        }

        let mut transfers = Vec::with_capacity(postings.len());
        let mut last_transfer = self.last_transfer;
        for posting in postings {
            last_transfer += 1;
            transfers.push(Transfer {
                id: TransferId::new(last_transfer)?,
                client_id: client_id.clone(),
                at: now,
                posting,
            });
        }
        self.last_lot = last_lot;
        self.last_transfer = last_transfer;
        self.journal.extend(transfers.iter().cloned());
        for member in members {
            self.members.insert(member.member, member);
        }
        for purchase in touched {
            self.purchases.insert(purchase.id, purchase);
        }
        Ok(Receipt {
            transfers,
            balances,
        })
    }

    /// The member as the store would load it; an empty snapshot for a member never seen.
    pub fn snapshot(&self, member: MemberId) -> MemberSnapshot {
        self.members
            .get(&member)
            .cloned()
            .unwrap_or_else(|| MemberSnapshot::empty(member))
    }

    pub fn balances(&self, member: MemberId) -> Balances {
        self.members
            .get(&member)
            .map(|s| s.balances)
            .unwrap_or_default()
    }

    /// All lots of a member, drawn-out ones included, in the order they were opened.
    pub fn lots(&self, member: MemberId) -> &[Lot] {
        self.members.get(&member).map_or(&[], |s| s.lots.as_slice())
    }

    pub fn purchase(&self, id: PurchaseId) -> Option<&Purchase> {
        self.purchases.get(&id)
    }

    pub fn journal(&self) -> &[Transfer] {
        &self.journal
    }

    pub fn members(&self) -> impl Iterator<Item = MemberId> + '_ {
        self.members.keys().copied()
    }

    /// What flowed into `account` minus what flowed out, in points or hundredths of a rial,
    /// replayed from the journal. For a debt account this is minus what the member owes.
    pub fn net_flow(&self, account: Account) -> i128 {
        self.journal
            .iter()
            .map(|t| {
                let units = t.posting.amount.units();
                if t.posting.to == account {
                    units
                } else if t.posting.from == account {
                    -units
                } else {
                    0
                }
            })
            .sum()
    }

    /// A member's balance of one account as stored, in the units of `net_flow`.
    pub fn stored_balance(&self, member: MemberId, account: MemberAccount) -> i128 {
        self.balances(member).get(account).units()
    }
}

fn find(
    members: &mut [MemberSnapshot],
    member: MemberId,
) -> Result<&mut MemberSnapshot, LedgerError> {
    members
        .iter_mut()
        .find(|s| s.member == member)
        .ok_or(LedgerError::MissingSnapshot(member))
}

fn find_lot(
    members: &mut [MemberSnapshot],
    member: MemberId,
    lot: LotId,
) -> Result<&mut Lot, LedgerError> {
    find(members, member)?
        .lots
        .iter_mut()
        .find(|l| l.id == lot)
        .ok_or_else(|| LedgerError::CorruptSnapshot {
            member,
            reason: format!("lot {lot} is missing"),
        })
}
