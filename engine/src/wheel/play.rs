//! Playing a wheel: which weights are in force, how a spin is paid for, and what a won prize
//! takes from its segment's stock and budget.

use serde::{Deserialize, Serialize};

use super::spec::{Prize, SegmentSpec, WheelSpec};
use crate::fair::fairspin::Segment;
use crate::ledger::{Amount, Money, Points};
use crate::tiers::TierId;

/// What remains of one segment's stock and budget; `None` is unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Left {
    pub stock: Option<u64>,
    pub budget: Option<Amount>,
}

impl Left {
    /// A segment as configured, nothing won yet.
    pub fn full(segment: &SegmentSpec) -> Self {
        Self { stock: segment.stock, budget: segment.budget }
    }

    /// Whether the segment can pay its prize once more.
    pub fn can_pay(&self, prize: &Prize) -> bool {
        let stock = self.stock.is_none_or(|n| n > 0);
        let budget = match (self.budget, prize.amount()) {
            (Some(left), Some(cost)) => left.asset() == cost.asset() && left.units() >= cost.units(),
            _ => true,
        };
        stock && budget
    }
}

/// What is left of each segment of `new` after an edit of a wheel configured as `old` with
/// `left` remaining. A segment (by id) keeps what it has already paid out, and the admin's
/// change of its total moves what is left by the same amount; so saving the editor again, even
/// with spins in between, never refills a stock or a budget. A new segment, a newly limited one
/// or one whose budget changed asset starts full.
pub fn carried_left(old: &WheelSpec, left: &[Left], new: &WheelSpec) -> Vec<Left> {
    new.segments()
        .iter()
        .map(|segment| {
            let before = old.segments().iter().position(|s| s.id == segment.id);
            let Some(at) = before else { return Left::full(segment) };
            let (was, remains) = (&old.segments()[at], left.get(at).copied().unwrap_or(Left::full(&old.segments()[at])));
            let stock = match (was.stock, remains.stock, segment.stock) {
                (Some(total), Some(now), Some(wanted)) => Some(wanted.saturating_sub(total.saturating_sub(now))),
                (_, _, wanted) => wanted,
            };
            let budget = match (was.budget, remains.budget, segment.budget) {
                (Some(total), Some(now), Some(wanted)) if total.asset() == wanted.asset() && now.asset() == wanted.asset() => {
                    Some(less(wanted, total.units().saturating_sub(now.units())))
                }
                (_, _, wanted) => wanted,
            };
            Left { stock, budget }
        })
        .collect()
}

/// `amount` less `paid` units, at least zero.
fn less(amount: Amount, paid: i128) -> Amount {
    let units = (amount.units() - paid.max(0)).max(0);
    match amount {
        Amount::Points(_) => Amount::Points(Points::new(i64::try_from(units).unwrap_or(0)).unwrap_or(Points::ZERO)),
        Amount::Credit(_) => Amount::Credit(Money::from_minor(i64::try_from(units).unwrap_or(0)).unwrap_or(Money::ZERO)),
    }
}

/// The segments in force: a segment that cannot pay its prize again weighs 0, so it cannot be
/// drawn, and the change shows in the wheel hash.
pub fn in_force(spec: &WheelSpec, left: &[Left]) -> Vec<Segment> {
    spec.segments()
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let payable = left.get(i).is_none_or(|l| l.can_pay(&s.prize));
            Segment { id: s.id.as_str().to_owned(), weight: if payable { s.weight } else { 0 } }
        })
        .collect()
}

/// What is left of a segment after it paid its prize once; `None` if it could not pay (the
/// draw never selects such a segment, so this is a broken invariant).
pub fn consume(segment: &SegmentSpec, left: Left) -> Option<Left> {
    if !left.can_pay(&segment.prize) {
        return None;
    }
    let stock = match left.stock {
        Some(n) => Some(n.checked_sub(1)?),
        None => None,
    };
    let budget = match (left.budget, segment.prize.amount()) {
        (Some(Amount::Points(b)), Some(Amount::Points(p))) => Some(Amount::Points(b.checked_sub(p).ok()?)),
        (Some(Amount::Credit(b)), Some(Amount::Credit(c))) => Some(Amount::Credit(b.checked_sub(c).ok()?)),
        (budget, _) => budget,
    };
    Some(Left { stock, budget })
}

/// How a spin is paid for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Payment {
    /// An extra spin won earlier on this wheel.
    Bonus,
    /// One of the period's free spins.
    Free,
    Points { points: Points },
}

/// Extra spins first, then the period's free spins, then points.
pub fn payment(spec: &WheelSpec, tier: Option<&TierId>, free_used: u32, bonus_spins: u64) -> Payment {
    if bonus_spins > 0 {
        Payment::Bonus
    } else if free_used < spec.free_spins().allowance(tier) {
        Payment::Free
    } else {
        Payment::Points { points: spec.cost() }
    }
}
