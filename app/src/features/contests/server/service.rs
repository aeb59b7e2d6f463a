//! Contests on the server: an admin sets one up, members join (paying the fee, if any), the
//! scheduler publishes the live board every tick and, once the contest is over and its last
//! instant's requests are answered, freezes the standings and pays the prizes, or hands a drawn
//! contest's qualifiers one ticket each in its `fairdraw/v1` draw.

use engine::contest::{ContestSpec, PrizeMode, standings};
use engine::fair::bundle::{BUNDLE_FORMAT, Bundle, BundleBeacon, BundleContest, BundleKind, BundleStanding, LogSection, LoggedRecord};
use engine::fair::hexstr;
use engine::ledger::{LedgerError, MemberId, Outcome};
use engine::raffle::{RaffleDraft, RaffleSpec};
use engine::time::Timestamp;

use crate::features::accounts::server::service::internal;
use crate::features::contests::server::store::{JoinReceipt, JoinRefused, JoinWrite, Stage, StoredContest};
use crate::features::pos::server::policy;
use crate::features::raffles::server::service as raffles;
use crate::platform::error::ErrorCode;
use crate::platform::server::clock;
use crate::platform::server::state::AppState;
use crate::platform::server::store::AccountId;

/// Sets a contest up and logs `CONTEST_OPEN` with the hash of its rules. A drawn contest gets
/// its draw opened first (`DRAW_OPEN`, before any ticket). A contest already over is refused.
pub async fn create(state: &AppState, spec: ContestSpec) -> Result<StoredContest, ErrorCode> {
    create_at(state, spec, clock::now()).await
}

/// [`create`] as of `now` (the demo sets a contest up as it was days ago).
pub async fn create_at(state: &AppState, spec: ContestSpec, now: Timestamp) -> Result<StoredContest, ErrorCode> {
    if spec.ends_at() <= now {
        return Err(ErrorCode::ContestEnded);
    }
    let raffle = match spec.prize_mode() {
        PrizeMode::ByRank => None,
        PrizeMode::Drawn => Some(raffles::open_at(state, draw_of(&spec)?, now).await?.id),
    };
    state.db.contests.create(&spec, raffle, now).await.map_err(internal)
}

/// The draw of a drawn contest: its prizes, one free ticket per qualifier, open for the
/// contest's period, with the contest's beacon setting.
fn draw_of(spec: &ContestSpec) -> Result<RaffleSpec, ErrorCode> {
    RaffleSpec::parse(RaffleDraft {
        title_fa: spec.title_fa().as_str().to_owned(),
        title_en: spec.title_en().as_str().to_owned(),
        description_fa: spec.description_fa().to_owned(),
        description_en: spec.description_en().to_owned(),
        prizes: spec.prizes().to_vec(),
        ticket_price: engine::ledger::Points::ZERO,
        per_member_limit: 1,
        opens_at: spec.starts_at(),
        closes_at: spec.ends_at(),
        beacon: spec.beacon(),
        tiers: Default::default(),
        ticket_per_purchase: None,
        by_contest: true,
    })
    .map_err(|_| ErrorCode::BadContest)
}

/// Joins `account` to `contest` under the member's idempotency `key`; `seed` is their ticket's
/// client seed if the prizes are drawn.
pub async fn join_at(
    state: &AppState,
    account: AccountId,
    contest: i64,
    seed: &[u8; 32],
    key: &str,
    now: Timestamp,
) -> Result<Outcome<JoinReceipt>, ErrorCode> {
    let key = crate::platform::server::store::client_key(key).ok_or(ErrorCode::BadJoinKey)?;
    let member = MemberId::new(account.0).map_err(|_| ErrorCode::UnknownMember)?;
    let request = format!("contest:{contest}:seed:{}", hexstr::encode(seed));
    let store = &state.db.contests;
    if let Some((stored, receipt)) = store.join_answer(contest, member, key).await.map_err(internal)? {
        return if stored == request { Ok(Outcome::Replayed(receipt)) } else { Err(ErrorCode::IdempotencyConflict) };
    }
    let mut salt = [0u8; 16];
    salt.copy_from_slice(&clock::random_seed()[..16]);
    let write = JoinWrite { contest, member, client_key: key.to_owned(), client_seed: *seed, fresh_salt: salt };
    match store.join(&write, &request, now).await.map_err(internal)? {
        Ok(outcome) => Ok(outcome),
        Err(JoinRefused::NoContest) => Err(ErrorCode::NotFound),
        Err(JoinRefused::Ended) => Err(ErrorCode::ContestEnded),
        Err(JoinRefused::AlreadyJoined) => Err(ErrorCode::ContestJoined),
        Err(JoinRefused::KeyReused) => Err(ErrorCode::IdempotencyConflict),
        Err(JoinRefused::Ledger(LedgerError::InsufficientPoints { .. })) => Err(ErrorCode::InsufficientPoints),
        Err(JoinRefused::Ledger(other)) => Err(internal(other)),
    }
}

/// What one run of the scheduler did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ContestRun {
    /// Boards published.
    pub published: u64,
    pub finished: u64,
}

/// Publishes the board of every running contest, then finishes every contest whose end is
/// past by the request timeout (a purchase of its last instant may still be committing).
pub async fn run_due(state: &AppState, now: Timestamp) -> anyhow::Result<ContestRun> {
    let store = &state.db.contests;
    let mut run = ContestRun::default();
    let settle_ms = i64::try_from(state.config.request_timeout_secs).unwrap_or(i64::MAX).saturating_mul(1000);
    for contest in store.contests().await? {
        if contest.stage != Stage::Open || now < contest.spec.starts_at() {
            continue;
        }
        if now.unix_millis() < contest.spec.ends_at().unix_millis().saturating_add(settle_ms) {
            match publish(state, &contest, now).await {
                Ok(()) => run.published += 1,
                Err(error) => tracing::warn!(contest = contest.id, %error, "leaderboard not published; tried again at the next tick"),
            }
            continue;
        }
        match finish(state, &contest, now).await {
            Ok(true) => run.finished += 1,
            Ok(false) => {}
            Err(error) => tracing::error!(contest = contest.id, %error, "contest not finished; tried again at the next tick"),
        }
    }
    Ok(run)
}

/// Sums every entrant's score from the durable facts and replaces the live board with them.
pub async fn publish(state: &AppState, contest: &StoredContest, now: Timestamp) -> anyhow::Result<()> {
    let rows = state.db.contests.scores(contest.id, now).await?;
    state.board.publish(contest.id, &rows, now).await?;
    Ok(())
}

/// Freezes a contest that is over. A drawn contest first gives each qualifier their ticket and
/// closes its draw (entries root logged, seed revealed); the raffle scheduler draws and pays it
/// when its round is out. Every step is keyed or checks its stage, so a crash midway is
/// finished by the next run.
async fn finish(state: &AppState, contest: &StoredContest, now: Timestamp) -> anyhow::Result<bool> {
    let end = contest.spec.ends_at();
    if let Some(raffle) = contest.raffle {
        let rows = state.db.contests.scores(contest.id, end).await?;
        let board = standings(rows.iter().map(|r| r.score()), contest.spec.tie_rule());
        let last_instant = Timestamp::from_unix_millis(end.unix_millis() - 1);
        for standing in board.iter().take_while(|s| s.score.score >= contest.spec.min_score()) {
            let member = standing.score.member;
            let entrant = state.db.contests.entrant(contest.id, member).await?.ok_or_else(|| anyhow::anyhow!("qualifier {member} has no entry"))?;
            match raffles::grant_contest_ticket(state, raffle, member, contest.id, &entrant.client_seed, last_instant).await {
                // Given now, or by an earlier run (a rerun's fresh request finds the same key).
                Ok(()) | Err(ErrorCode::IdempotencyConflict) => {}
                // The draw is already closed: an earlier run gave every ticket before closing it.
                Err(ErrorCode::RaffleClosed) => break,
                Err(code) => anyhow::bail!("cannot give qualifier {member} a ticket: {}", code.as_str()),
            }
        }
        raffles::close_contest_draw(state, raffle, now).await?;
    }
    let expiry = policy::in_force(state).await?.expiry();
    let finished = state.db.contests.finish(contest.id, expiry, now).await?;
    // The frozen standings, for boards outside the database (Redis) too.
    let frozen = state.db.contests.scores(contest.id, end).await?;
    state.board.publish(contest.id, &frozen, now).await?;
    Ok(finished)
}

/// The audit bundle of a finished contest: `CONTEST_OPEN` and `CONTEST_RESULT` with inclusion
/// proofs to one freshly signed checkpoint, the exact rules text and every frozen standing.
pub async fn bundle(state: &AppState, id: i64) -> Result<Bundle, ErrorCode> {
    let store = &state.db.contests;
    let contest = store.contest(id).await.map_err(internal)?.ok_or(ErrorCode::NotFound)?;
    let Some(result_leaf) = contest.result_leaf else {
        return Err(ErrorCode::ContestNotFinished);
    };
    let log = &state.db.fairlog;
    let size = log.size().await.map_err(internal)?;
    let root = log.root(size).await.map_err(internal)?.map_err(internal)?;
    let signer = state.fairlog_key.signer().await.map_err(internal)?;
    let checkpoint = signer.checkpoint(size, root).map_err(internal)?;
    let mut records = Vec::with_capacity(2);
    for index in [contest.open_leaf, result_leaf] {
        let entry = log.record(index).await.map_err(internal)?.ok_or_else(|| internal(format!("log has no leaf {index}")))?;
        let proof = log.inclusion_proof(index, size).await.map_err(internal)?.map_err(internal)?;
        records.push(LoggedRecord { index, record: entry.record, proof: proof.iter().map(|h| hexstr::encode(h)).collect() });
    }
    let frozen = crate::features::contests::server::board::SqlBoard(store.clone());
    let board = crate::features::contests::server::board::Leaderboard::top(&frozen, id, contest.spec.tie_rule(), u32::MAX).await.map_err(internal)?;
    Ok(Bundle {
        format: BUNDLE_FORMAT.to_owned(),
        kind: BundleKind::Contest,
        log: LogSection { verifier_key: signer.verifier_key().encode(), checkpoint },
        records,
        beacon: BundleBeacon::NoBeacon,
        server_seed: String::new(),
        entries: Vec::new(),
        contest: Some(BundleContest {
            rules: serde_json::to_string(&contest.spec).map_err(internal)?,
            standings: board
                .iter()
                .map(|r| BundleStanding {
                    member: r.row.pseudonym.clone(),
                    rank: r.rank,
                    score: r.row.score,
                    reached_at: u64::try_from(r.row.reached_at.unix_millis()).unwrap_or(0),
                    joined: r.row.seq,
                })
                .collect(),
        }),
    })
}
