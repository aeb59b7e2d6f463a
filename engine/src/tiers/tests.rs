#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::num::NonZeroU32;

use rust_decimal::Decimal;

use super::*;
use crate::jalali::JalaliDate;
use crate::ledger::{Money, Points};
use crate::time::Timestamp;

fn tid(text: &str) -> TierId {
    TierId::parse(text).unwrap()
}
fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}
fn tier(id: &str, threshold: u64) -> Tier {
    Tier {
        id: tid(id),
        name_fa: format!("{id}-fa"),
        name_en: id.to_owned(),
        threshold,
        benefits: Benefits {
            multiplier: Decimal::ONE,
            cashback_percent: Decimal::ZERO,
        },
    }
}
fn draft(grace_days: u32) -> TierLadderDraft {
    TierLadderDraft {
        measure: Measure::PointsEarned,
        window: TierWindow::RollingDays(NonZeroU32::new(365).unwrap()),
        grace_days,
        tiers: vec![tier("bronze", 0), tier("silver", 1000), tier("gold", 5000)],
    }
}
fn ladder(grace_days: u32) -> TierLadder {
    TierLadder::parse(draft(grace_days)).unwrap()
}
fn day(n: i64) -> Timestamp {
    // 1403-01-01 00:00 Tehran plus n days.
    Timestamp::from_unix_millis(1_710_880_200_000).plus_days(n)
}
fn state(tier: &str, since: i64, below: Option<i64>) -> TierState {
    TierState {
        tier: tid(tier),
        since: day(since),
        below_since: below.map(day),
    }
}

#[test]
fn ladders_are_checked_and_errors_name_the_tier() {
    let err = |edit: fn(&mut TierLadderDraft)| {
        let mut d = draft(30);
        edit(&mut d);
        TierLadder::parse(d).unwrap_err()
    };
    assert_eq!(err(|d| d.tiers.clear()), LadderError::Empty);
    assert_eq!(
        err(|d| d.tiers[0].threshold = 10),
        LadderError::NoBaseTier(tid("bronze"))
    );
    assert_eq!(
        err(|d| d.tiers[2].threshold = 1000),
        LadderError::NotIncreasing {
            tier: tid("gold"),
            threshold: 1000,
            previous: 1000
        }
    );
    assert_eq!(
        err(|d| d.tiers.swap(1, 2)),
        LadderError::NotIncreasing {
            tier: tid("silver"),
            threshold: 1000,
            previous: 5000
        }
    );
    assert_eq!(
        err(|d| d.tiers[2].id = tid("silver")),
        LadderError::DuplicateTier(tid("silver"))
    );
    assert_eq!(
        err(|d| d.tiers[1].name_fa = "  ".into()),
        LadderError::BadName(tid("silver"))
    );
    assert_eq!(
        err(|d| d.grace_days = 4000),
        LadderError::GraceTooLong(4000)
    );
    for factor in ["0", "-0.5", "1.255", "101"] {
        let mut d = draft(30);
        d.tiers[1].benefits.multiplier = dec(factor);
        assert_eq!(
            TierLadder::parse(d),
            Err(LadderError::BadMultiplier {
                tier: tid("silver"),
                factor: dec(factor)
            })
        );
    }
    for percent in ["-1", "100.01", "0.001"] {
        let mut d = draft(30);
        d.tiers[2].benefits.cashback_percent = dec(percent);
        assert_eq!(
            TierLadder::parse(d),
            Err(LadderError::BadCashback {
                tier: tid("gold"),
                percent: dec(percent)
            })
        );
    }
    let mut d = draft(30);
    d.tiers[2].benefits.cashback_percent = dec("100");
    assert!(TierLadder::parse(d).is_ok(), "100% is a percentage");
}

#[test]
fn a_new_member_gets_the_tier_the_value_reaches() {
    let l = ladder(30);
    assert_eq!(evaluate_tier(&l, None, 0, day(0)), state("bronze", 0, None));
    assert_eq!(evaluate_tier(&l, None, 999, day(0)).tier, tid("bronze"));
    assert_eq!(evaluate_tier(&l, None, 1000, day(0)).tier, tid("silver"));
    assert_eq!(evaluate_tier(&l, None, 9999, day(0)).tier, tid("gold"));
}

#[test]
fn promotion_is_immediate_and_may_skip_tiers() {
    let l = ladder(30);
    let bronze = state("bronze", 0, None);
    assert_eq!(
        evaluate_tier(&l, Some(&bronze), 5000, day(3)),
        state("gold", 3, None)
    );
    let silver_in_grace = state("silver", 0, Some(2));
    assert_eq!(
        evaluate_tier(&l, Some(&silver_in_grace), 5000, day(3)),
        state("gold", 3, None)
    );
}

#[test]
fn downgrade_waits_for_the_grace_period() {
    let l = ladder(30);
    let gold = state("gold", 0, None);
    let started = evaluate_tier(&l, Some(&gold), 200, day(10));
    assert_eq!(
        started,
        state("gold", 0, Some(10)),
        "the grace clock starts"
    );
    let waiting = evaluate_tier(&l, Some(&started), 200, day(39));
    assert_eq!(
        waiting,
        state("gold", 0, Some(10)),
        "the clock keeps its start"
    );
    let last_ms = Timestamp::from_unix_millis(day(40).unix_millis() - 1);
    assert_eq!(
        evaluate_tier(&l, Some(&started), 200, last_ms).tier,
        tid("gold")
    );
    // After 30 days below, straight down to the tier the value reaches.
    assert_eq!(
        evaluate_tier(&l, Some(&started), 200, day(40)),
        state("bronze", 40, None)
    );
    assert_eq!(
        evaluate_tier(&l, Some(&started), 1200, day(40)),
        state("silver", 40, None)
    );
}

#[test]
fn recovering_stops_the_grace_clock() {
    let l = ladder(30);
    let in_grace = state("gold", 0, Some(10));
    let recovered = evaluate_tier(&l, Some(&in_grace), 5000, day(20));
    assert_eq!(recovered, state("gold", 0, None));
    // Falling again starts a fresh clock.
    assert_eq!(
        evaluate_tier(&l, Some(&recovered), 10, day(45)),
        state("gold", 0, Some(45))
    );
}

#[test]
fn zero_grace_downgrades_at_once_and_unknown_tiers_are_replaced() {
    let l = ladder(0);
    assert_eq!(
        evaluate_tier(&l, Some(&state("gold", 0, None)), 1500, day(5)),
        state("silver", 5, None)
    );
    let l = ladder(30);
    assert_eq!(
        evaluate_tier(&l, Some(&state("platinum", 0, None)), 1500, day(5)),
        state("silver", 5, None)
    );
}

#[test]
fn progress_to_the_next_tier() {
    let l = ladder(30);
    let p = progress(&l, &tid("bronze"), 250);
    assert_eq!(
        p,
        Progress {
            tier: tid("bronze"),
            next: Some(tid("silver")),
            needed: 750,
            per_mille: 250,
            to_keep: 0
        }
    );
    let p = progress(&l, &tid("silver"), 4999);
    assert_eq!((p.next, p.needed, p.per_mille), (Some(tid("gold")), 1, 999));
    let top = progress(&l, &tid("gold"), 4000);
    assert_eq!(
        top,
        Progress {
            tier: tid("gold"),
            next: None,
            needed: 0,
            per_mille: 1000,
            to_keep: 1000
        }
    );
    let unknown = progress(&l, &tid("platinum"), 10);
    assert_eq!(unknown.tier, tid("bronze"));
    // A member above the next threshold (promotion pending) shows a full bar.
    assert_eq!(progress(&l, &tid("bronze"), 3000).per_mille, 1000);
}

#[test]
fn a_rolling_window_counts_the_last_n_days() {
    let l = ladder(30);
    let now = day(400);
    let items = [
        Contribution::points(day(35), Points::new(1000).unwrap()), // exactly 365 days ago: out
        Contribution {
            at: Timestamp::from_unix_millis(day(35).unix_millis() + 1),
            value: 7,
        },
        Contribution::points(day(399), Points::new(100).unwrap()),
        Contribution {
            at: day(400),
            value: -20,
        }, // a return subtracts
        Contribution::points(day(401), Points::new(1_000_000).unwrap()), // in the future: out
    ];
    assert_eq!(measured_value(&l, &items, now), 87);
    assert_eq!(
        measured_value(&l, &[Contribution { at: now, value: -5 }], now),
        0,
        "never below zero"
    );
}

#[test]
fn a_jalali_year_window_restarts_at_nowruz() {
    let mut d = draft(30);
    d.measure = Measure::AmountSpent;
    d.window = TierWindow::JalaliYear;
    let l = TierLadder::parse(d).unwrap();
    let nowruz = Timestamp::from_tehran_start_of_day(JalaliDate::new(1404, 1, 1).unwrap());
    let last_of_1403 = Timestamp::from_unix_millis(nowruz.unix_millis() - 1);
    let items = [
        Contribution::spend(last_of_1403, "1500.99".parse::<Money>().unwrap()),
        Contribution::spend(nowruz, "200".parse::<Money>().unwrap()),
    ];
    assert_eq!(
        measured_value(&l, &items, last_of_1403),
        1500,
        "fractions of a rial are dropped"
    );
    assert_eq!(measured_value(&l, &items, nowruz), 200);
    assert_eq!(
        measured_value(&l, &[Contribution::visit(nowruz)], nowruz),
        1
    );
}

#[test]
fn ladders_round_trip_through_json_and_refuse_bad_json() {
    let l = ladder(30);
    let json = serde_json::to_string(&l).unwrap();
    assert_eq!(serde_json::from_str::<TierLadder>(&json).unwrap(), l);
    let bad = json.replace("\"threshold\":1000", "\"threshold\":0");
    assert!(
        serde_json::from_str::<TierLadder>(&bad)
            .unwrap_err()
            .to_string()
            .contains("tier silver")
    );
}

proptest::proptest! {
    /// A store may sum `opens_at(now) ..= now` in one range query: exactly what counts.
    #[test]
    fn a_window_counts_exactly_from_where_it_opens_to_now(
        now in 1_600_000_000_000_i64..1_900_000_000_000,
        back in -400_i64 * 86_400_000..2 * 86_400_000,
        days in 1_u32..800,
        jalali in proptest::bool::ANY,
    ) {
        let window = if jalali { TierWindow::JalaliYear } else { TierWindow::RollingDays(NonZeroU32::new(days).unwrap()) };
        let now = Timestamp::from_unix_millis(now);
        let at = Timestamp::from_unix_millis(now.unix_millis() - back);
        let opens = window.opens_at(now);
        proptest::prop_assert_eq!(window.contains(at, now), opens <= at && at <= now, "opens {:?}", opens);
        proptest::prop_assert!(window.contains(opens, now) && !window.contains(Timestamp::from_unix_millis(opens.unix_millis() - 1), now));
    }
}
