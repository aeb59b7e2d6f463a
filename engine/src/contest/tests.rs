use proptest::prelude::*;

use super::*;
use crate::ledger::Points;
use crate::raffle::{RafflePrize, RafflePrizeKind};
use crate::time::Timestamp;

fn at(secs: i64) -> Timestamp {
    Timestamp::from_unix_millis(secs * 1000)
}

fn points_prize(points: i64, count: u32) -> RafflePrize {
    RafflePrize {
        kind: RafflePrizeKind::Points { points: Points::new(points).expect("points") },
        count,
        label_fa: String::new(),
        label_en: String::new(),
    }
}

fn draft() -> ContestDraft {
    ContestDraft {
        title_fa: "قهرمان خرید".into(),
        title_en: "Shopping champion".into(),
        description_fa: String::new(),
        description_en: String::new(),
        metric: Metric::PurchaseCount,
        starts_at: at(1_000),
        ends_at: at(2_000),
        entry_fee: Points::ZERO,
        min_score: 2,
        tie_rule: TieRule::SharedRank,
        prize_mode: PrizeMode::ByRank,
        prizes: vec![points_prize(1_000, 1), points_prize(500, 1), points_prize(100, 2)],
        beacon: false,
        board_size: 10,
    }
}

fn score(member: &'static str, score: u64, reached: i64, joined: u64) -> Score<&'static str> {
    Score { member, score, reached_at: at(reached), joined }
}

fn ranks(board: &[Standing<&'static str>]) -> Vec<(&'static str, u64)> {
    board.iter().map(|s| (s.score.member, s.rank)).collect()
}

#[test]
fn prize_lines_go_down_the_ranks() {
    let spec = ContestSpec::parse(draft()).expect("valid");
    assert_eq!(spec.prize_count(), 4);
    let amount = |rank| spec.prize_for_rank(rank).map(|p| p.kind.clone());
    assert_eq!(amount(1), Some(RafflePrizeKind::Points { points: Points::new(1_000).expect("points") }));
    assert_eq!(amount(2), Some(RafflePrizeKind::Points { points: Points::new(500).expect("points") }));
    assert_eq!(amount(4), Some(RafflePrizeKind::Points { points: Points::new(100).expect("points") }));
    assert_eq!(amount(5), None);
    assert_eq!(amount(0), None);
}

#[test]
fn bad_rules_are_refused_with_the_reason() {
    let with = |change: fn(&mut ContestDraft)| {
        let mut d = draft();
        change(&mut d);
        ContestSpec::parse(d)
    };
    assert_eq!(with(|d| d.title_en = String::new()), Err(ContestError::Title));
    assert_eq!(with(|d| d.ends_at = at(1_030)), Err(ContestError::Window));
    assert_eq!(with(|d| d.min_score = 0), Err(ContestError::MinScore));
    assert_eq!(with(|d| d.board_size = 0), Err(ContestError::BoardSize));
    assert_eq!(with(|d| d.prizes.clear()), Err(ContestError::PrizeLines(0)));
    assert_eq!(with(|d| d.prizes[1] = points_prize(0, 1)), Err(ContestError::EmptyPrize(2)));
    assert_eq!(with(|d| d.beacon = true), Err(ContestError::BeaconWithoutDraw));
}

#[test]
fn the_rules_hash_changes_with_any_rule() {
    let spec = ContestSpec::parse(draft()).expect("valid");
    let mut other = draft();
    other.tie_rule = TieRule::FirstToReach;
    assert_ne!(spec.rules_hash(), ContestSpec::parse(other).expect("valid").rules_hash());
    assert_eq!(spec.rules_hash(), ContestSpec::parse(draft()).expect("valid").rules_hash());
}

#[test]
fn shared_rank_gives_1224_and_first_to_reach_breaks_ties_by_time_then_join_order() {
    let scores = || {
        vec![
            score("dara", 5, 300, 4),
            score("baran", 7, 200, 2),
            score("sara", 7, 100, 3),
            score("nima", 3, 50, 1),
            score("idle", 0, 0, 5),
            score("tara", 3, 50, 0),
        ]
    };
    let shared = standings(scores(), TieRule::SharedRank);
    assert_eq!(ranks(&shared), [("sara", 1), ("baran", 1), ("dara", 3), ("tara", 4), ("nima", 4)]);
    let first = standings(scores(), TieRule::FirstToReach);
    assert_eq!(ranks(&first), [("sara", 1), ("baran", 2), ("dara", 3), ("tara", 4), ("nima", 5)]);
}

#[test]
fn tied_members_each_win_their_shared_rank_and_non_qualifiers_win_nothing() {
    let spec = ContestSpec::parse(draft()).expect("valid");
    let board = standings(
        vec![score("a", 9, 1, 1), score("b", 6, 1, 2), score("c", 6, 2, 3), score("d", 4, 1, 4), score("e", 1, 1, 5)],
        TieRule::SharedRank,
    );
    let won: Vec<(&str, u64)> = awards(&spec, &board).iter().map(|a| (a.standing.score.member, a.standing.rank)).collect();
    // Ranks 1, 2, 2, 4: b and c share the second prize, d's rank 4 is in the last line, and e
    // (score 1, below the minimum of 2) is not a qualifier.
    assert_eq!(won, [("a", 1), ("b", 2), ("c", 2), ("d", 4)]);
}

#[test]
fn a_drawn_contest_awards_nothing_by_rank() {
    let mut d = draft();
    d.prize_mode = PrizeMode::Drawn;
    let spec = ContestSpec::parse(d).expect("valid");
    let board = standings(vec![score("a", 9, 1, 1)], TieRule::SharedRank);
    assert!(awards(&spec, &board).is_empty());
}

fn fact(member: &str, rank: u64, score: u64) -> StandingFact<'_> {
    StandingFact { member, rank, score, reached_at: 5, joined: rank }
}

#[test]
fn the_standings_root_binds_every_row() {
    let root = standings_root("contest-1", [fact("aa", 1, 9), fact("bb", 2, 4)]).expect("root");
    assert_ne!(root, standings_root("contest-1", [fact("aa", 1, 9), fact("bb", 2, 5)]).expect("root"));
    assert_ne!(root, standings_root("contest-2", [fact("aa", 1, 9), fact("bb", 2, 4)]).expect("root"));
    let mut later = fact("bb", 2, 4);
    later.reached_at = 6;
    assert_ne!(root, standings_root("contest-1", [fact("aa", 1, 9), later]).expect("root"));
    assert_eq!(root, standings_root("contest-1", [fact("aa", 1, 9), fact("bb", 2, 4)]).expect("root"));
}

proptest! {
    /// Ranks never fall down the board; under the shared rule a rank repeats exactly while the
    /// score repeats and then jumps to the place ("1224"); under first-to-reach every rank is
    /// its place.
    #[test]
    fn ranks_follow_the_competition_rule(raw in prop::collection::vec((0u64..6, 0i64..4, 0u64..1_000), 0..40)) {
        let scores: Vec<Score<usize>> = raw
            .iter()
            .enumerate()
            .map(|(member, &(score, reached, joined))| Score { member, score, reached_at: at(reached), joined })
            .collect();
        let shared = standings(scores.clone(), TieRule::SharedRank);
        prop_assert_eq!(shared.len(), raw.iter().filter(|r| r.0 > 0).count());
        for (place, s) in shared.iter().enumerate() {
            let above = shared.iter().filter(|o| o.score.score > s.score.score).count() as u64;
            prop_assert_eq!(s.rank, above + 1, "place {}", place);
        }
        let first = standings(scores, TieRule::FirstToReach);
        for (place, s) in first.iter().enumerate() {
            prop_assert_eq!(s.rank, place as u64 + 1);
        }
        for pair in first.windows(2) {
            let (a, b) = (&pair[0].score, &pair[1].score);
            prop_assert!((a.score, std::cmp::Reverse(a.reached_at), std::cmp::Reverse(a.joined)) >= (b.score, std::cmp::Reverse(b.reached_at), std::cmp::Reverse(b.joined)));
        }
    }
}
