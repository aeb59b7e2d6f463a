//! Why an award is what it is: one line per rule, multiplier and tier benefit that was weighed.
//! The structured `Note` is what the UI translates; `Display` is the English dry-run text.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::decimal::short;
use super::ids::{BranchId, RuleId};
use super::rules::{DateWindow, Period};
use crate::ledger::{Money, Points};
use crate::tiers::TierId;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum Subject {
    Rule(RuleId),
    Multiplier(RuleId),
    Tier(TierId),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub subject: Subject,
    pub note: Note,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Note {
    PerAmount {
        points: Points,
        per: Money,
        amount: Money,
        earned: Points,
    },
    PerVisit {
        points: Points,
        visit: u64,
    },
    Bonus {
        points: Points,
    },
    TierMultiplier {
        tier: TierId,
        factor: Decimal,
    },
    Multiplier {
        id: RuleId,
        factor: Decimal,
    },
    /// The rule's points after all factors, rounded down.
    Scaled {
        base: Points,
        result: Points,
    },
    Capped {
        max: Points,
        period: Period,
        to: Points,
    },
    LimitReached {
        max: Points,
        period: Period,
    },
    Cashback {
        tier: TierId,
        percent: Decimal,
        amount: Money,
        credit: Money,
    },
    /// The member's tier is not on the ladder; the base tier's benefits applied.
    UnknownTier {
        tier: TierId,
        base: TierId,
    },
    Disabled,
    OutsideWindow {
        window: DateWindow,
    },
    BelowMinimum {
        min: Money,
        amount: Money,
    },
    OtherBranch {
        branch: BranchId,
    },
    NotNthVisit {
        every: u32,
        visit: u64,
    },
    LessThanOneStep {
        per: Money,
        amount: Money,
    },
    OtherTier {
        tier: TierId,
    },
    NotBirthday,
    NotNewMember {
        days: u32,
    },
}

impl Note {
    /// A skip line: the rule or multiplier was considered and did not apply.
    pub fn is_skip(&self) -> bool {
        matches!(
            self,
            Note::LimitReached { .. }
                | Note::Disabled
                | Note::OutsideWindow { .. }
                | Note::BelowMinimum { .. }
                | Note::OtherBranch { .. }
                | Note::NotNthVisit { .. }
                | Note::LessThanOneStep { .. }
                | Note::OtherTier { .. }
                | Note::NotBirthday
                | Note::NotNewMember { .. }
        )
    }
}

/// `25000.00` → `25,000`; `12.50` → `12.50`.
pub fn rials(amount: Money) -> String {
    let minor = amount.to_minor();
    let (whole, cents) = (minor / 100, minor % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if cents == 0 {
        grouped
    } else {
        format!("{grouped}.{cents:02}")
    }
}

fn plural(n: Points) -> &'static str {
    if n.get() == 1 { "point" } else { "points" }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::PerAmount {
                points,
                per,
                amount,
                earned,
            } => write!(
                f,
                "{points} {} per {} rials × {} rials = {earned}",
                plural(*points),
                rials(*per),
                rials(*amount)
            ),
            Note::PerVisit { points, visit } => {
                write!(f, "visit #{visit}: {points} {}", plural(*points))
            }
            Note::Bonus { points } => write!(f, "bonus {points} {}", plural(*points)),
            Note::TierMultiplier { tier, factor } => write!(f, "tier {tier} ×{}", short(*factor)),
            Note::Multiplier { id, factor } => write!(f, "multiplier {id} ×{}", short(*factor)),
            Note::Scaled { base, result } => write!(f, "{base} scaled to {result} (rounded down)"),
            Note::Capped { max, period, to } => {
                write!(f, "limit {max}/{period} reached, capped to {to}")
            }
            Note::LimitReached { max, period } => {
                write!(f, "limit {max}/{period} reached, nothing awarded")
            }
            Note::Cashback {
                tier,
                percent,
                amount,
                credit,
            } => write!(
                f,
                "tier {tier} cashback {}% of {} rials = {} rials",
                short(*percent),
                rials(*amount),
                rials(*credit)
            ),
            Note::UnknownTier { tier, base } => {
                write!(f, "tier {tier} is not on the ladder; {base} applied")
            }
            Note::Disabled => f.write_str("disabled"),
            Note::OutsideWindow { window } => write!(f, "outside window {window}"),
            Note::BelowMinimum { min, amount } => {
                write!(
                    f,
                    "{} rials is below the minimum {} rials",
                    rials(*amount),
                    rials(*min)
                )
            }
            Note::OtherBranch { branch } => write!(f, "not valid at branch {branch}"),
            Note::NotNthVisit { every, visit } => {
                write!(f, "visit #{visit} is not a multiple of {every}")
            }
            Note::LessThanOneStep { per, amount } => {
                write!(
                    f,
                    "{} rials is less than one step of {} rials",
                    rials(*amount),
                    rials(*per)
                )
            }
            Note::OtherTier { tier } => write!(f, "not valid for tier {tier}"),
            Note::NotBirthday => f.write_str("not the member's birthday"),
            Note::NotNewMember { days } => write!(f, "member joined more than {days} days ago"),
        }
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Rule(id) => write!(f, "rule {id}"),
            Subject::Multiplier(id) => write!(f, "multiplier {id}"),
            Subject::Tier(id) => write!(f, "tier {id}"),
        }
    }
}

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mark = if self.note.is_skip() {
            "skipped"
        } else {
            "applied"
        };
        write!(f, "{} ({mark}): {}", self.subject, self.note)
    }
}
