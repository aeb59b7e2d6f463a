use rust_decimal::Decimal;

use super::*;
use crate::ledger::{Amount, Money, Points};
use crate::tiers::TierId;
use crate::time::Timestamp;

fn pts(n: i64) -> Points {
    Points::new(n).expect("points")
}

fn segment(id: &str, prize: Prize, weight: u64) -> SegmentDraft {
    SegmentDraft {
        id: id.into(),
        label_fa: format!("جایزه {id}"),
        label_en: format!("Prize {id}"),
        colour: "#AA3366".into(),
        prize,
        weight,
        stock: None,
        budget: None,
    }
}

/// The spec's toy wheel with prizes: 100 points, 500 points, 20,000 rials, an extra spin,
/// and a 1,000-point jackpot; 50 points a spin.
fn toy() -> WheelDraft {
    WheelDraft {
        name_fa: "گردونه".into(),
        name_en: "Wheel".into(),
        segments: vec![
            segment("p100", Prize::Points { points: pts(100) }, 50),
            segment("p500", Prize::Points { points: pts(500) }, 20),
            segment("credit", Prize::Credit { credit: Money::from_minor(2_000_000).expect("money") }, 15),
            segment("try-again", Prize::ExtraSpin, 14),
            segment("jackpot", Prize::Points { points: pts(1000) }, 1),
        ],
        cost: pts(200),
        free_spins: FreeSpins::NONE,
        beacon: false,
    }
}

#[test]
fn a_checked_wheel_round_trips_through_json() {
    let spec = WheelSpec::parse(toy()).expect("valid");
    assert_eq!(spec.segments()[0].colour.as_str(), "#aa3366");
    let json = serde_json::to_string(&spec).expect("json");
    assert_eq!(serde_json::from_str::<WheelSpec>(&json).expect("back"), spec);
}

#[test]
fn bad_wheels_are_refused_with_the_reason() {
    let mut d = toy();
    d.segments[1].id = "p100".into();
    assert_eq!(WheelSpec::parse(d), Err(WheelError::DuplicateId("p100".into())));
    let mut d = toy();
    d.segments[2].colour = "red".into();
    assert!(matches!(WheelSpec::parse(d), Err(WheelError::Colour(3, _))));
    let mut d = toy();
    d.segments.truncate(1);
    assert_eq!(WheelSpec::parse(d), Err(WheelError::SegmentCount(1)));
    let mut d = toy();
    for s in &mut d.segments {
        s.weight = 0;
    }
    assert_eq!(WheelSpec::parse(d), Err(WheelError::NoWeight));
    let mut d = toy();
    for s in &mut d.segments {
        if s.id != "try-again" {
            s.weight = 0;
        }
    }
    assert_eq!(WheelSpec::parse(d), Err(WheelError::OnlyExtraSpins));
    let mut d = toy();
    d.segments[0].budget = Some(Amount::Credit(Money::from_minor(100).expect("money")));
    assert_eq!(WheelSpec::parse(d), Err(WheelError::Budget(1)));
    let mut d = toy();
    d.cost = pts(0);
    assert_eq!(WheelSpec::parse(d), Err(WheelError::Cost));
    let mut d = toy();
    d.segments[4].label_en = " ".into();
    assert_eq!(WheelSpec::parse(d), Err(WheelError::SegmentLabel(5)));
    let mut d = toy();
    d.segments[0].prize = Prize::Points { points: pts(0) };
    assert_eq!(WheelSpec::parse(d), Err(WheelError::EmptyPrize(1)));
}

#[test]
fn odds_and_expected_cost_are_exact() {
    let spec = WheelSpec::parse(toy()).expect("valid");
    let weights: Vec<u64> = spec.segments().iter().map(|s| s.weight).collect();
    let o = odds(&spec, &weights).expect("odds");
    assert_eq!(o.total_weight, 100);
    assert_eq!(o.chances[0], Decimal::new(5, 1));
    assert_eq!(o.extra_spin_chance, Decimal::new(14, 2));
    // Direct: 0.5·100 + 0.2·500 + 0.01·1000 = 160 points; with extra spins 160 / 0.86.
    let expected = Decimal::from(160) / Decimal::new(86, 2);
    assert_eq!(o.points_per_spin, expected);
    assert_eq!(o.credit_per_spin, Decimal::from(3000) / Decimal::new(86, 2));
    assert_eq!(o.points_return_percent.round_dp(2), Decimal::new(9302, 2));
}

#[test]
fn exhausted_stock_or_budget_weighs_nothing() {
    let mut d = toy();
    d.segments[4].stock = Some(1);
    d.segments[1].budget = Some(Amount::Points(pts(900)));
    let spec = WheelSpec::parse(d).expect("valid");
    let mut left: Vec<Left> = spec.segments().iter().map(Left::full).collect();
    let before = in_force(&spec, &left);
    assert_eq!(before[4].weight, 1);
    left[4] = consume(&spec.segments()[4], left[4]).expect("one jackpot");
    assert_eq!(left[4].stock, Some(0));
    assert_eq!(consume(&spec.segments()[4], left[4]), None, "stock never goes below zero");
    left[1] = consume(&spec.segments()[1], left[1]).expect("first 500");
    assert_eq!(left[1].budget, Some(Amount::Points(pts(400))));
    let after = in_force(&spec, &left);
    assert_eq!((after[4].weight, after[1].weight, after[0].weight), (0, 0, 50));
    assert_ne!(
        crate::fair::fairspin::wheel_hash(&before).expect("hash"),
        crate::fair::fairspin::wheel_hash(&after).expect("hash"),
        "a change in the weights in force changes the wheel hash"
    );
}

#[test]
fn spins_are_paid_with_extra_spins_then_free_spins_then_points() {
    let mut d = toy();
    let gold = TierId::parse("gold").expect("tier");
    d.free_spins = FreeSpins { period: SpinPeriod::Week, everyone: 1, by_tier: [(gold.clone(), 3)].into() };
    let spec = WheelSpec::parse(d).expect("valid");
    assert_eq!(payment(&spec, None, 0, 2), Payment::Bonus);
    assert_eq!(payment(&spec, None, 0, 0), Payment::Free);
    assert_eq!(payment(&spec, None, 1, 0), Payment::Points { points: pts(200) });
    assert_eq!(payment(&spec, Some(&gold), 2, 0), Payment::Free);
    assert_eq!(payment(&spec, Some(&gold), 3, 0), Payment::Points { points: pts(200) });
}

#[test]
fn periods_follow_the_tehran_calendar() {
    // 2026-11-28 was a Saturday; 12:00 UTC is 15:30 in Tehran.
    let saturday = Timestamp::from_unix_millis(1_795_867_200_000);
    let friday = saturday.plus_days(6);
    let next_saturday = saturday.plus_days(7);
    assert_eq!(SpinPeriod::Week.key(saturday), SpinPeriod::Week.key(friday));
    assert_ne!(SpinPeriod::Week.key(friday), SpinPeriod::Week.key(next_saturday));
    assert_eq!(SpinPeriod::Week.key(saturday), "week:1405/09/07");
    assert_ne!(SpinPeriod::Day.key(saturday), SpinPeriod::Day.key(saturday.plus_days(1)));
    assert_eq!(SpinPeriod::JalaliMonth.key(saturday), "month:1405/09");
}

#[test]
fn an_edit_keeps_what_was_paid_out() {
    let mut d = toy();
    d.segments[4].stock = Some(3);
    d.segments[1].budget = Some(Amount::Points(pts(1500)));
    let old = WheelSpec::parse(d.clone()).expect("valid");
    let mut left: Vec<Left> = old.segments().iter().map(Left::full).collect();
    left[4] = consume(&old.segments()[4], left[4]).expect("one jackpot");
    left[1] = consume(&old.segments()[1], left[1]).expect("one 500");

    let same = carried_left(&old, &left, &old);
    assert_eq!(same, left, "saving the same wheel again refills nothing");

    d.segments[4].stock = Some(5);
    d.segments[1].budget = Some(Amount::Points(pts(400)));
    d.segments.push(segment("new", Prize::Points { points: pts(10) }, 5));
    d.segments[5].stock = Some(7);
    d.segments.swap(0, 2);
    let new = WheelSpec::parse(d).expect("valid");
    let carried = carried_left(&old, &left, &new);
    let by_id = |id: &str| carried[new.segments().iter().position(|s| s.id.as_str() == id).expect("segment")];
    assert_eq!(by_id("jackpot").stock, Some(4), "two more in stock than before, one already won");
    assert_eq!(by_id("p500").budget, Some(Amount::Points(Points::ZERO)), "a budget cut below what was paid is spent");
    assert_eq!(by_id("new").stock, Some(7), "a new segment starts full");
}
