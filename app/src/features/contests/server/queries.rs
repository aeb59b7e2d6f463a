//! The contest server functions: views of contests, the live board and the frozen results.

use engine::access::Area;
use engine::fair::hexstr;
use engine::ledger::MemberId;

use crate::features::accounts::server::service::internal;
use crate::features::contests::api::{AwardView, BoardEntryView, ContestPageView, ContestView};
use crate::features::contests::server::board::{Leaderboard, Ranked, SqlBoard};
use crate::features::contests::server::store::{Stage, StoredContest};
use crate::features::raffles::server::queries::prize_view;
use crate::platform::error::{AppError, ErrorCode};
use crate::platform::server::clock;
use crate::platform::server::queries::Ctx;

/// Characters of a pseudonym the board shows: enough to find oneself, short enough to read.
const PSEUDONYM_SHOWN: usize = 12;

fn short(pseudonym: &str) -> String {
    pseudonym.get(..PSEUDONYM_SHOWN).unwrap_or(pseudonym).to_owned()
}

pub(crate) fn contest_view(contest: &StoredContest) -> ContestView {
    let spec = &contest.spec;
    let now = clock::now();
    let phase = match contest.stage {
        Stage::Finished => "finished",
        Stage::Open if now < spec.starts_at() => "upcoming",
        Stage::Open if now < spec.ends_at() => "running",
        Stage::Open => "finishing",
    };
    ContestView {
        id: contest.id,
        contest_id: contest.contest_id.clone(),
        title_fa: spec.title_fa().as_str().to_owned(),
        title_en: spec.title_en().as_str().to_owned(),
        description_fa: spec.description_fa().to_owned(),
        description_en: spec.description_en().to_owned(),
        metric: spec.metric().as_str().to_owned(),
        tie_rule: spec.tie_rule().as_str().to_owned(),
        prize_mode: spec.prize_mode().as_str().to_owned(),
        prizes: spec.prizes().iter().map(prize_view).collect(),
        entry_fee: spec.entry_fee().get(),
        min_score: spec.min_score(),
        starts_at_ms: spec.starts_at().unix_millis(),
        ends_at_ms: spec.ends_at().unix_millis(),
        phase: phase.to_owned(),
        entrants: contest.entrants,
        board_size: spec.board_size(),
        rules_hash: hexstr::encode(&spec.rules_hash()),
        open_leaf: contest.open_leaf,
        result_leaf: contest.result_leaf,
        raffle: contest.raffle,
        beacon: spec.beacon(),
    }
}

fn entry(ranked: &Ranked, viewer: Option<MemberId>) -> BoardEntryView {
    BoardEntryView { rank: ranked.rank, pseudonym: short(&ranked.row.pseudonym), score: ranked.row.score, you: Some(ranked.row.member) == viewer }
}

pub async fn contests_list() -> Result<Vec<ContestView>, AppError> {
    let ctx = Ctx::load()?;
    ctx.require(Area::Member)?;
    let contests = ctx.state.db.contests.contests().await.map_err(|e| ctx.fail(internal(e)))?;
    Ok(contests.iter().map(contest_view).collect())
}

/// Public: the rules, the board and the winners; a signed-in member also sees their own rank
/// and the join form.
pub async fn contest_page(id: i64) -> Result<ContestPageView, AppError> {
    let ctx = Ctx::load()?;
    let member = ctx.viewer_in(Area::Member).map(|account| MemberId::new(account.id.0)).transpose().map_err(|e| ctx.fail(internal(e)))?;
    let state = &ctx.state;
    let store = &state.db.contests;
    let contest = store.contest(id).await.map_err(|e| ctx.fail(internal(e)))?.ok_or_else(|| ctx.fail(ErrorCode::NotFound))?;
    // A finished contest's board is its frozen standings, which the database keeps.
    let frozen = SqlBoard(store.clone());
    let board: &dyn Leaderboard = if contest.stage == Stage::Finished { &frozen } else { state.board.as_ref() };
    let rule = contest.spec.tie_rule();
    let fail = |e| ctx.fail(internal(e));
    let top = board.top(id, rule, contest.spec.board_size()).await.map_err(fail)?;
    let you = match member {
        Some(member) => board.place(id, rule, member).await.map_err(fail)?,
        None => None,
    };
    let joined = match member {
        Some(member) => store.entrant(id, member).await.map_err(fail)?.is_some(),
        None => false,
    };
    let points = match member {
        Some(member) => state.db.ledger.balances(member).await.map_err(fail)?.points.get(),
        None => 0,
    };
    let awards = store.awards(id).await.map_err(fail)?;
    Ok(ContestPageView {
        contest: contest_view(&contest),
        member: member.is_some(),
        joined,
        points,
        you: you.as_ref().map(|r| entry(r, member)),
        top: top.iter().map(|r| entry(r, member)).collect(),
        on_board: board.len(id).await.map_err(fail)?,
        board_source: if contest.stage == Stage::Finished { "frozen".to_owned() } else { board.name().to_owned() },
        board_at_ms: contest.board_at.map(|t| t.unix_millis()),
        awards: awards
            .iter()
            .map(|a| AwardView { rank: a.rank, pseudonym: short(&a.pseudonym), score: a.score, prize: prize_view(&a.prize), you: Some(a.member) == member })
            .collect(),
        key: clock::form_token(),
    })
}

pub async fn admin_contests() -> Result<Vec<ContestView>, AppError> {
    let ctx = Ctx::load()?;
    ctx.require(Area::Admin)?;
    let contests = ctx.state.db.contests.contests().await.map_err(|e| ctx.fail(internal(e)))?;
    Ok(contests.iter().map(contest_view).collect())
}

pub async fn audit_contests() -> Result<Vec<ContestView>, AppError> {
    let ctx = Ctx::load()?;
    let contests = ctx.state.db.contests.contests().await.map_err(|e| ctx.fail(internal(e)))?;
    Ok(contests.iter().map(contest_view).collect())
}

/// Public: anyone may fetch and verify a finished contest's bundle.
pub async fn contest_bundle_text(contest: i64) -> Result<String, AppError> {
    let ctx = Ctx::load()?;
    let bundle = crate::features::contests::server::service::bundle(&ctx.state, contest).await.map_err(|code| ctx.fail(code))?;
    bundle.to_json().map_err(|e| ctx.fail(internal(e)))
}
