//! Contest bundle checks: records (`CONTEST_OPEN` before `CONTEST_RESULT`), rules (the text
//! hashes to the logged rules hash and agrees with the logged fields), standings (the logged
//! root and count), ranks (re-ranked by the stated tie rule from scores, times and join order)
//! and winners (the prizes by rank the rules give).

use super::bundle::{Bundle, BundleStanding};
use super::bundle_report::{Builder, Res};
use super::bundle_verify::{Found, check_shape, first};
use super::log::{ContestOpen, ContestResult, Record};
use super::sha256;
use crate::contest::{ContestSpec, PrizeMode, Score, Standing, StandingFact, awards, standings, standings_root};
use crate::time::Timestamp;

const INC_OPEN: &str = "inclusion:CONTEST_OPEN";
const INC_RESULT: &str = "inclusion:CONTEST_RESULT";
const MISSING: &str = "a record this check needs is missing";

fn open_of(found: &[Found]) -> Option<&ContestOpen> {
    first(found, "CONTEST_OPEN").and_then(|f| match &f.record {
        Record::ContestOpen(r) => Some(r),
        _ => None,
    })
}

fn result_of(found: &[Found]) -> Option<&ContestResult> {
    first(found, "CONTEST_RESULT").and_then(|f| match &f.record {
        Record::ContestResult(r) => Some(r),
        _ => None,
    })
}

pub(crate) fn checks(bundle: &Bundle, found: &[Found], b: &mut Builder) {
    let (open, result) = (open_of(found), result_of(found));
    b.push("records", records(bundle, found, open, result));
    let spec = bundle.contest.as_ref().map(|c| serde_json::from_str::<ContestSpec>(&c.rules));
    b.run("rules", &[INC_OPEN], || match (open, &spec) {
        (Some(open), Some(spec)) => rules(bundle, open, spec.as_ref().map_err(ToString::to_string)),
        _ => Res::Fail(MISSING.into()),
    });
    let rows: &[BundleStanding] = bundle.contest.as_ref().map_or(&[], |c| &c.standings);
    b.run("standings", &[INC_RESULT], || match result {
        Some(result) => standings_check(result, rows),
        None => Res::Fail(MISSING.into()),
    });
    b.run("ranks", &["rules", "standings"], || match &spec {
        Some(Ok(spec)) => ranks(spec, rows),
        _ => Res::Fail(MISSING.into()),
    });
    b.run("winners", &["rules", "ranks"], || match (&spec, result) {
        (Some(Ok(spec)), Some(result)) => winners(spec, rows, result),
        _ => Res::Fail(MISSING.into()),
    });
}

fn records(bundle: &Bundle, found: &[Found], open: Option<&ContestOpen>, result: Option<&ContestResult>) -> Res {
    let order = ["CONTEST_OPEN", "CONTEST_RESULT"];
    if let Err(e) = check_shape(bundle, found, &order, &[], &order) {
        return Res::Fail(e);
    }
    let (Some(open), Some(result)) = (open, result) else {
        return Res::Fail(MISSING.into());
    };
    if open.contest_id != result.contest_id {
        return Res::Fail("the records name different contests".into());
    }
    if bundle.contest.is_none() {
        return Res::Fail("the bundle has no contest section".into());
    }
    Res::Pass(format!("rules and result of {}, in log order", open.contest_id))
}

fn rules(bundle: &Bundle, open: &ContestOpen, spec: Result<&ContestSpec, String>) -> Res {
    let Some(section) = &bundle.contest else {
        return Res::Fail(MISSING.into());
    };
    let mut bytes = b"contest/v1/rules".to_vec();
    bytes.extend_from_slice(section.rules.as_bytes());
    if sha256(&bytes) != open.rules_hash {
        return Res::Fail("H(\"contest/v1/rules\" ‖ rules) is not the logged rules hash".into());
    }
    let spec = match spec {
        Ok(spec) => spec,
        Err(e) => return Res::Fail(format!("the rules are not a valid contest: {e}")),
    };
    let secs = |t: Timestamp| u64::try_from(t.unix_millis().div_euclid(1000)).unwrap_or(0);
    let agrees = spec.metric().as_str() == open.metric
        && spec.tie_rule().as_str() == open.tie_rule
        && spec.prize_mode().as_str() == open.prize_mode
        && secs(spec.starts_at()) == open.t_start
        && secs(spec.ends_at()) == open.t_end
        && u64::try_from(spec.entry_fee().get()).ok() == Some(open.entry_fee)
        && spec.min_score() == open.min_score
        && spec.prize_count() == open.prizes;
    if !agrees {
        return Res::Fail("the rules disagree with the fields CONTEST_OPEN logged".into());
    }
    Res::Pass(format!("{} by {}, ties: {}", spec.metric().as_str(), spec.prize_mode().as_str(), spec.tie_rule().as_str()))
}

fn fact(row: &BundleStanding) -> StandingFact<'_> {
    StandingFact { member: &row.member, rank: row.rank, score: row.score, reached_at: row.reached_at, joined: row.joined }
}

fn standings_check(result: &ContestResult, rows: &[BundleStanding]) -> Res {
    let root = match standings_root(&result.contest_id, rows.iter().map(fact)) {
        Ok(root) => root,
        Err(e) => return Res::Fail(e.to_string()),
    };
    if root != result.standings_root || rows.len() as u64 != result.n {
        return Res::Fail(format!("{} standings do not hash to the logged root of {}", rows.len(), result.n));
    }
    Res::Pass(format!("{} standings under the logged root", rows.len()))
}

/// The standings as the rules rank the published scores; each member is its row's place.
fn rerank(spec: &ContestSpec, rows: &[BundleStanding]) -> Vec<Standing<usize>> {
    let scores = rows.iter().enumerate().map(|(at, r)| Score {
        member: at,
        score: r.score,
        reached_at: Timestamp::from_unix_millis(i64::try_from(r.reached_at).unwrap_or(i64::MAX)),
        joined: r.joined,
    });
    standings(scores, spec.tie_rule())
}

fn ranks(spec: &ContestSpec, rows: &[BundleStanding]) -> Res {
    let ranked = rerank(spec, rows);
    if ranked.len() != rows.len() {
        return Res::Fail("a standing has a score of zero".into());
    }
    for (place, standing) in ranked.iter().enumerate() {
        if standing.score.member != place || standing.rank != rows[place].rank {
            return Res::Fail(format!("place {} is not where the tie rule ranks it", place + 1));
        }
    }
    Res::Pass(format!("{} ranks follow from the scores ({})", rows.len(), spec.tie_rule().as_str()))
}

fn winners(spec: &ContestSpec, rows: &[BundleStanding], result: &ContestResult) -> Res {
    let ranked = rerank(spec, rows);
    let expected: Vec<(&str, u64, u64)> =
        awards(spec, &ranked).iter().map(|a| (rows[a.standing.score.member].member.as_str(), a.standing.rank, a.standing.score.score)).collect();
    let logged: Vec<(&str, u64, u64)> = result.winners.iter().map(|w| (w.member.as_str(), w.rank, w.score)).collect();
    if expected != logged {
        return Res::Fail(format!("{} prizes logged, the rules give {}", logged.len(), expected.len()));
    }
    match spec.prize_mode() {
        PrizeMode::ByRank => Res::Pass(format!("{} prizes by rank, as the rules give them", logged.len())),
        PrizeMode::Drawn => Res::Pass("drawn among the qualifiers: the contest's draw has its own bundle".into()),
    }
}
