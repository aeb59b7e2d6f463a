//! Property tests of earning rules and tiers: awards are consistent and never negative, limits
//! hold over any sequence of events, tier decisions are monotone in the measured value, and a
//! valid policy survives a JSON round trip.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::num::NonZeroU32;

use engine::earn::{
    BranchId, DateWindow, Event, EventName, History, Limit, MemberFacts, Multiplier, Period,
    PeriodKey, Policy, PolicyDraft, Purchase, ReferralStep, Rule, RuleId, RuleKind, evaluate,
};
use engine::jalali::JalaliDate;
use engine::ledger::{ExpiryPolicy, Money, Points};
use engine::tiers::{
    Benefits, Measure, Tier, TierId, TierLadder, TierLadderDraft, TierState, TierWindow,
    evaluate_tier,
};
use engine::time::{GregorianDate, Timestamp};
use proptest::prelude::*;
use rust_decimal::Decimal;

const DAY: i64 = 86_400_000;
/// 1403/11/01 00:00 Tehran: generated spans cross month ends, a leap Esfand and Nowruz.
fn start() -> Timestamp {
    Timestamp::from_tehran_start_of_day(JalaliDate::new(1403, 11, 1).unwrap())
}
fn pts(n: i64) -> Points {
    Points::new(n).unwrap()
}
fn branch(n: i64) -> BranchId {
    BranchId::new(n).unwrap()
}
fn branches() -> impl Strategy<Value = Vec<BranchId>> {
    prop::collection::btree_set(1..5_i64, 0..3).prop_map(|s| s.into_iter().map(branch).collect())
}
fn window() -> impl Strategy<Value = Option<DateWindow>> {
    prop::option::of((-30..200_i64, 1..90_i64).prop_map(|(offset, len)| {
        let first = start().plus_days(offset).tehran_date();
        let end = JalaliDate::from_julian_day(first.julian_day() + len);
        DateWindow { start: first, end }
    }))
}
fn period() -> impl Strategy<Value = Period> {
    prop_oneof![
        Just(Period::Day),
        Just(Period::JalaliMonth),
        Just(Period::JalaliYear),
        Just(Period::Ever)
    ]
}
fn limits() -> impl Strategy<Value = Vec<Limit>> {
    prop::collection::btree_map(period(), 1..500_i64, 0..3).prop_map(|m| {
        m.into_iter()
            .map(|(period, max)| Limit {
                max: pts(max),
                period,
            })
            .collect()
    })
}
fn event_name() -> impl Strategy<Value = EventName> {
    prop_oneof![Just("review"), Just("survey")].prop_map(|n| EventName::parse(n).unwrap())
}

fn kind() -> impl Strategy<Value = RuleKind> {
    let p = || (1..1000_i64).prop_map(pts);
    let money = |max: i64| (1..max).prop_map(|m| Money::from_minor(m).unwrap());
    prop_oneof![
        (
            p(),
            money(10_000_000),
            prop::option::of(money(10_000_000)),
            branches()
        )
            .prop_map(|(points, per, min_amount, branches)| RuleKind::PerAmount {
                points,
                per,
                min_amount,
                branches
            }),
        (
            p(),
            prop::option::of(money(1_000_000)),
            prop::option::of(1..5_u32),
            branches()
        )
            .prop_map(|(points, min_amount, nth, branches)| RuleKind::PerVisit {
                points,
                min_amount,
                every_nth: nth.and_then(NonZeroU32::new),
                branches
            }),
        p().prop_map(|points| RuleKind::FirstPurchase { points }),
        p().prop_map(|points| RuleKind::SignUp { points }),
        p().prop_map(|points| RuleKind::ProfileCompleted { points }),
        p().prop_map(|points| RuleKind::Birthday { points }),
        p().prop_map(|points| RuleKind::ReferralSignUp { points }),
        p().prop_map(|points| RuleKind::ReferralFirstPurchase { points }),
        (event_name(), p()).prop_map(|(event, points)| RuleKind::Custom { event, points }),
    ]
}

fn rule() -> impl Strategy<Value = Rule> {
    (kind(), prop::bool::weighted(0.9), window(), limits()).prop_map(
        |(kind, enabled, window, limits)| Rule {
            id: RuleId::parse("placeholder").unwrap(),
            enabled,
            kind,
            window,
            limits,
        },
    )
}

fn tier_id(i: usize) -> TierId {
    TierId::parse(&format!("t{i}")).unwrap()
}

fn ladder_draft() -> impl Strategy<Value = TierLadderDraft> {
    let tier = (1..5000_u64, 1..400_i64, 0..1000_i64);
    let measure = prop_oneof![
        Just(Measure::PointsEarned),
        Just(Measure::AmountSpent),
        Just(Measure::Visits)
    ];
    let window = prop_oneof![
        (1..400_u32).prop_map(|d| TierWindow::RollingDays(NonZeroU32::new(d).unwrap())),
        Just(TierWindow::JalaliYear),
    ];
    (
        prop::collection::vec(tier, 1..6),
        measure,
        window,
        0..60_u32,
    )
        .prop_map(|(tiers, measure, window, grace_days)| {
            let mut threshold = 0;
            let tiers = tiers
                .into_iter()
                .enumerate()
                .map(|(i, (step, mult, cash))| {
                    let tier = Tier {
                        id: tier_id(i),
                        name_fa: format!("سطح {i}"),
                        name_en: format!("Level {i}"),
                        threshold,
                        benefits: Benefits {
                            multiplier: Decimal::new(mult, 2),
                            cashback_percent: Decimal::new(cash, 2),
                        },
                    };
                    threshold += step;
                    tier
                })
                .collect();
            TierLadderDraft {
                measure,
                window,
                grace_days,
                tiers,
            }
        })
}

#[allow(clippy::type_complexity)]
fn multiplier_parts() -> impl Strategy<
    Value = (
        i64,
        Vec<usize>,
        Vec<usize>,
        Vec<BranchId>,
        Option<DateWindow>,
        bool,
        Option<u32>,
    ),
> {
    (
        1..500_i64,
        prop::collection::vec(0..8_usize, 0..3),
        prop::collection::vec(0..6_usize, 0..2),
        branches(),
        window(),
        prop::bool::weighted(0.2),
        prop::option::of(1..60_u32),
    )
}

fn expiry() -> impl Strategy<Value = ExpiryPolicy> {
    prop_oneof![
        Just(ExpiryPolicy::Never),
        (1..800_u32).prop_map(|d| ExpiryPolicy::AfterDays(NonZeroU32::new(d).unwrap())),
        Just(ExpiryPolicy::EndOfMonth),
        Just(ExpiryPolicy::EndOfYear),
    ]
}

/// Valid policies only: ids are unique by construction, and references point at what exists.
fn policy() -> impl Strategy<Value = Policy> {
    (
        prop::collection::vec(rule(), 1..8),
        prop::collection::vec(multiplier_parts(), 0..4),
        ladder_draft(),
        expiry(),
        0..30_u32,
        0..1000_u32,
    )
        .prop_map(|(mut rules, parts, tiers, expiry, pending_days, version)| {
            for (i, rule) in rules.iter_mut().enumerate() {
                rule.id = RuleId::parse(&format!("r{i}")).unwrap();
            }
            let purchase_rules: Vec<RuleId> = rules
                .iter()
                .filter(|r| r.kind.is_purchase_rule())
                .map(|r| r.id.clone())
                .collect();
            let multipliers = parts
                .into_iter()
                .enumerate()
                .map(
                    |(i, (factor, rule_refs, tier_refs, branches, window, on_birthday, joined))| {
                        let mut rules: Vec<RuleId> = rule_refs
                            .iter()
                            .filter_map(|&r| purchase_rules.get(r).cloned())
                            .collect();
                        rules.dedup();
                        let tiers = tier_refs
                            .iter()
                            .filter(|&&t| t < tiers.tiers.len())
                            .map(|&t| tier_id(t))
                            .collect();
                        Multiplier {
                            id: RuleId::parse(&format!("m{i}")).unwrap(),
                            enabled: true,
                            factor: Decimal::new(factor, 2),
                            rules,
                            tiers,
                            branches,
                            window,
                            on_birthday,
                            joined_within_days: joined.and_then(NonZeroU32::new),
                        }
                    },
                )
                .collect();
            let draft = PolicyDraft {
                schema: 1,
                version,
                rules,
                multipliers,
                tiers,
                expiry,
                pending_days,
            };
            Policy::parse(draft).expect("the strategy builds valid policies")
        })
}

#[derive(Debug, Clone)]
struct Step {
    kind: u8,
    amount_minor: i64,
    branch: i64,
    at_ms: i64,
    tier: usize,
    visits_before: u64,
    first_purchase: bool,
    birthday_days: Option<i64>,
    name: EventName,
}

fn step() -> impl Strategy<Value = Step> {
    (
        0..7_u8,
        prop_oneof![0..100_000_000_i64, 0..1_000_000_000_000_i64],
        1..5_i64,
        0..(400 * DAY),
        0..6_usize,
        0..20_u64,
        any::<bool>(),
        prop::option::of(0..20_000_i64),
        event_name(),
    )
        .prop_map(
            |(
                kind,
                amount_minor,
                branch,
                at_ms,
                tier,
                visits_before,
                first_purchase,
                birthday_days,
                name,
            )| Step {
                kind,
                amount_minor,
                branch,
                at_ms,
                tier,
                visits_before,
                first_purchase,
                birthday_days,
                name,
            },
        )
}

fn event(step: &Step) -> (Event, Timestamp) {
    let at = Timestamp::from_unix_millis(start().unix_millis() + step.at_ms);
    let event = match step.kind {
        0 | 1 => Event::Purchase(Purchase {
            member: MemberFacts {
                tier: Some(tier_id(step.tier)),
                signed_up_at: start().plus_days(-30),
                birthday: step
                    .birthday_days
                    .map(|d| GregorianDate::from_julian_day(2_440_000 + d)),
                visits_before: step.visits_before,
                first_purchase: step.first_purchase,
            },
            amount: Money::from_minor(step.amount_minor).unwrap(),
            branch: branch(step.branch),
            at,
        }),
        2 => Event::SignUp,
        3 => Event::ProfileCompleted,
        4 => Event::Birthday { year: 1403 },
        5 => Event::Referral {
            step: if step.first_purchase {
                ReferralStep::InviteeFirstPurchase
            } else {
                ReferralStep::InviteeSignedUp
            },
        },
        _ => Event::Custom {
            name: step.name.clone(),
        },
    };
    (event, at)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn awards_are_consistent_and_limits_are_never_exceeded(policy in policy(), steps in prop::collection::vec(step(), 1..60)) {
        let mut history = History::default();
        let mut paid: BTreeMap<(RuleId, PeriodKey), i64> = BTreeMap::new();
        for step in &steps {
            let (event, at) = event(step);
            let award = evaluate(&policy, &event, &history, at);
            // Never negative and internally consistent.
            let sum: i64 = award.by_rule.iter().map(|r| r.points.get()).sum();
            prop_assert_eq!(award.points.get(), sum);
            prop_assert!(award.by_rule.iter().all(|r| r.points.get() > 0));
            if let Event::Purchase(p) = &event {
                prop_assert!(award.credit <= p.amount, "cashback is at most 100%");
            } else {
                prop_assert!(award.credit.is_zero());
            }
            prop_assert_eq!(award.points.is_zero() && award.credit.is_zero(), award.to_earn(&policy, engine::ledger::MemberId::new(1).unwrap(), None).is_none());
            for engine::earn::RulePoints { rule: rule_id, points } in &award.by_rule {
                prop_assert!(!award.lines.is_empty());
                let rule = policy.rule(rule_id).unwrap();
                for limit in &rule.limits {
                    let key = PeriodKey::at(limit.period, at);
                    let total = paid.entry((rule_id.clone(), key)).or_default();
                    *total += points.get();
                    prop_assert!(*total <= limit.max.get(), "{} paid {} in {} over {}", rule_id, total, key, limit.max);
                }
                let rows = award.usage.iter().filter(|u| &u.rule == rule_id).count();
                prop_assert_eq!(rows, rule.limits.len());
            }
            history.record(award.usage.clone());
        }
    }

    #[test]
    fn a_valid_policy_survives_a_json_round_trip(policy in policy()) {
        let json = policy.to_json();
        prop_assert_eq!(Policy::from_json(&json).unwrap(), policy.clone());
        prop_assert_eq!(Policy::parse(policy.to_draft()).unwrap(), policy);
    }

    #[test]
    fn tier_evaluation_is_monotone_in_the_value(
        draft in ladder_draft(),
        current in prop::option::of((0..6_usize, 0..100_i64, prop::option::of(0..100_i64))),
        a in 0..30_000_u64,
        b in 0..30_000_u64,
        now_days in 0..200_i64,
    ) {
        let ladder = TierLadder::parse(draft).unwrap();
        let now = start().plus_days(now_days);
        let current = current.map(|(tier, since, below)| TierState {
            tier: tier_id(tier),
            since: start().plus_days(since.min(now_days)),
            below_since: below.map(|d| start().plus_days(d.min(now_days))),
        });
        let (low, high) = (a.min(b), a.max(b));
        let rank = |value| {
            let state = evaluate_tier(&ladder, current.as_ref(), value, now);
            ladder.rank(&state.tier).unwrap()
        };
        prop_assert!(rank(low) <= rank(high));
        // Never below the tier the value reaches: promotion is immediate.
        let qualified = ladder.rank(&ladder.qualified(high).id).unwrap();
        prop_assert!(rank(high) >= qualified);
    }

    #[test]
    fn parse_never_panics_on_arbitrary_json(text in "\\PC{0,200}") {
        let _ = Policy::from_json(&text);
    }
}

#[test]
fn the_starter_ladder_promotes_after_enough_purchases() {
    use engine::tiers::{Contribution, measured_value, progress};
    let policy = Policy::starter();
    let ladder = policy.tiers();
    let mut state: Option<TierState> = None;
    let mut earned = Vec::new();
    for day in 0..120 {
        let at = start().plus_days(day);
        let tier = state.as_ref().map(|s| s.tier.clone());
        let event = Event::Purchase(Purchase {
            member: MemberFacts {
                tier,
                signed_up_at: start(),
                birthday: None,
                visits_before: u64::try_from(day).unwrap(),
                first_purchase: day == 0,
            },
            amount: Money::from_minor(500_000 * 100).unwrap(),
            branch: branch(1),
            at,
        });
        let award = evaluate(&policy, &event, &History::default(), at);
        earned.push(Contribution::points(at, award.points));
        let value = measured_value(ladder, &earned, at);
        state = Some(evaluate_tier(ladder, state.as_ref(), value, at));
    }
    let state = state.unwrap();
    assert_eq!(state.tier.as_str(), "gold");
    // 500,000 rials a day: 50 points as bronze, 62 as silver, 75 as gold.
    let value = measured_value(ladder, &earned, start().plus_days(119));
    assert_eq!(progress(ladder, &state.tier, value).next, None);
}
