//! Tiers: a ladder of thresholds over points earned, rials spent or visits in a rolling or
//! Jalali-year window; promotion at once, downgrade after a grace period; benefits per tier (an
//! earning multiplier and a cashback percentage, applied by `earn::evaluate`).
//!
//! How the app keeps a member's tier: after each contribution (and in a daily sweep, since a
//! rolling window drops old contributions without any event), load the member's contributions
//! inside the window and the stored `TierState`, call `measured_value` then `evaluate_tier`, and
//! store the new state when it differs. `progress` feeds the member's dashboard.

mod evaluate;
mod ladder;

pub use evaluate::{Contribution, Progress, TierState, evaluate_tier, measured_value, progress};
pub use ladder::{
    Benefits, LadderError, MAX_GRACE_DAYS, MAX_NAME_CHARS, MAX_TIERS, Measure, Tier, TierId,
    TierLadder, TierLadderDraft, TierWindow,
};

#[cfg(test)]
mod tests;
