//! Contests' storage. A join is one transaction (fee charged, entrant written); a finish is one
//! (scores summed as of the end, standings frozen, prizes paid, `CONTEST_RESULT` logged), under
//! the contest's lock and checked against its stage, so a rerun, a crash or a second app
//! instance pays each prize once.

use async_trait::async_trait;
use engine::contest::{ContestSpec, Score};
use engine::ledger::{Balances, ExpiryPolicy, LedgerError, MemberId, Outcome};
use engine::raffle::RafflePrize;
use engine::time::Timestamp;
use serde::{Deserialize, Serialize};

use crate::platform::server::store::StoreResult;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Scores count from `starts_at` to `ends_at`; members may join until the end.
    Open,
    /// Standings frozen, prizes paid, `CONTEST_RESULT` logged.
    Finished,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredContest {
    pub id: i64,
    /// The contest's name in the log.
    pub contest_id: String,
    pub spec: ContestSpec,
    pub stage: Stage,
    pub entrants: u64,
    pub open_leaf: u64,
    pub result_leaf: Option<u64>,
    /// The `fairdraw/v1` raffle that draws the prizes of a drawn contest.
    pub raffle: Option<i64>,
    /// When the board was last published.
    pub board_at: Option<Timestamp>,
}

/// One join request.
#[derive(Debug, Clone)]
pub struct JoinWrite {
    pub contest: i64,
    pub member: MemberId,
    /// The member's idempotency key: a retry with it gets the first answer.
    pub client_key: String,
    /// The seed of the member's ticket if the prizes are drawn (made in their browser).
    pub client_seed: [u8; 32],
    /// Fresh CSPRNG bytes for the member's pseudonym in this contest.
    pub fresh_salt: [u8; 16],
}

/// What a join did, as the member's retry gets it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinReceipt {
    pub contest: i64,
    /// Hex of the member's pseudonym in this contest.
    pub pseudonym: String,
    /// Join order, 1 for the first.
    pub seq: u64,
    pub points_charged: i64,
    pub balances: Balances,
}

/// Why a join was refused; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JoinRefused {
    NoContest,
    /// The contest has ended (or finished).
    Ended,
    /// The member joined before, under another key.
    AlreadyJoined,
    KeyReused,
    Ledger(LedgerError),
}

/// A member in a contest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entrant {
    pub member: MemberId,
    pub seq: u64,
    pub pseudonym: String,
    pub joined_at: Timestamp,
    pub client_seed: [u8; 32],
}

/// One row of a board: a member with a score above zero.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardRow {
    pub member: MemberId,
    pub pseudonym: String,
    pub score: u64,
    pub reached_at: Timestamp,
    /// Join order.
    pub seq: u64,
}

impl BoardRow {
    pub fn score(&self) -> Score<MemberId> {
        Score { member: self.member, score: self.score, reached_at: self.reached_at, joined: self.seq }
    }
}

/// A prize won by rank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwardRow {
    pub member: MemberId,
    pub pseudonym: String,
    pub rank: u64,
    pub score: u64,
    pub prize: RafflePrize,
}

#[async_trait]
pub trait ContestStore: Send + Sync + 'static {
    /// Stores the contest and logs its `CONTEST_OPEN` in the same transaction.
    async fn create(&self, spec: &ContestSpec, raffle: Option<i64>, now: Timestamp) -> StoreResult<StoredContest>;
    /// Newest first.
    async fn contests(&self) -> StoreResult<Vec<StoredContest>>;
    async fn contest(&self, id: i64) -> StoreResult<Option<StoredContest>>;
    /// The stored answer of a join key, with the digest of the request it answered.
    async fn join_answer(&self, contest: i64, member: MemberId, client_key: &str) -> StoreResult<Option<(String, JoinReceipt)>>;
    /// One join, all or nothing.
    async fn join(&self, write: &JoinWrite, request: &str, now: Timestamp) -> StoreResult<Result<Outcome<JoinReceipt>, JoinRefused>>;
    async fn entrant(&self, contest: i64, member: MemberId) -> StoreResult<Option<Entrant>>;
    /// Every entrant's score from the durable facts (purchases, ledger, spins, referrals),
    /// counting from the later of the start and their join up to `until` (at most the end),
    /// in join order; zero scores included.
    async fn scores(&self, contest: i64, until: Timestamp) -> StoreResult<Vec<BoardRow>>;
    /// Open contests whose end is at or before `ended_by`.
    async fn due_to_finish(&self, ended_by: Timestamp) -> StoreResult<Vec<i64>>;
    /// Freezes the standings as of the end (on the SQL board), pays the prizes by rank and
    /// logs `CONTEST_RESULT`. `false` if the contest is already finished.
    async fn finish(&self, contest: i64, expiry: ExpiryPolicy, now: Timestamp) -> StoreResult<bool>;
    async fn awards(&self, contest: i64) -> StoreResult<Vec<AwardRow>>;
    /// Replaces the SQL board of `contest` with `rows`, as of `at`.
    async fn publish_board(&self, contest: i64, rows: &[BoardRow], at: Timestamp) -> StoreResult<()>;
    /// The first `n` rows of the SQL board, in board order.
    async fn board_top(&self, contest: i64, n: u32) -> StoreResult<Vec<BoardRow>>;
    /// The member's row and how many rows rank strictly above it under `shared` ("1224") or
    /// first-to-reach order.
    async fn board_place(&self, contest: i64, member: MemberId, shared: bool) -> StoreResult<Option<(BoardRow, u64)>>;
    async fn board_size(&self, contest: i64) -> StoreResult<u64>;
}
