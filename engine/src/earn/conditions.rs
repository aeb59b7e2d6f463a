//! Which rules and multipliers apply to an event, and each rule's points before factors.

use super::decimal::per_step;
use super::event::{Event, Purchase, ReferralStep, is_birthday};
use super::explain::{Line, Note, Subject};
use super::ids::BranchId;
use super::policy::Policy;
use super::rules::{Multiplier, Rule, RuleKind};
use crate::ledger::{Money, Points};
use crate::tiers::Tier;
use crate::time::Timestamp;

/// The member's tier on the ladder, or the base tier with a note when it is unknown.
pub(super) fn member_tier<'p>(
    policy: &'p Policy,
    purchase: &Purchase,
    lines: &mut Vec<Line>,
) -> &'p Tier {
    let ladder = policy.tiers();
    let Some(id) = &purchase.member.tier else {
        return ladder.base();
    };
    ladder.get(id).unwrap_or_else(|| {
        let base = ladder.base();
        lines.push(Line {
            subject: Subject::Tier(id.clone()),
            note: Note::UnknownTier {
                tier: id.clone(),
                base: base.id.clone(),
            },
        });
        base
    })
}

/// The multipliers whose conditions hold for this purchase; a skip line for each enabled one
/// that does not, so the dry run shows why a campaign did not apply.
pub(super) fn active_multipliers<'p>(
    policy: &'p Policy,
    purchase: &Purchase,
    tier: &Tier,
    lines: &mut Vec<Line>,
) -> Vec<&'p Multiplier> {
    let mut active = Vec::new();
    for m in policy.multipliers() {
        match multiplier_skip(m, purchase, tier) {
            None => active.push(m),
            Some(note) => {
                if m.enabled {
                    lines.push(Line {
                        subject: Subject::Multiplier(m.id.clone()),
                        note,
                    });
                }
            }
        }
    }
    active
}

fn multiplier_skip(m: &Multiplier, p: &Purchase, tier: &Tier) -> Option<Note> {
    if !m.enabled {
        return Some(Note::Disabled);
    }
    if let Some(window) = m.window
        && !window.contains(p.at)
    {
        return Some(Note::OutsideWindow { window });
    }
    if !m.branches.is_empty() && !m.branches.contains(&p.branch) {
        return Some(Note::OtherBranch { branch: p.branch });
    }
    if !m.tiers.is_empty() && !m.tiers.contains(&tier.id) {
        return Some(Note::OtherTier {
            tier: tier.id.clone(),
        });
    }
    if m.on_birthday && !p.member.birthday.is_some_and(|b| is_birthday(b, p.at)) {
        return Some(Note::NotBirthday);
    }
    if let Some(days) = m.joined_within_days
        && p.at >= p.member.signed_up_at.plus_days(i64::from(days.get()))
    {
        return Some(Note::NotNewMember { days: days.get() });
    }
    None
}

/// The rule's points before factors and limits, with its line; `None` when the rule is not about
/// this kind of event (no line) and `Some(0)` when it is but pays nothing (a skip line).
pub(super) fn base_points(
    rule: &Rule,
    event: &Event,
    at: Timestamp,
    lines: &mut Vec<Line>,
) -> Option<Points> {
    let fixed = |points: Points| (points, Note::Bonus { points });
    let (points, note) = match (&rule.kind, event) {
        (
            RuleKind::PerAmount {
                points,
                per,
                min_amount,
                branches,
            },
            Event::Purchase(p),
        ) => {
            let earned = per_step(p.amount, *per, *points);
            let skip = purchase_skip(p, *min_amount, branches).or_else(|| {
                earned.is_zero().then_some(Note::LessThanOneStep {
                    per: *per,
                    amount: p.amount,
                })
            });
            let note = Note::PerAmount {
                points: *points,
                per: *per,
                amount: p.amount,
                earned,
            };
            (earned, skip.unwrap_or(note))
        }
        (
            RuleKind::PerVisit {
                points,
                min_amount,
                every_nth,
                branches,
            },
            Event::Purchase(p),
        ) => {
            let visit = p.member.visits_before.saturating_add(1);
            let skip = purchase_skip(p, *min_amount, branches).or_else(|| {
                let every = every_nth.map_or(1, |n| n.get());
                (visit % u64::from(every) != 0).then_some(Note::NotNthVisit { every, visit })
            });
            (
                *points,
                skip.unwrap_or(Note::PerVisit {
                    points: *points,
                    visit,
                }),
            )
        }
        (RuleKind::FirstPurchase { points }, Event::Purchase(p)) if p.member.first_purchase => {
            fixed(*points)
        }
        (RuleKind::SignUp { points }, Event::SignUp)
        | (RuleKind::ProfileCompleted { points }, Event::ProfileCompleted)
        | (RuleKind::Birthday { points }, Event::Birthday { .. })
        | (
            RuleKind::ReferralSignUp { points },
            Event::Referral {
                step: ReferralStep::InviteeSignedUp,
            },
        )
        | (
            RuleKind::ReferralFirstPurchase { points },
            Event::Referral {
                step: ReferralStep::InviteeFirstPurchase,
            },
        ) => fixed(*points),
        (
            RuleKind::Custom {
                event: wanted,
                points,
            },
            Event::Custom { name },
        ) if wanted == name => fixed(*points),
        _ => return None,
    };
    // Disabled and out-of-window come first: they explain the skip better than the amount does.
    let note = if !rule.enabled {
        Note::Disabled
    } else if let Some(window) = rule.window.filter(|w| !w.contains(at)) {
        Note::OutsideWindow { window }
    } else {
        note
    };
    let paid = if note.is_skip() { Points::ZERO } else { points };
    lines.push(Line {
        subject: Subject::Rule(rule.id.clone()),
        note,
    });
    Some(paid)
}

fn purchase_skip(p: &Purchase, min_amount: Option<Money>, branches: &[BranchId]) -> Option<Note> {
    if let Some(min) = min_amount
        && p.amount < min
    {
        return Some(Note::BelowMinimum {
            min,
            amount: p.amount,
        });
    }
    if !branches.is_empty() && !branches.contains(&p.branch) {
        return Some(Note::OtherBranch { branch: p.branch });
    }
    None
}
