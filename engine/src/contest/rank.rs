//! From scores to standings and prizes. Order: higher score first; at equal scores, who
//! reached the score first, then who joined first. That order is the board's for both tie
//! rules; the rule decides only whether equal scores share a rank.

use crate::fair::error::FairError;
use crate::fair::hash::push_lp;
use crate::fair::{Hash, merkle};
use crate::raffle::RafflePrize;
use crate::time::Timestamp;

use super::{ContestSpec, PrizeMode, TieRule};

/// One entrant's score over the contest's period so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Score<M> {
    pub member: M,
    pub score: u64,
    /// When the member's last counted action brought them to this score.
    pub reached_at: Timestamp,
    /// Join order: 1 for the first member to join.
    pub joined: u64,
}

/// A ranked score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing<M> {
    /// 1-based; "1224" under [`TieRule::SharedRank`], "1234" under [`TieRule::FirstToReach`].
    pub rank: u64,
    pub score: Score<M>,
}

/// Ranks the scores above zero (a member who has done nothing is not on the board), in the
/// board's order.
pub fn standings<M>(scores: impl IntoIterator<Item = Score<M>>, rule: TieRule) -> Vec<Standing<M>> {
    let mut scores: Vec<Score<M>> = scores.into_iter().filter(|s| s.score > 0).collect();
    scores.sort_by(|a, b| b.score.cmp(&a.score).then(a.reached_at.cmp(&b.reached_at)).then(a.joined.cmp(&b.joined)));
    let mut ranked: Vec<Standing<M>> = Vec::with_capacity(scores.len());
    for (at, score) in scores.into_iter().enumerate() {
        let place = at as u64 + 1;
        let rank = match (rule, ranked.last()) {
            (TieRule::SharedRank, Some(above)) if above.score.score == score.score => above.rank,
            _ => place,
        };
        ranked.push(Standing { rank, score });
    }
    ranked
}

/// A prize won by rank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Award<'a, M> {
    pub standing: &'a Standing<M>,
    pub prize: &'a RafflePrize,
}

/// Who wins what in a contest by rank: every qualifier (score at least the minimum) whose rank
/// a prize line covers. Tied members at a shared rank each get that rank's prize. A drawn
/// contest awards nothing here: its winners come from the draw.
pub fn awards<'a, M>(spec: &'a ContestSpec, standings: &'a [Standing<M>]) -> Vec<Award<'a, M>> {
    if spec.prize_mode() != PrizeMode::ByRank {
        return Vec::new();
    }
    standings
        .iter()
        .take_while(|s| s.score.score >= spec.min_score())
        .filter_map(|standing| spec.prize_for_rank(standing.rank).map(|prize| Award { standing, prize }))
        .collect()
}

const TAG_STANDING: &[u8] = b"contest/v1/standing";

/// One frozen standing as the log commits to it: the entrant's pseudonym in this contest, rank,
/// score, when the score was reached (Unix milliseconds) and join order, so anyone can re-rank
/// the board by the stated tie rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StandingFact<'a> {
    pub member: &'a str,
    pub rank: u64,
    pub score: u64,
    pub reached_at: u64,
    pub joined: u64,
}

/// The leaf of one frozen standing: `"contest/v1/standing" ‖ lp(contest_id) ‖ lp(member) ‖
/// u64(rank) ‖ u64(score) ‖ u64(reached_at) ‖ u64(joined)`.
pub fn standing_leaf(contest_id: &str, fact: &StandingFact<'_>) -> Result<Vec<u8>, FairError> {
    let mut leaf = Vec::with_capacity(TAG_STANDING.len() + 4 + contest_id.len() + fact.member.len() + 32);
    leaf.extend_from_slice(TAG_STANDING);
    push_lp(&mut leaf, contest_id.as_bytes())?;
    push_lp(&mut leaf, fact.member.as_bytes())?;
    for n in [fact.rank, fact.score, fact.reached_at, fact.joined] {
        leaf.extend_from_slice(&n.to_be_bytes());
    }
    Ok(leaf)
}

/// The RFC 6962 root of the frozen standings in board order: what `CONTEST_RESULT` logs, so
/// the published board cannot be changed afterwards.
pub fn standings_root<'a>(contest_id: &str, facts: impl IntoIterator<Item = StandingFact<'a>>) -> Result<Hash, FairError> {
    let leaves: Vec<Hash> = facts
        .into_iter()
        .map(|fact| standing_leaf(contest_id, &fact).map(|leaf| merkle::leaf_hash(&leaf)))
        .collect::<Result<_, _>>()?;
    Ok(merkle::root(&leaves))
}
