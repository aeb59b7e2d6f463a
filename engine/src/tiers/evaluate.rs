//! Tier decisions: the measured value from dated contributions, promotion at once, downgrade
//! after the grace period, and the member's progress to the next tier.

use serde::{Deserialize, Serialize};

use super::ladder::{Tier, TierId, TierLadder, TierWindow};
use crate::ledger::{Money, Points};
use crate::time::Timestamp;

/// Something that counts towards a tier, at the moment it happened. Negative values (a returned
/// purchase, reversed points) subtract; the measured total never goes below zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contribution {
    pub at: Timestamp,
    pub value: i64,
}

impl Contribution {
    pub fn points(at: Timestamp, points: Points) -> Self {
        Self {
            at,
            value: points.get(),
        }
    }

    /// Whole rials; the fraction of a rial is dropped, as tier thresholds are in whole rials.
    pub fn spend(at: Timestamp, amount: Money) -> Self {
        Self {
            at,
            value: amount.to_minor() / 100,
        }
    }

    pub fn visit(at: Timestamp) -> Self {
        Self { at, value: 1 }
    }
}

impl TierWindow {
    /// Whether something that happened at `at` counts at `now`. Future contributions never count.
    pub fn contains(self, at: Timestamp, now: Timestamp) -> bool {
        if at > now {
            return false;
        }
        match self {
            TierWindow::RollingDays(days) => at > now.plus_days(-i64::from(days.get())),
            TierWindow::JalaliYear => at.tehran_date().year == now.tehran_date().year,
        }
    }

    /// The first instant that counts at `now`: what counts is exactly `opens_at(now) ..= now`,
    /// so a store can sum the window in one range query instead of reading every contribution.
    pub fn opens_at(self, now: Timestamp) -> Timestamp {
        match self {
            TierWindow::RollingDays(days) => Timestamp::from_unix_millis(now.plus_days(-i64::from(days.get())).unix_millis() + 1),
            TierWindow::JalaliYear => {
                let year = now.tehran_date().year;
                crate::jalali::JalaliDate::new(year, 1, 1)
                    .map_or(now, Timestamp::from_tehran_start_of_day)
            }
        }
    }
}

/// The ladder's measure over its window at `now`: the sum of the contributions inside it, at
/// least zero. The caller passes contributions of the ladder's `Measure` only.
pub fn measured_value(ladder: &TierLadder, contributions: &[Contribution], now: Timestamp) -> u64 {
    let total = contributions
        .iter()
        .filter(|c| ladder.window().contains(c.at, now))
        .fold(0_i128, |sum, c| sum + i128::from(c.value));
    u64::try_from(total.max(0)).unwrap_or(u64::MAX)
}

/// A member's tier as stored: since when they hold it, and since when they have been below its
/// threshold (the grace clock), if they are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierState {
    pub tier: TierId,
    pub since: Timestamp,
    pub below_since: Option<Timestamp>,
}

/// The member's tier after measuring `value` at `now`.
///
/// A value that reaches a higher tier promotes at once. A value below the current tier starts
/// the grace clock (`below_since`); once it has run `grace_days`, the member moves down to the
/// tier the value reaches, in one step. A value back at or above the current threshold stops the
/// clock. A stored tier no longer on the ladder is replaced by the tier the value reaches. For a
/// fixed state and `now`, the resulting tier never falls as `value` rises.
pub fn evaluate_tier(
    ladder: &TierLadder,
    current: Option<&TierState>,
    value: u64,
    now: Timestamp,
) -> TierState {
    let qualified = ladder.qualified(value);
    let fresh = |tier: &Tier| TierState {
        tier: tier.id.clone(),
        since: now,
        below_since: None,
    };
    let Some((state, rank)) = current.and_then(|s| Some((s, ladder.rank(&s.tier)?))) else {
        return fresh(qualified);
    };
    let q_rank = ladder.rank(&qualified.id).unwrap_or(0);
    if q_rank > rank {
        return fresh(qualified);
    }
    if q_rank == rank {
        return TierState {
            below_since: None,
            ..state.clone()
        };
    }
    let below_since = state.below_since.unwrap_or(now).min(now);
    if now >= below_since.plus_days(i64::from(ladder.grace_days())) {
        fresh(qualified)
    } else {
        TierState {
            below_since: Some(below_since),
            ..state.clone()
        }
    }
}

/// What the member's dashboard shows about the next tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub tier: TierId,
    /// `None` at the top of the ladder.
    pub next: Option<TierId>,
    /// Still needed to reach `next`, in the ladder's measure; 0 at the top.
    pub needed: u64,
    /// `value / next threshold` in thousandths, rounded down; 1000 at the top.
    pub per_mille: u16,
    /// Still needed to keep the current tier when the grace clock runs; usually 0.
    pub to_keep: u64,
}

/// Progress of a member holding `tier` with measured `value`. An unknown tier counts as the base.
pub fn progress(ladder: &TierLadder, tier: &TierId, value: u64) -> Progress {
    let rank = ladder.rank(tier).unwrap_or(0);
    let held = ladder.tiers().get(rank).unwrap_or_else(|| ladder.base());
    let to_keep = held.threshold.saturating_sub(value);
    let Some(next) = ladder.tiers().get(rank + 1) else {
        return Progress {
            tier: held.id.clone(),
            next: None,
            needed: 0,
            per_mille: 1000,
            to_keep,
        };
    };
    // Thresholds above the base are positive, so the division is defined.
    let per_mille = (u128::from(value) * 1000 / u128::from(next.threshold.max(1))).min(1000);
    Progress {
        tier: held.id.clone(),
        next: Some(next.id.clone()),
        needed: next.threshold.saturating_sub(value),
        per_mille: u16::try_from(per_mille).unwrap_or(1000),
        to_keep,
    }
}
