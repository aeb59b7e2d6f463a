//! The parts of a policy as plain data. A `Policy` holds them only after `Policy::parse` checked
//! them, so evaluation never meets a zero step, a negative factor or an empty window.

use std::fmt;
use std::num::NonZeroU32;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::ids::{BranchId, EventName, RuleId};
use crate::jalali::JalaliDate;
use crate::ledger::{Money, Points};
use crate::tiers::TierId;
use crate::time::Timestamp;

/// One earning rule: what it rewards, when, and how much a member may get from it per period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: RuleId,
    #[serde(default = "yes")]
    pub enabled: bool,
    pub kind: RuleKind,
    /// The rule earns only inside this window (Tehran time); `None` means always.
    #[serde(default)]
    pub window: Option<DateWindow>,
    /// At most one limit per period kind; the tightest one decides.
    #[serde(default)]
    pub limits: Vec<Limit>,
}

fn yes() -> bool {
    true
}

/// What a rule rewards. Purchase rules (`per_amount`, `per_visit`, `first_purchase`) are scaled by
/// the tier's multiplier and matching multipliers; the others pay a fixed bonus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum RuleKind {
    /// `points` for every whole `per` of the purchase amount.
    PerAmount {
        points: Points,
        per: Money,
        #[serde(default)]
        min_amount: Option<Money>,
        /// Empty means every branch.
        #[serde(default)]
        branches: Vec<BranchId>,
    },
    /// `points` per visit (a purchase); with `every_nth`, only on every n-th visit.
    PerVisit {
        points: Points,
        #[serde(default)]
        min_amount: Option<Money>,
        #[serde(default)]
        every_nth: Option<NonZeroU32>,
        #[serde(default)]
        branches: Vec<BranchId>,
    },
    /// A bonus on the member's own first purchase.
    FirstPurchase {
        points: Points,
    },
    SignUp {
        points: Points,
    },
    ProfileCompleted {
        points: Points,
    },
    Birthday {
        points: Points,
    },
    /// Paid to the inviter when the invitee signs up.
    ReferralSignUp {
        points: Points,
    },
    /// Paid to the inviter on the invitee's first purchase.
    ReferralFirstPurchase {
        points: Points,
    },
    Custom {
        event: EventName,
        points: Points,
    },
}

impl RuleKind {
    pub fn is_purchase_rule(&self) -> bool {
        matches!(
            self,
            RuleKind::PerAmount { .. } | RuleKind::PerVisit { .. } | RuleKind::FirstPurchase { .. }
        )
    }

    /// The configured points: per step, per visit, or the bonus.
    pub fn points(&self) -> Points {
        match self {
            RuleKind::PerAmount { points, .. }
            | RuleKind::PerVisit { points, .. }
            | RuleKind::FirstPurchase { points }
            | RuleKind::SignUp { points }
            | RuleKind::ProfileCompleted { points }
            | RuleKind::Birthday { points }
            | RuleKind::ReferralSignUp { points }
            | RuleKind::ReferralFirstPurchase { points }
            | RuleKind::Custom { points, .. } => *points,
        }
    }
}

/// A per-member cap on what one rule awards within a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    pub max: Points,
    pub period: Period,
}

/// Periods follow the Tehran calendar day and the Jalali month and year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Day,
    JalaliMonth,
    JalaliYear,
    Ever,
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Period::Day => "day",
            Period::JalaliMonth => "month",
            Period::JalaliYear => "year",
            Period::Ever => "ever",
        })
    }
}

/// Days `start` (inclusive) to `end` (exclusive), each starting at Tehran midnight. Half-open, so
/// back-to-back campaigns share a boundary date without overlapping; one day is `d .. d+1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateWindow {
    pub start: JalaliDate,
    pub end: JalaliDate,
}

impl DateWindow {
    pub fn contains(&self, at: Timestamp) -> bool {
        Timestamp::from_tehran_start_of_day(self.start) <= at
            && at < Timestamp::from_tehran_start_of_day(self.end)
    }
}

impl fmt::Display for DateWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} to before {}",
            self.start.to_slashed(),
            self.end.to_slashed()
        )
    }
}

/// Scales purchase rules when every condition holds. Conditions left empty match anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Multiplier {
    pub id: RuleId,
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Positive, at most two decimal places (`"1.5"`, `"2"`).
    pub factor: Decimal,
    /// The purchase rules it scales; empty means all of them.
    #[serde(default)]
    pub rules: Vec<RuleId>,
    #[serde(default)]
    pub tiers: Vec<TierId>,
    #[serde(default)]
    pub branches: Vec<BranchId>,
    #[serde(default)]
    pub window: Option<DateWindow>,
    /// Only on the member's birthday (same Jalali month and day, Tehran time).
    #[serde(default)]
    pub on_birthday: bool,
    /// Only within this many days after the member signed up (a welcome boost).
    #[serde(default)]
    pub joined_within_days: Option<NonZeroU32>,
}
