//! `Book::check_invariants`: the rules every state of the ledger obeys, checked from scratch.

use std::collections::BTreeMap;

use super::account::{Account, Asset, MemberAccount};
use super::book::Book;
use super::error::InvariantViolation;
use super::points::Points;

impl Book {
    /// Replays the journal and compares it with the stored rows:
    /// postings of each asset sum to zero; no member account is below zero; stored balances
    /// equal the replay; lots add up to their balances; nobody owes while holding; purchases
    /// never reverse more than they earned.
    pub fn check_invariants(&self) -> Result<(), InvariantViolation> {
        let mut flows: BTreeMap<Account, i128> = BTreeMap::new();
        for transfer in &self.journal {
            let posting = &transfer.posting;
            let asset = posting.amount.asset();
            if posting.from.asset() != asset || posting.to.asset() != asset {
                return Err(InvariantViolation::AssetMismatch {
                    transfer: transfer.id,
                    asset: asset.name(),
                });
            }
            let units = posting.amount.units();
            *flows.entry(posting.from).or_default() -= units;
            *flows.entry(posting.to).or_default() += units;
        }
        // Each posting balances by construction; summing every account's flow checks that the
        // journal was not altered afterwards either.
        let mut per_asset: BTreeMap<Asset, i128> = BTreeMap::new();
        for (account, flow) in &flows {
            *per_asset.entry(account.asset()).or_default() += flow;
        }
        for (asset, sum) in per_asset {
            if sum != 0 {
                return Err(InvariantViolation::Unbalanced {
                    asset: asset.name(),
                    sum,
                });
            }
        }

        for (&member, snapshot) in &self.members {
            for account in MemberAccount::ALL {
                let flow = flows
                    .get(&Account::member(member, account))
                    .copied()
                    .unwrap_or(0);
                let replayed = if account.is_debt() { -flow } else { flow };
                if replayed < 0 {
                    return Err(InvariantViolation::Negative {
                        account: Account::member(member, account).to_string(),
                        balance: replayed,
                    });
                }
                let stored = snapshot.balances.get(account).units();
                if stored != replayed {
                    return Err(InvariantViolation::BalanceDrift {
                        member,
                        field: account_name(account),
                        stored: stored.to_string(),
                        replayed: replayed.to_string(),
                    });
                }
            }
            for (pending, field, balance) in [
                (false, "points", snapshot.balances.points),
                (true, "pending points", snapshot.balances.pending_points),
            ] {
                let lots = Points::sum(
                    snapshot
                        .lots
                        .iter()
                        .filter(|l| l.is_pending() == pending)
                        .map(|l| l.remaining),
                )
                .unwrap_or(Points::MAX);
                if lots != balance {
                    return Err(InvariantViolation::LotsDrift {
                        member,
                        field,
                        lots,
                        balance,
                    });
                }
            }
            let b = snapshot.balances;
            if !b.owed_points.is_zero() && !b.points.is_zero() {
                return Err(InvariantViolation::OwedWhileHolding {
                    member,
                    field: "points",
                });
            }
            if !b.owed_credit.is_zero() && !b.credit.is_zero() {
                return Err(InvariantViolation::OwedWhileHolding {
                    member,
                    field: "credit",
                });
            }
        }
        // A member with journal rows but no stored row would be a lost write.
        for account in flows.keys() {
            if let Account::Member { member, .. } = account
                && !self.members.contains_key(member)
            {
                return Err(InvariantViolation::BalanceDrift {
                    member: *member,
                    field: "row",
                    stored: "missing".to_owned(),
                    replayed: "present".to_owned(),
                });
            }
        }

        for purchase in self.purchases.values() {
            let bad = |reason: &str| InvariantViolation::Purchase {
                purchase: purchase.id,
                reason: reason.to_owned(),
            };
            if purchase.returned > purchase.total {
                return Err(bad("returned more than its total"));
            }
            if purchase.points_reversed > purchase.points_earned
                || purchase.credit_reversed > purchase.credit_earned
            {
                return Err(bad("reversed more than it earned"));
            }
            if purchase.returned == purchase.total
                && !purchase.total.is_zero()
                && (purchase.points_reversed != purchase.points_earned
                    || purchase.credit_reversed != purchase.credit_earned)
            {
                return Err(bad("fully returned but not fully reversed"));
            }
        }
        Ok(())
    }
}

fn account_name(account: MemberAccount) -> &'static str {
    match account {
        MemberAccount::Points => "points",
        MemberAccount::PendingPoints => "pending points",
        MemberAccount::OwedPoints => "owed points",
        MemberAccount::Credit => "credit",
        MemberAccount::OwedCredit => "owed credit",
    }
}
