//! Earning rules: what an event (a purchase, a sign-up, a referral…) earns a member, evaluated
//! as a pure function of the policy, the event, the member's limit usage and `now`.
//!
//! How the app pays a purchase, in the ledger's database transaction (see `crate::ledger`):
//! 1. Load the active `Policy` (one JSON document per version), the member's facts for
//!    `MemberFacts` (tier from the stored `TierState`, sign-up time, birthday, visit count), and
//!    the member's usage rows for `PeriodKey::all_at(purchase.at)` into a `History`.
//! 2. `evaluate(&policy, &Event::Purchase(..), &history, now)` gives an `Award`.
//! 3. Write `award.to_earn(&policy, member, Some(purchase_ref))` through `ledger::plan`, add each
//!    `award.usage` row to the stored usage (upsert: points += row.points) and store
//!    `award.lines` with the purchase if the receipt should show them, then commit. Usage must be
//!    written in the same transaction, with the member row locked, or two concurrent purchases
//!    could both see room under a limit.
//! 4. Update the tier (see `crate::tiers`).
//!
//! A dry run is step 2 alone, with nothing written.

mod conditions;
pub(crate) mod decimal;
mod evaluate;
mod event;
mod explain;
pub(crate) mod ids;
mod limits;
mod policy;
mod rules;
mod starter;

pub use decimal::MAX_FACTOR;
pub use evaluate::{Award, RulePoints, evaluate};
pub use event::{Event, MemberFacts, Purchase, ReferralStep, is_birthday};
pub use explain::{Line, Note, Subject, rials};
pub use ids::{BranchId, BranchIdError, EventName, MAX_SLUG_CHARS, RuleId, SlugError};
pub use limits::{History, PeriodKey, PeriodKeyError, RuleUsage};
pub use policy::{
    MAX_MULTIPLIERS, MAX_PENDING_DAYS, MAX_RULES, POLICY_SCHEMA, Policy, PolicyDraft, PolicyError,
};
pub use rules::{DateWindow, Limit, Multiplier, Period, Rule, RuleKind};
pub use starter::STARTER_JSON;

#[cfg(test)]
mod tests;
