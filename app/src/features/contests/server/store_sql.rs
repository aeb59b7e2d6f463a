//! `ContestStore` in SQL that SQLite and PostgreSQL both accept, one body expanded per backend.
//!
//! Lock order: the contest row first. A join then locks its member (the ledger's helper). A
//! finish takes the log's lock and then the winners in ascending id order, as a raffle draw
//! does, so no cycle forms with a spin or a draw. (SQLite: `BEGIN IMMEDIATE` covers it all.)

use async_trait::async_trait;
use engine::contest::{ContestSpec, Metric, StandingFact, awards, standings, standings_root};
use engine::fair::log::{ContestOpen, ContestResult, RankedWinner};
use engine::fair::{Record, fairdraw, hexstr};
use engine::ledger::{Amount, ClientId, Earn, ExpiryPolicy, MemberId, Outcome, Request};
use engine::time::Timestamp;
use sqlx::{PgPool, Row, SqlitePool};

use crate::features::contests::server::store::{
    AwardRow, BoardRow, ContestStore, Entrant, JoinReceipt, JoinRefused, JoinWrite, Stage, StoredContest,
};
use crate::features::fairness::server::store_sql::{PgFairLog, SqliteFairLog};
use crate::platform::server::store::ledger_sql::{PgLedger, SqliteLedger};
use crate::platform::server::store::{StoreError, StoreResult, corrupt, keyed_client_id, retried, signed, unsigned};

fn member_of(id: i64) -> StoreResult<MemberId> {
    MemberId::new(id).map_err(|_| corrupt("contest member", id))
}

fn secs(at: Timestamp) -> StoreResult<u64> {
    u64::try_from(at.unix_millis().div_euclid(1000)).map_err(|_| corrupt("contest time", at.unix_millis()))
}

/// The ledger client id of a member's prize: paid once, whatever reruns.
fn prize_id(contest: i64, member: MemberId) -> StoreResult<ClientId> {
    let text = format!("contest:{contest}:prize:{member}");
    ClientId::parse(&text).map_err(|_| corrupt("contest client id", &text))
}

/// Board rows written per INSERT: six parameters each, inside both backends' limits.
const ROWS_PER_STATEMENT: usize = 1_000;

macro_rules! contest_columns {
    () => {
        "SELECT id, contest_id, spec, stage, entrants, open_leaf, result_leaf, raffle, board_at FROM contests"
    };
}

/// Where an entrant's scoring starts: the later of the contest's start (`$2`) and their join.
macro_rules! counted_from {
    () => {
        "(CASE WHEN e.joined_at > $2 THEN e.joined_at ELSE $2 END)"
    };
}

/// Each entrant's score and the time of the last action counted, `$1` the contest, `$2` its
/// start and `$3` the end of the count, in join order.
macro_rules! scores_sql {
    ($score:expr, $reached:expr) => {
        concat!(
            "SELECT e.member, e.seq, e.pseudonym, ",
            $score,
            " AS score, ",
            $reached,
            " AS reached FROM contest_entrants e WHERE e.contest = $1 ORDER BY e.seq"
        )
    };
}

macro_rules! purchases_where {
    () => {
        concat!("p.member = e.member AND p.created_at >= ", counted_from!(), " AND p.created_at < $3")
    };
}

macro_rules! points_where {
    () => {
        concat!(
            "t.asset = 'points' AND t.at >= ",
            counted_from!(),
            " AND t.at < $3 AND ((t.to_member = e.member AND t.kind IN ('earn', 'settle')) \
             OR (t.from_member = e.member AND t.kind = 'reverse'))"
        )
    };
}

const POINTS_EARNED: &str = scores_sql!(
    concat!(
        "(SELECT CAST(COALESCE(SUM(CASE WHEN t.kind = 'reverse' THEN -t.amount ELSE t.amount END), 0) AS BIGINT) \
         FROM ledger_transfers t WHERE ",
        points_where!(),
        ")"
    ),
    concat!("(SELECT COALESCE(MAX(t.at), 0) FROM ledger_transfers t WHERE ", points_where!(), ")")
);

const PURCHASE_COUNT: &str = scores_sql!(
    concat!("(SELECT COUNT(*) FROM pos_purchases p WHERE ", purchases_where!(), ")"),
    concat!("(SELECT COALESCE(MAX(p.created_at), 0) FROM pos_purchases p WHERE ", purchases_where!(), ")")
);

// Amounts are hundredths of a rial; the score is whole rials, what was returned taken off.
const AMOUNT_SPENT: &str = scores_sql!(
    concat!(
        "(SELECT CAST(COALESCE(SUM(p.amount - COALESCE(l.returned, 0)), 0) AS BIGINT) / 100 FROM pos_purchases p \
         LEFT JOIN ledger_purchases l ON l.id = p.id WHERE ",
        purchases_where!(),
        ")"
    ),
    concat!("(SELECT COALESCE(MAX(p.created_at), 0) FROM pos_purchases p WHERE ", purchases_where!(), ")")
);

macro_rules! referrals_where {
    () => {
        concat!(
            "v.member = e.member AND v.client_id LIKE 'referral-purchase-%' AND v.at >= ",
            counted_from!(),
            " AND v.at < $3"
        )
    };
}

const REFERRALS: &str = scores_sql!(
    concat!("(SELECT COUNT(*) FROM earn_events v WHERE ", referrals_where!(), ")"),
    concat!("(SELECT COALESCE(MAX(v.at), 0) FROM earn_events v WHERE ", referrals_where!(), ")")
);

macro_rules! spins_where {
    () => {
        concat!("s.member = e.member AND s.at >= ", counted_from!(), " AND s.at < $3")
    };
}

const SPINS: &str = scores_sql!(
    concat!("(SELECT COUNT(*) FROM spins s WHERE ", spins_where!(), ")"),
    concat!("(SELECT COALESCE(MAX(s.at), 0) FROM spins s WHERE ", spins_where!(), ")")
);

fn scores_query(metric: Metric) -> &'static str {
    match metric {
        Metric::PointsEarned => POINTS_EARNED,
        Metric::PurchaseCount => PURCHASE_COUNT,
        Metric::AmountSpent => AMOUNT_SPENT,
        Metric::Referrals => REFERRALS,
        Metric::Spins => SPINS,
    }
}

macro_rules! contest_stores {
    ($store:ident, $pool:ty, $db:ty, ledger: $ledger:ident, log: $log:ident, write: $begin_write:literal, lock: $lock:literal) => {
        pub struct $store {
            pool: $pool,
        }

        type Conn = <$db as sqlx::Database>::Connection;

        fn contest_of(row: &<$db as sqlx::Database>::Row) -> StoreResult<StoredContest> {
            let stage: String = row.try_get("stage")?;
            let spec: String = row.try_get("spec")?;
            Ok(StoredContest {
                id: row.try_get("id")?,
                contest_id: row.try_get("contest_id")?,
                spec: serde_json::from_str(&spec).map_err(|e| corrupt("contest spec", e))?,
                stage: match stage.as_str() {
                    "open" => Stage::Open,
                    "finished" => Stage::Finished,
                    other => return Err(corrupt("contest stage", other)),
                },
                entrants: unsigned(row.try_get("entrants")?, "entrants")?,
                open_leaf: unsigned(row.try_get::<Option<i64>, _>("open_leaf")?.ok_or_else(|| corrupt("contest without CONTEST_OPEN", ""))?, "leaf")?,
                result_leaf: row.try_get::<Option<i64>, _>("result_leaf")?.map(|l| unsigned(l, "leaf")).transpose()?,
                raffle: row.try_get("raffle")?,
                board_at: row.try_get::<Option<i64>, _>("board_at")?.map(Timestamp::from_unix_millis),
            })
        }

        fn board_row(row: &<$db as sqlx::Database>::Row) -> StoreResult<BoardRow> {
            Ok(BoardRow {
                member: member_of(row.try_get("member")?)?,
                pseudonym: row.try_get("pseudonym")?,
                score: unsigned(row.try_get("score")?, "score")?,
                reached_at: Timestamp::from_unix_millis(row.try_get("reached_at")?),
                seq: unsigned(row.try_get("seq")?, "seq")?,
            })
        }

        impl $store {
            pub fn new(pool: $pool) -> Self {
                Self { pool }
            }

            async fn locked(conn: &mut Conn, id: i64) -> StoreResult<Option<StoredContest>> {
                let row = sqlx::query(concat!(contest_columns!(), " WHERE id = $1", $lock)).bind(id).fetch_optional(&mut *conn).await?;
                row.as_ref().map(contest_of).transpose()
            }

            async fn stored_answer(conn: &mut Conn, contest: i64, member: MemberId, key: &str) -> StoreResult<Option<(String, JoinReceipt)>> {
                let row = sqlx::query("SELECT request, answer FROM contest_entrants WHERE contest = $1 AND member = $2 AND client_key = $3")
                    .bind(contest)
                    .bind(member.get())
                    .bind(key)
                    .fetch_optional(&mut *conn)
                    .await?;
                row.map(|row| {
                    let answer: String = row.try_get("answer")?;
                    let receipt = serde_json::from_str(&answer).map_err(|e| corrupt("contest answer", e))?;
                    Ok((row.try_get("request")?, receipt))
                })
                .transpose()
            }

            async fn scores_in(conn: &mut Conn, contest: &StoredContest, until: Timestamp) -> StoreResult<Vec<BoardRow>> {
                let until = until.min(contest.spec.ends_at());
                let rows = sqlx::query(scores_query(contest.spec.metric()))
                    .bind(contest.id)
                    .bind(contest.spec.starts_at().unix_millis())
                    .bind(until.unix_millis())
                    .fetch_all(&mut *conn)
                    .await?;
                rows.iter()
                    .map(|row| {
                        // Returns may take back more points than the period earned: never below zero.
                        let score: i64 = row.try_get("score")?;
                        Ok(BoardRow {
                            member: member_of(row.try_get("member")?)?,
                            pseudonym: row.try_get("pseudonym")?,
                            score: u64::try_from(score).unwrap_or(0),
                            reached_at: Timestamp::from_unix_millis(row.try_get("reached")?),
                            seq: unsigned(row.try_get("seq")?, "seq")?,
                        })
                    })
                    .collect()
            }

            async fn publish_in(conn: &mut Conn, contest: i64, rows: &[BoardRow], at: Timestamp) -> StoreResult<()> {
                sqlx::query("DELETE FROM contest_board WHERE contest = $1").bind(contest).execute(&mut *conn).await?;
                let rows: Vec<&BoardRow> = rows.iter().filter(|r| r.score > 0).collect();
                for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                    let mut values = Vec::with_capacity(chunk.len());
                    for row in chunk {
                        values.push((row.member.get(), signed(row.score, "score")?, row.reached_at.unix_millis(), signed(row.seq, "seq")?, row.pseudonym.clone()));
                    }
                    let mut insert =
                        sqlx::QueryBuilder::<$db>::new("INSERT INTO contest_board (contest, member, score, reached_at, seq, pseudonym) ");
                    insert.push_values(values, |mut b, (member, score, reached, seq, pseudonym)| {
                        b.push_bind(contest).push_bind(member).push_bind(score).push_bind(reached).push_bind(seq).push_bind(pseudonym);
                    });
                    insert.build().execute(&mut *conn).await?;
                }
                sqlx::query("UPDATE contests SET board_at = $2 WHERE id = $1").bind(contest).bind(at.unix_millis()).execute(&mut *conn).await?;
                Ok(())
            }

            async fn try_join(&self, w: &JoinWrite, request: &str, now: Timestamp) -> StoreResult<Result<Outcome<JoinReceipt>, JoinRefused>> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                macro_rules! refuse {
                    ($why:expr) => {{
                        tx.rollback().await?;
                        return Ok(Err($why));
                    }};
                }
                let Some(contest) = Self::locked(&mut tx, w.contest).await? else { refuse!(JoinRefused::NoContest) };
                // Under the contest's lock: a concurrent duplicate has committed (and is found) or left nothing.
                if let Some((stored, receipt)) = Self::stored_answer(&mut tx, w.contest, w.member, &w.client_key).await? {
                    tx.rollback().await?;
                    return Ok(if stored == request { Ok(Outcome::Replayed(receipt)) } else { Err(JoinRefused::KeyReused) });
                }
                if contest.stage != Stage::Open || now >= contest.spec.ends_at() {
                    refuse!(JoinRefused::Ended);
                }
                let joined: Option<i64> = sqlx::query_scalar("SELECT seq FROM contest_entrants WHERE contest = $1 AND member = $2")
                    .bind(contest.id)
                    .bind(w.member.get())
                    .fetch_optional(&mut *tx)
                    .await?;
                if joined.is_some() {
                    refuse!(JoinRefused::AlreadyJoined);
                }
                let fee = contest.spec.entry_fee();
                if !fee.is_zero() {
                    let charge = Request::Spend { member: w.member, amount: Amount::Points(fee) };
                    if let Err(refused) = $ledger::apply_in(&mut tx, &keyed_client_id("contest", contest.id, w.member, &w.client_key)?, charge, now).await? {
                        refuse!(JoinRefused::Ledger(refused));
                    }
                }
                // The same construction as a draw's user commit: linkable within the contest only.
                let pseudonym = fairdraw::user_commit(&contest.contest_id, &w.member.to_string(), &w.fresh_salt)
                    .map_err(|e| corrupt("contest pseudonym", e))?;
                let seq = contest.entrants + 1;
                let balances = $ledger::lock_member(&mut tx, w.member).await?.balances;
                let receipt = JoinReceipt { contest: contest.id, pseudonym: hexstr::encode(&pseudonym), seq, points_charged: fee.get(), balances };
                let answer = serde_json::to_string(&receipt).map_err(|e| corrupt("contest answer", e))?;
                sqlx::query(
                    "INSERT INTO contest_entrants (contest, member, seq, pseudonym, client_seed, client_key, request, answer, joined_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(contest.id)
                .bind(w.member.get())
                .bind(signed(seq, "seq")?)
                .bind(&receipt.pseudonym)
                .bind(hexstr::encode(&w.client_seed))
                .bind(&w.client_key)
                .bind(request)
                .bind(&answer)
                .bind(now.unix_millis())
                .execute(&mut *tx)
                .await
                .map_err(|e| StoreError::from_write(e, "contest entrant"))?;
                sqlx::query("UPDATE contests SET entrants = entrants + 1 WHERE id = $1").bind(contest.id).execute(&mut *tx).await?;
                tx.commit().await?;
                Ok(Ok(Outcome::Created(receipt)))
            }
        }

        #[async_trait]
        impl ContestStore for $store {
            async fn create(&self, spec: &ContestSpec, raffle: Option<i64>, now: Timestamp) -> StoreResult<StoredContest> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let text = serde_json::to_string(spec).map_err(|e| corrupt("contest spec", e))?;
                let rules_hash = spec.rules_hash();
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO contests (contest_id, spec, ends_at, raffle, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(format!("pending-{}-{}", hexstr::encode(&rules_hash), now.unix_millis()))
                .bind(&text)
                .bind(spec.ends_at().unix_millis())
                .bind(raffle)
                .bind(now.unix_millis())
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| StoreError::from_write(e, "contest"))?;
                let contest_id = format!("contest-{id}");
                let open = ContestOpen {
                    contest_id: contest_id.clone(),
                    metric: spec.metric().as_str().to_owned(),
                    tie_rule: spec.tie_rule().as_str().to_owned(),
                    prize_mode: spec.prize_mode().as_str().to_owned(),
                    t_start: secs(spec.starts_at())?,
                    t_end: secs(spec.ends_at())?,
                    entry_fee: u64::try_from(spec.entry_fee().get()).map_err(|_| corrupt("entry fee", ""))?,
                    min_score: spec.min_score(),
                    prizes: spec.prize_count(),
                    rules_hash,
                };
                let leaf = $log::append_in(&mut tx, &Record::ContestOpen(open), now).await?;
                sqlx::query("UPDATE contests SET contest_id = $2, open_leaf = $3 WHERE id = $1")
                    .bind(id)
                    .bind(&contest_id)
                    .bind(signed(leaf, "leaf index")?)
                    .execute(&mut *tx)
                    .await?;
                let contest = Self::locked(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
                tx.commit().await?;
                Ok(contest)
            }

            async fn contests(&self) -> StoreResult<Vec<StoredContest>> {
                let rows = sqlx::query(concat!(contest_columns!(), " ORDER BY id DESC")).fetch_all(&self.pool).await?;
                rows.iter().map(contest_of).collect()
            }

            async fn contest(&self, id: i64) -> StoreResult<Option<StoredContest>> {
                let row = sqlx::query(concat!(contest_columns!(), " WHERE id = $1")).bind(id).fetch_optional(&self.pool).await?;
                row.as_ref().map(contest_of).transpose()
            }

            async fn join_answer(&self, contest: i64, member: MemberId, client_key: &str) -> StoreResult<Option<(String, JoinReceipt)>> {
                let mut conn = self.pool.acquire().await?;
                Self::stored_answer(&mut conn, contest, member, client_key).await
            }

            async fn join(&self, w: &JoinWrite, request: &str, now: Timestamp) -> StoreResult<Result<Outcome<JoinReceipt>, JoinRefused>> {
                retried!(self.try_join(w, request, now))
            }

            async fn entrant(&self, contest: i64, member: MemberId) -> StoreResult<Option<Entrant>> {
                let row = sqlx::query("SELECT member, seq, pseudonym, joined_at, client_seed FROM contest_entrants WHERE contest = $1 AND member = $2")
                    .bind(contest)
                    .bind(member.get())
                    .fetch_optional(&self.pool)
                    .await?;
                row.map(|row| {
                    let seed: String = row.try_get("client_seed")?;
                    Ok(Entrant {
                        member: member_of(row.try_get("member")?)?,
                        seq: unsigned(row.try_get("seq")?, "seq")?,
                        pseudonym: row.try_get("pseudonym")?,
                        joined_at: Timestamp::from_unix_millis(row.try_get("joined_at")?),
                        client_seed: hexstr::decode32(&seed).ok_or_else(|| corrupt("client seed", &seed))?,
                    })
                })
                .transpose()
            }

            async fn scores(&self, contest: i64, until: Timestamp) -> StoreResult<Vec<BoardRow>> {
                let stored = self.contest(contest).await?.ok_or(StoreError::NotFound)?;
                let mut conn = self.pool.acquire().await?;
                Self::scores_in(&mut conn, &stored, until).await
            }

            async fn due_to_finish(&self, ended_by: Timestamp) -> StoreResult<Vec<i64>> {
                Ok(sqlx::query_scalar("SELECT id FROM contests WHERE stage = 'open' AND ends_at <= $1 ORDER BY id")
                    .bind(ended_by.unix_millis())
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn finish(&self, id: i64, expiry: ExpiryPolicy, now: Timestamp) -> StoreResult<bool> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let Some(contest) = Self::locked(&mut tx, id).await? else { return Ok(false) };
                // The log before any member, as a spin and a draw take them.
                $log::lock_in(&mut tx).await?;
                if contest.stage != Stage::Open {
                    tx.rollback().await?;
                    return Ok(false);
                }
                let end = contest.spec.ends_at();
                let rows = Self::scores_in(&mut tx, &contest, end).await?;
                Self::publish_in(&mut tx, id, &rows, end).await?;
                let board = standings(rows.iter().map(BoardRow::score), contest.spec.tie_rule());
                let row_of = |member: MemberId| rows.iter().find(|r| r.member == member);
                let pseudonym = |member: MemberId| row_of(member).map(|r| r.pseudonym.as_str()).unwrap_or_default();
                let won = awards(&contest.spec, &board);
                let mut by_member: Vec<_> = won.iter().collect();
                by_member.sort_by_key(|a| a.standing.score.member);
                for award in by_member {
                    let member = award.standing.score.member;
                    if let Some((points, credit)) = award.prize.ledger_amounts() {
                        let earn = Request::Earn(Earn { member, points, credit, policy: expiry, pending_days: 0, purchase: None });
                        if let Err(refused) = $ledger::apply_in(&mut tx, &prize_id(id, member)?, earn, now).await? {
                            return Err(corrupt("contest prize refused by the ledger", refused));
                        }
                    }
                    sqlx::query("INSERT INTO contest_awards (contest, member, rank, score, prize) VALUES ($1, $2, $3, $4, $5)")
                        .bind(id)
                        .bind(member.get())
                        .bind(signed(award.standing.rank, "rank")?)
                        .bind(signed(award.standing.score.score, "score")?)
                        .bind(serde_json::to_string(award.prize).map_err(|e| corrupt("prize", e))?)
                        .execute(&mut *tx)
                        .await?;
                }
                let facts = board.iter().map(|s| StandingFact {
                    member: pseudonym(s.score.member),
                    rank: s.rank,
                    score: s.score.score,
                    reached_at: u64::try_from(s.score.reached_at.unix_millis()).unwrap_or(0),
                    joined: s.score.joined,
                });
                let root = standings_root(&contest.contest_id, facts).map_err(|e| corrupt("standings root", e))?;
                let result = ContestResult {
                    contest_id: contest.contest_id.clone(),
                    n: board.len() as u64,
                    standings_root: root,
                    winners: won
                        .iter()
                        .map(|a| RankedWinner {
                            member: pseudonym(a.standing.score.member).to_owned(),
                            rank: a.standing.rank,
                            score: a.standing.score.score,
                        })
                        .collect(),
                };
                let leaf = $log::append_in(&mut tx, &Record::ContestResult(result), now).await?;
                sqlx::query("UPDATE contests SET stage = 'finished', result_leaf = $2, finished_at = $3 WHERE id = $1")
                    .bind(id)
                    .bind(signed(leaf, "leaf index")?)
                    .bind(now.unix_millis())
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn awards(&self, contest: i64) -> StoreResult<Vec<AwardRow>> {
                let rows = sqlx::query(
                    "SELECT a.member, a.rank, a.score, a.prize, e.pseudonym FROM contest_awards a \
                     JOIN contest_entrants e ON e.contest = a.contest AND e.member = a.member \
                     WHERE a.contest = $1 ORDER BY a.rank, e.seq",
                )
                .bind(contest)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|row| {
                        let prize: String = row.try_get("prize")?;
                        Ok(AwardRow {
                            member: member_of(row.try_get("member")?)?,
                            pseudonym: row.try_get("pseudonym")?,
                            rank: unsigned(row.try_get("rank")?, "rank")?,
                            score: unsigned(row.try_get("score")?, "score")?,
                            prize: serde_json::from_str(&prize).map_err(|e| corrupt("prize", e))?,
                        })
                    })
                    .collect()
            }

            async fn publish_board(&self, contest: i64, rows: &[BoardRow], at: Timestamp) -> StoreResult<()> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                // A finished contest's board is its frozen standings: a late refresh leaves it.
                let stage: Option<String> = sqlx::query_scalar(concat!("SELECT stage FROM contests WHERE id = $1", $lock))
                    .bind(contest)
                    .fetch_optional(&mut *tx)
                    .await?;
                if stage.as_deref() == Some("open") {
                    Self::publish_in(&mut tx, contest, rows, at).await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn board_top(&self, contest: i64, n: u32) -> StoreResult<Vec<BoardRow>> {
                let rows = sqlx::query(
                    "SELECT member, pseudonym, score, reached_at, seq FROM contest_board WHERE contest = $1 \
                     ORDER BY score DESC, reached_at, seq LIMIT $2",
                )
                .bind(contest)
                .bind(i64::from(n))
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(board_row).collect()
            }

            async fn board_place(&self, contest: i64, member: MemberId, shared: bool) -> StoreResult<Option<(BoardRow, u64)>> {
                let row = sqlx::query("SELECT member, pseudonym, score, reached_at, seq FROM contest_board WHERE contest = $1 AND member = $2")
                    .bind(contest)
                    .bind(member.get())
                    .fetch_optional(&self.pool)
                    .await?;
                let Some(row) = row.as_ref().map(board_row).transpose()? else { return Ok(None) };
                let above: i64 = if shared {
                    sqlx::query_scalar("SELECT COUNT(*) FROM contest_board WHERE contest = $1 AND score > $2")
                        .bind(contest)
                        .bind(signed(row.score, "score")?)
                        .fetch_one(&self.pool)
                        .await?
                } else {
                    sqlx::query_scalar(
                        "SELECT COUNT(*) FROM contest_board WHERE contest = $1 AND (score > $2 OR (score = $2 AND \
                         (reached_at < $3 OR (reached_at = $3 AND seq < $4))))",
                    )
                    .bind(contest)
                    .bind(signed(row.score, "score")?)
                    .bind(row.reached_at.unix_millis())
                    .bind(signed(row.seq, "seq")?)
                    .fetch_one(&self.pool)
                    .await?
                };
                Ok(Some((row, unsigned(above, "rank")?)))
            }

            async fn board_size(&self, contest: i64) -> StoreResult<u64> {
                let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM contest_board WHERE contest = $1").bind(contest).fetch_one(&self.pool).await?;
                unsigned(n, "board size")
            }
        }

    };
}

mod sqlite {
    use super::*;
    contest_stores!(SqliteContests, SqlitePool, sqlx::Sqlite, ledger: SqliteLedger, log: SqliteFairLog,
        write: "BEGIN IMMEDIATE", lock: "");
}

mod postgres {
    use super::*;
    contest_stores!(PgContests, PgPool, sqlx::Postgres, ledger: PgLedger, log: PgFairLog,
        write: "BEGIN", lock: " FOR UPDATE");
}

pub use postgres::PgContests;
pub use sqlite::SqliteContests;
