//! Playing a wheel: which weights are in force, how a spin is paid for, and what a won prize
//! takes from its segment's stock and budget.

use serde::{Deserialize, Serialize};

use super::spec::{Prize, SegmentSpec, WheelSpec};
use crate::fair::fairspin::Segment;
use crate::ledger::{Amount, Points};
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
