use std::collections::BTreeSet;

use super::*;
use crate::ledger::{Money, Points};
use crate::tiers::TierId;
use crate::time::Timestamp;

fn at(secs: i64) -> Timestamp {
    Timestamp::from_unix_millis(secs * 1000)
}

fn draft() -> RaffleDraft {
    RaffleDraft {
        title_fa: " قرعه‌کشی پاییز ".into(),
        title_en: "Autumn raffle".into(),
        description_fa: String::new(),
        description_en: String::new(),
        prizes: vec![
            RafflePrize { kind: RafflePrizeKind::Item, count: 1, label_fa: "دوچرخه".into(), label_en: "A bicycle".into() },
            RafflePrize {
                kind: RafflePrizeKind::Points { points: Points::new(500).expect("points") },
                count: 2,
                label_fa: String::new(),
                label_en: String::new(),
            },
        ],
        ticket_price: Points::new(20).expect("points"),
        per_member_limit: 5,
        opens_at: at(1_000),
        closes_at: at(2_000),
        beacon: false,
        tiers: BTreeSet::new(),
        ticket_per_purchase: None,
        by_contest: false,
    }
}

fn bronze() -> TierId {
    TierId::parse("bronze").expect("tier")
}

#[test]
fn a_checked_raffle_keeps_its_prizes_in_draw_order() {
    let spec = RaffleSpec::parse(draft()).expect("valid");
    assert_eq!(spec.title_fa().as_str(), "قرعه‌کشی پاییز");
    assert_eq!(spec.prize_count(), 3);
    assert_eq!(spec.prize_of_winner(0).map(|p| p.label_en.as_str()), Some("A bicycle"));
    assert_eq!(spec.prize_of_winner(2).map(|p| p.count), Some(2));
    assert_eq!(spec.prize_of_winner(3), None);
}

#[test]
fn a_draft_with_a_hole_is_refused_with_its_reason() {
    let cases: [(fn(&mut RaffleDraft), RaffleError); 6] = [
        (|d| d.title_en = " ".into(), RaffleError::Title),
        (|d| d.prizes.clear(), RaffleError::PrizeLines(0)),
        (|d| d.prizes[1].count = 0, RaffleError::PrizeCount(2)),
        (|d| d.prizes[0].label_en.clear(), RaffleError::PrizeLabel(1)),
        (|d| d.per_member_limit = 0, RaffleError::Limit),
        (|d| d.closes_at = at(1_059), RaffleError::Window),
    ];
    for (break_it, error) in cases {
        let mut d = draft();
        break_it(&mut d);
        assert_eq!(RaffleSpec::parse(d), Err(error.clone()), "{error}");
    }
    let mut zero = draft();
    zero.prizes[1].kind = RafflePrizeKind::Credit { credit: Money::ZERO };
    assert_eq!(RaffleSpec::parse(zero), Err(RaffleError::EmptyPrize(2)));
    let mut free_purchase = draft();
    free_purchase.ticket_per_purchase = Some(Money::ZERO);
    assert_eq!(RaffleSpec::parse(free_purchase), Err(RaffleError::PurchaseTicket));
}

#[test]
fn tickets_sell_only_while_open_within_the_limit_and_to_admitted_tiers() {
    let spec = RaffleSpec::parse(draft()).expect("valid");
    assert_eq!(buy(&spec, &bronze(), 0, 3, at(999)), Err(BuyRefusal::NotOpenYet));
    assert_eq!(buy(&spec, &bronze(), 0, 3, at(1_000)), Ok(Points::new(60).expect("points")));
    assert_eq!(buy(&spec, &bronze(), 3, 3, at(1_500)), Err(BuyRefusal::OverLimit { left: 2 }));
    assert_eq!(buy(&spec, &bronze(), 0, 0, at(1_500)), Err(BuyRefusal::NoTickets));
    assert_eq!(buy(&spec, &bronze(), 0, 1, at(2_000)), Err(BuyRefusal::Closed));
    let mut gold_only = draft();
    gold_only.tiers.insert(TierId::parse("gold").expect("tier"));
    let gold_only = RaffleSpec::parse(gold_only).expect("valid");
    assert_eq!(buy(&gold_only, &bronze(), 0, 1, at(1_500)), Err(BuyRefusal::TierNotAdmitted));
    assert!(buy(&gold_only, &TierId::parse("gold").expect("tier"), 0, 1, at(1_500)).is_ok());
}

#[test]
fn free_entry_costs_nothing() {
    let mut free = draft();
    free.ticket_price = Points::ZERO;
    let spec = RaffleSpec::parse(free).expect("valid");
    assert_eq!(buy(&spec, &bronze(), 0, 5, at(1_500)), Ok(Points::ZERO));
}

#[test]
fn winners_get_the_prizes_in_draw_order() {
    let spec = RaffleSpec::parse(draft()).expect("valid");
    let owners = ["ali", "sara", "reza", "mina"];
    let awards = payout(&spec, &[3, 0, 2], |leaf| owners.get(leaf as usize).copied()).expect("owned");
    let got: Vec<_> = awards.iter().map(|a| (a.member, a.prize.label_en.as_str(), a.prize.count)).collect();
    assert_eq!(got, [("mina", "A bicycle", 1), ("ali", "", 2), ("reza", "", 2)]);
    assert_eq!(payout(&spec, &[9], |leaf| owners.get(leaf as usize).copied()), Err(9));
}

#[test]
fn a_spec_round_trips_through_json_and_a_broken_one_does_not_load() {
    let spec = RaffleSpec::parse(draft()).expect("valid");
    let json = serde_json::to_string(&spec).expect("json");
    assert_eq!(serde_json::from_str::<RaffleSpec>(&json).expect("back"), spec);
    let broken = json.replace("\"per_member_limit\":5", "\"per_member_limit\":0");
    assert!(serde_json::from_str::<RaffleSpec>(&broken).is_err());
}
