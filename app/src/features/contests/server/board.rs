//! The live leaderboard: the standings the scheduler publishes every tick, read back as the
//! top rows and one member's rank. Always in the `contest_board` table; with `REDIS_URL` also in
//! Redis sorted sets, which then answer the reads (shared by every app instance, each read
//! O(log n)), the table standing in while Redis is down. Each backend ranks by itself; a test
//! holds both to the engine's ranking.

use std::sync::Arc;

use async_trait::async_trait;
use engine::contest::{Score, TieRule, standings};
use engine::ledger::MemberId;
use engine::time::Timestamp;

use crate::features::contests::server::store::{BoardRow, ContestStore};
use crate::platform::server::store::{StoreError, StoreResult};

/// A board row with its rank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked {
    pub rank: u64,
    pub row: BoardRow,
}

/// Ranks rows that start at the top of the board and are in board order: the engine's
/// ranking of that prefix is the board's.
pub fn ranked_from_top(rows: Vec<BoardRow>, rule: TieRule) -> Vec<Ranked> {
    let scores: Vec<Score<usize>> =
        rows.iter().enumerate().map(|(at, r)| Score { member: at, score: r.score, reached_at: r.reached_at, joined: r.seq }).collect();
    let mut rows: Vec<Option<BoardRow>> = rows.into_iter().map(Some).collect();
    standings(scores, rule)
        .into_iter()
        .filter_map(|s| rows.get_mut(s.score.member).and_then(Option::take).map(|row| Ranked { rank: s.rank, row }))
        .collect()
}

#[async_trait]
pub trait Leaderboard: Send + Sync + 'static {
    /// Which backend answers: `redis` or `sql`.
    fn name(&self) -> &'static str;
    /// Replaces the board of `contest` with `rows` (rows of score zero are left out).
    async fn publish(&self, contest: i64, rows: &[BoardRow], at: Timestamp) -> StoreResult<()>;
    /// The first `n` rows, ranked.
    async fn top(&self, contest: i64, rule: TieRule, n: u32) -> StoreResult<Vec<Ranked>>;
    /// The member's row and rank; `None` while their score is zero.
    async fn place(&self, contest: i64, rule: TieRule, member: MemberId) -> StoreResult<Option<Ranked>>;
    /// Rows on the board.
    async fn len(&self, contest: i64) -> StoreResult<u64>;
}

/// The board in the database: `contest_board`, ranked by SQL.
pub struct SqlBoard(pub Arc<dyn ContestStore>);

#[async_trait]
impl Leaderboard for SqlBoard {
    fn name(&self) -> &'static str {
        "sql"
    }

    async fn publish(&self, contest: i64, rows: &[BoardRow], at: Timestamp) -> StoreResult<()> {
        self.0.publish_board(contest, rows, at).await
    }

    async fn top(&self, contest: i64, rule: TieRule, n: u32) -> StoreResult<Vec<Ranked>> {
        Ok(ranked_from_top(self.0.board_top(contest, n).await?, rule))
    }

    async fn place(&self, contest: i64, rule: TieRule, member: MemberId) -> StoreResult<Option<Ranked>> {
        let place = self.0.board_place(contest, member, rule == TieRule::SharedRank).await?;
        Ok(place.map(|(row, above)| Ranked { rank: above + 1, row }))
    }

    async fn len(&self, contest: i64) -> StoreResult<u64> {
        self.0.board_size(contest).await
    }
}

/// The board in Redis. Per contest: a sorted set whose score is the negated contest score and
/// whose members are `reached_at:seq` (zero-padded), so ascending order is the board's order
/// (higher score, then earlier, then joined first); and a hash from that member to the row.
/// A publish replaces both in one `MULTI`, so a reader sees the old board or the new one.
pub struct RedisBoard {
    client: redis::Client,
    connection: tokio::sync::OnceCell<redis::aio::ConnectionManager>,
    prefix: String,
}

fn redis_error(error: redis::RedisError) -> StoreError {
    StoreError::Unavailable(format!("redis: {error}"))
}

fn order_key(row: &BoardRow) -> String {
    format!("{:020}:{:020}", row.reached_at.unix_millis().max(0), row.seq)
}

/// Scores are integers below 2^53, so the float Redis keeps is exact.
fn negated(score: u64) -> f64 {
    -(score.min(1 << 53) as f64)
}

impl RedisBoard {
    /// `url` is `redis://…`; nothing connects until the first use. `prefix` keeps this club's
    /// keys apart from anything else in the same Redis.
    pub fn new(url: &str, prefix: &str) -> anyhow::Result<Self> {
        Ok(Self { client: redis::Client::open(url)?, connection: tokio::sync::OnceCell::new(), prefix: prefix.to_owned() })
    }

    async fn connection(&self) -> StoreResult<redis::aio::ConnectionManager> {
        // A Redis that is down must cost a page a second at most, not a minute of retries.
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_number_of_retries(1)
            .set_connection_timeout(Some(std::time::Duration::from_secs(1)))
            .set_response_timeout(Some(std::time::Duration::from_secs(1)));
        let manager = self
            .connection
            .get_or_try_init(|| redis::aio::ConnectionManager::new_with_config(self.client.clone(), config))
            .await
            .map_err(redis_error)?;
        Ok(manager.clone())
    }

    fn keys(&self, contest: i64) -> (String, String) {
        (format!("{}:contest:{contest}:board", self.prefix), format!("{}:contest:{contest}:rows", self.prefix))
    }

    fn who_key(&self, contest: i64) -> String {
        format!("{}:contest:{contest}:who", self.prefix)
    }

    fn rows_of(texts: Vec<Option<String>>) -> StoreResult<Vec<BoardRow>> {
        texts
            .into_iter()
            .map(|text| {
                let text = text.ok_or_else(|| StoreError::Unavailable("redis: a board row vanished mid-read".into()))?;
                serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(format!("redis board row: {e}")))
            })
            .collect()
    }
}

#[async_trait]
impl Leaderboard for RedisBoard {
    fn name(&self) -> &'static str {
        "redis"
    }

    async fn publish(&self, contest: i64, rows: &[BoardRow], _at: Timestamp) -> StoreResult<()> {
        let (board, texts) = self.keys(contest);
        let who = self.who_key(contest);
        let mut pipe = redis::pipe();
        pipe.atomic().del(&board).ignore().del(&texts).ignore().del(&who).ignore();
        let rows: Vec<&BoardRow> = rows.iter().filter(|r| r.score > 0).collect();
        for chunk in rows.chunks(1_000) {
            let mut members = Vec::with_capacity(chunk.len());
            let mut bodies = Vec::with_capacity(chunk.len());
            let mut owners = Vec::with_capacity(chunk.len());
            for row in chunk {
                let key = order_key(row);
                let body = serde_json::to_string(row).map_err(|e| StoreError::Corrupt(format!("board row: {e}")))?;
                members.push((negated(row.score), key.clone()));
                owners.push((row.member.get(), key.clone()));
                bodies.push((key, body));
            }
            pipe.zadd_multiple(&board, &members).ignore().hset_multiple(&texts, &bodies).ignore().hset_multiple(&who, &owners).ignore();
        }
        let mut conn = self.connection().await?;
        pipe.query_async::<()>(&mut conn).await.map_err(redis_error)
    }

    async fn top(&self, contest: i64, rule: TieRule, n: u32) -> StoreResult<Vec<Ranked>> {
        let (board, texts) = self.keys(contest);
        let mut conn = self.connection().await?;
        let last = isize::try_from(n).unwrap_or(isize::MAX).saturating_sub(1);
        let keys: Vec<String> = redis::cmd("ZRANGE").arg(&board).arg(0).arg(last).query_async(&mut conn).await.map_err(redis_error)?;
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let bodies: Vec<Option<String>> = redis::cmd("HMGET").arg(&texts).arg(&keys).query_async(&mut conn).await.map_err(redis_error)?;
        Ok(ranked_from_top(Self::rows_of(bodies)?, rule))
    }

    async fn place(&self, contest: i64, rule: TieRule, member: MemberId) -> StoreResult<Option<Ranked>> {
        let (board, texts) = self.keys(contest);
        let mut conn = self.connection().await?;
        let key: Option<String> = redis::cmd("HGET").arg(self.who_key(contest)).arg(member.get()).query_async(&mut conn).await.map_err(redis_error)?;
        let Some(key) = key else { return Ok(None) };
        let body: Option<String> = redis::cmd("HGET").arg(&texts).arg(&key).query_async(&mut conn).await.map_err(redis_error)?;
        let Some(row) = Self::rows_of(vec![body])?.pop() else { return Ok(None) };
        let above: u64 = match rule {
            // Strictly higher scores are strictly lower negated scores.
            TieRule::SharedRank => redis::cmd("ZCOUNT")
                .arg(&board)
                .arg("-inf")
                .arg(format!("({}", negated(row.score)))
                .query_async(&mut conn)
                .await
                .map_err(redis_error)?,
            TieRule::FirstToReach => {
                let rank: Option<u64> = redis::cmd("ZRANK").arg(&board).arg(&key).query_async(&mut conn).await.map_err(redis_error)?;
                rank.ok_or_else(|| StoreError::Unavailable("redis: a board row vanished mid-read".into()))?
            }
        };
        Ok(Some(Ranked { rank: above + 1, row }))
    }

    async fn len(&self, contest: i64) -> StoreResult<u64> {
        let (board, _) = self.keys(contest);
        let mut conn = self.connection().await?;
        redis::cmd("ZCARD").arg(&board).query_async(&mut conn).await.map_err(redis_error)
    }
}

/// The board of an instance with Redis: every publish goes to the database and to Redis, reads
/// come from Redis, and while Redis does not answer they come from the database (the same
/// standings, ranked by SQL), so a Redis outage slows the board down instead of taking it away.
pub struct MirroredBoard {
    pub sql: SqlBoard,
    pub redis: RedisBoard,
}

#[async_trait]
impl Leaderboard for MirroredBoard {
    fn name(&self) -> &'static str {
        "redis"
    }

    async fn publish(&self, contest: i64, rows: &[BoardRow], at: Timestamp) -> StoreResult<()> {
        self.sql.publish(contest, rows, at).await?;
        self.redis.publish(contest, rows, at).await
    }

    async fn top(&self, contest: i64, rule: TieRule, n: u32) -> StoreResult<Vec<Ranked>> {
        match self.redis.top(contest, rule, n).await {
            Ok(top) => Ok(top),
            Err(error) => {
                tracing::warn!(contest, %error, "redis board unavailable; read from the database");
                self.sql.top(contest, rule, n).await
            }
        }
    }

    async fn place(&self, contest: i64, rule: TieRule, member: MemberId) -> StoreResult<Option<Ranked>> {
        match self.redis.place(contest, rule, member).await {
            Ok(place) => Ok(place),
            Err(error) => {
                tracing::warn!(contest, %error, "redis board unavailable; read from the database");
                self.sql.place(contest, rule, member).await
            }
        }
    }

    async fn len(&self, contest: i64) -> StoreResult<u64> {
        match self.redis.len(contest).await {
            Ok(n) => Ok(n),
            Err(_) => self.sql.len(contest).await,
        }
    }
}
