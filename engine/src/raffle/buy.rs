//! When a member may buy tickets, and what they cost.

use crate::ledger::Points;
use crate::tiers::TierId;
use crate::time::Timestamp;

use super::RaffleSpec;

/// Where a raffle stands at an instant, by its clock alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Logged and announced; sales start at `opens_at`.
    Upcoming,
    Open,
    /// `closes_at` has passed: sales are over and the draw follows.
    Closed,
}

pub fn phase(spec: &RaffleSpec, now: Timestamp) -> Phase {
    if now < spec.opens_at() {
        Phase::Upcoming
    } else if now < spec.closes_at() {
        Phase::Open
    } else {
        Phase::Closed
    }
}

/// Why tickets cannot be bought; nothing is charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuyRefusal {
    /// Zero tickets asked.
    NoTickets,
    NotOpenYet,
    Closed,
    /// The member's tier is not among those the raffle admits.
    TierNotAdmitted,
    /// More than the per-member limit; `left` more could still be bought.
    OverLimit { left: u32 },
}

/// What `count` more tickets cost a member of `tier` who holds `held`, at `now`.
pub fn buy(spec: &RaffleSpec, tier: &TierId, held: u32, count: u32, now: Timestamp) -> Result<Points, BuyRefusal> {
    if count == 0 {
        return Err(BuyRefusal::NoTickets);
    }
    match phase(spec, now) {
        Phase::Upcoming => return Err(BuyRefusal::NotOpenYet),
        Phase::Closed => return Err(BuyRefusal::Closed),
        Phase::Open => {}
    }
    if !spec.admits(tier) {
        return Err(BuyRefusal::TierNotAdmitted);
    }
    let left = spec.per_member_limit().saturating_sub(held);
    if count > left {
        return Err(BuyRefusal::OverLimit { left });
    }
    // Both factors are bounded (price a valid Points, count ≤ the per-member limit), so the
    // product stays far inside i64; the check is for the type, not a reachable case.
    let cost = spec.ticket_price().get().checked_mul(i64::from(count)).and_then(|n| Points::new(n).ok());
    cost.ok_or(BuyRefusal::OverLimit { left })
}
