//! `evaluate`: what one event earns one member under a policy, with the reasons.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::conditions::{active_multipliers, base_points, member_tier};
use super::decimal::{percent_of, scale_points};
use super::event::{Event, Purchase};
use super::explain::{Line, Note, Subject};
use super::ids::RuleId;
use super::limits::{History, PeriodKey, RuleUsage};
use super::policy::Policy;
use super::rules::{Multiplier, Rule};
use crate::ledger::{Earn, MemberId, Money, Points, PurchaseRef};
use crate::tiers::Tier;
use crate::time::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulePoints {
    pub rule: RuleId,
    pub points: Points,
}

/// The result of one evaluation: what to credit, what to add to the usage rows, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Award {
    pub points: Points,
    /// Cashback into the member's credit wallet.
    pub credit: Money,
    /// Points per rule that paid something, in policy order.
    pub by_rule: Vec<RulePoints>,
    /// Add these to the stored usage rows in the same transaction as the ledger write.
    pub usage: Vec<RuleUsage>,
    pub lines: Vec<Line>,
    pub policy_version: u32,
}

impl Award {
    pub fn is_empty(&self) -> bool {
        self.points.is_zero() && self.credit.is_zero()
    }

    /// The ledger request that pays this award, or `None` when there is nothing to pay. Points
    /// from a purchase stay pending for the policy's return window; bonuses are spendable at once.
    pub fn to_earn(
        &self,
        policy: &Policy,
        member: MemberId,
        purchase: Option<PurchaseRef>,
    ) -> Option<Earn> {
        (!self.is_empty()).then(|| Earn {
            member,
            points: self.points,
            credit: self.credit,
            policy: policy.expiry(),
            pending_days: if purchase.is_some() {
                policy.pending_days()
            } else {
                0
            },
            purchase,
        })
    }

    /// The dry-run text, one line per rule, multiplier and benefit weighed.
    pub fn explain(&self) -> Vec<String> {
        self.lines.iter().map(ToString::to_string).collect()
    }
}

/// Evaluates every rule of `policy` against `event` for one member.
///
/// Points are integers and every step rounds down: a per-amount rule pays whole steps only, and
/// the factors of a purchase rule (tier, then multipliers in policy order) are multiplied exactly
/// and rounded down once. Limits then cap each rule so that, with `history`, no period of any of
/// its limits exceeds its maximum. Cashback is the tier's percentage of the purchase amount,
/// rounded down to the hundredth of a rial. Rules whose kind does not match the event add no
/// line; rules that match but do not pay add a skip line.
pub fn evaluate(policy: &Policy, event: &Event, history: &History, now: Timestamp) -> Award {
    let at = event.at(now);
    let mut lines = Vec::new();
    let purchase = match event {
        Event::Purchase(p) => Some(p),
        _ => None,
    };
    let tier = purchase.map(|p| member_tier(policy, p, &mut lines));
    let multipliers = match (purchase, tier) {
        (Some(p), Some(t)) => active_multipliers(policy, p, t, &mut lines),
        _ => Vec::new(),
    };
    let mut award = Award {
        points: Points::ZERO,
        credit: Money::ZERO,
        by_rule: Vec::new(),
        usage: Vec::new(),
        lines: Vec::new(),
        policy_version: policy.version(),
    };
    for rule in policy.rules() {
        let Some(base) = base_points(rule, event, at, &mut lines) else {
            continue;
        };
        let mut points = base;
        if rule.kind.is_purchase_rule()
            && let Some(t) = tier
        {
            points = scale(rule, t, &multipliers, base, &mut lines);
        }
        // Limits count by the server's time, never the event's: a back-dated sale cannot
        // reach into a period whose limit is already spent (or long past).
        points = cap(rule, points, history, now, &mut lines);
        if points.is_zero() {
            continue;
        }
        award.points = award.points.checked_add(points).unwrap_or(Points::MAX);
        award.by_rule.push(RulePoints {
            rule: rule.id.clone(),
            points,
        });
        award.usage.extend(rule.limits.iter().map(|l| RuleUsage {
            rule: rule.id.clone(),
            period: PeriodKey::at(l.period, now),
            points,
        }));
    }
    if let (Some(p), Some(t)) = (purchase, tier) {
        award.credit = cashback(p, t, &mut lines);
    }
    award.lines = lines;
    award
}

/// Applies the tier's multiplier and the active multipliers that cover this rule.
fn scale(
    rule: &Rule,
    tier: &Tier,
    multipliers: &[&Multiplier],
    base: Points,
    lines: &mut Vec<Line>,
) -> Points {
    if base.is_zero() {
        return base;
    }
    let subject = || Subject::Rule(rule.id.clone());
    let mut factors: Vec<Decimal> = Vec::new();
    if tier.benefits.multiplier != Decimal::ONE {
        factors.push(tier.benefits.multiplier);
        lines.push(Line {
            subject: subject(),
            note: Note::TierMultiplier {
                tier: tier.id.clone(),
                factor: tier.benefits.multiplier,
            },
        });
    }
    for m in multipliers
        .iter()
        .filter(|m| m.rules.is_empty() || m.rules.contains(&rule.id))
    {
        factors.push(m.factor);
        lines.push(Line {
            subject: subject(),
            note: Note::Multiplier {
                id: m.id.clone(),
                factor: m.factor,
            },
        });
    }
    if factors.is_empty() {
        return base;
    }
    let result = scale_points(base, &factors);
    lines.push(Line {
        subject: subject(),
        note: Note::Scaled { base, result },
    });
    result
}

/// Caps `points` by the tightest of the rule's limits, given what `history` says was used.
fn cap(
    rule: &Rule,
    points: Points,
    history: &History,
    at: Timestamp,
    lines: &mut Vec<Line>,
) -> Points {
    if points.is_zero() {
        return points;
    }
    let tightest = rule
        .limits
        .iter()
        .map(|l| {
            (
                l,
                l.max
                    .saturating_sub(history.used(&rule.id, PeriodKey::at(l.period, at))),
            )
        })
        .min_by_key(|(_, left)| *left);
    let Some((limit, left)) = tightest else {
        return points;
    };
    if left >= points {
        return points;
    }
    let note = if left.is_zero() {
        Note::LimitReached {
            max: limit.max,
            period: limit.period,
        }
    } else {
        Note::Capped {
            max: limit.max,
            period: limit.period,
            to: left,
        }
    };
    lines.push(Line {
        subject: Subject::Rule(rule.id.clone()),
        note,
    });
    left
}

fn cashback(p: &Purchase, tier: &Tier, lines: &mut Vec<Line>) -> Money {
    let percent = tier.benefits.cashback_percent;
    if percent.is_zero() {
        return Money::ZERO;
    }
    let credit = percent_of(p.amount, percent);
    lines.push(Line {
        subject: Subject::Tier(tier.id.clone()),
        note: Note::Cashback {
            tier: tier.id.clone(),
            percent,
            amount: p.amount,
            credit,
        },
    });
    credit
}
