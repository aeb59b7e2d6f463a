//! `RaffleStore` in SQL that SQLite and PostgreSQL both accept, one body expanded per backend.
//!
//! Lock order: the raffle row first. A buy then locks its member (the ledger's own helper) and
//! never the log. A close appends to the log and locks no member. A draw takes the log's lock,
//! then the coupon listings of its coupon prizes, then the winners in ascending id order, as a
//! spin takes the log before its member and a coupon buy its listing before its member, so no
//! cycle forms. (SQLite: the write lock taken at `BEGIN IMMEDIATE` covers all of it.)

use async_trait::async_trait;
use engine::fair::fairdraw::{self, Entry};
use engine::fair::fairdraw_verify::{Draw, run};
use engine::fair::log::{DrawClose, DrawOpen, DrawResult, DrawReveal};
use engine::fair::{Beacon, Hash, Record, hexstr, sha256};
use engine::ledger::{Amount, ClientId, Earn, ExpiryPolicy, MemberId, Outcome, Points, Request};
use engine::raffle::{RafflePrizeKind, RaffleSpec, buy, payout};
use engine::time::Timestamp;
use sqlx::{PgPool, Row, SqlitePool};

use crate::features::coupons::server::store_sql::{PgCoupons, SqliteCoupons};
use crate::features::fairness::server::store_sql::{PgFairLog, SqliteFairLog};
use crate::features::raffles::server::store::{
    BuyReceipt, BuyRefused, BuyWrite, DrawEvidence, EntryRow, NewRaffle, OwedTicket, RaffleStore, Stage, StoredRaffle, Ticket,
    WinnerRow,
};
use crate::features::wheels::server::store::VerifiedRound;
use crate::platform::server::store::ledger_sql::{PgLedger, SqliteLedger};
use crate::platform::server::store::{StoreError, StoreResult, corrupt, keyed_client_id, retried, signed, unsigned};

fn hash_of(text: &str) -> StoreResult<Hash> {
    hexstr::decode32(text).ok_or_else(|| corrupt("raffle hash", text))
}

fn spec_of(text: &str) -> StoreResult<RaffleSpec> {
    serde_json::from_str(text).map_err(|e| corrupt("raffle spec", e))
}

fn member_of(id: i64) -> StoreResult<MemberId> {
    MemberId::new(id).map_err(|_| corrupt("raffle member", id))
}

fn secs(at: Timestamp) -> StoreResult<u64> {
    u64::try_from(at.unix_millis().div_euclid(1000)).map_err(|_| corrupt("raffle time", at.unix_millis()))
}

/// The ledger client id of the prize of the `position`-th winner: paid once, whatever reruns.
fn prize_id(raffle: i64, position: usize) -> StoreResult<ClientId> {
    let text = format!("raffle:{raffle}:prize:{position}");
    ClientId::parse(&text).map_err(|_| corrupt("raffle client id", &text))
}

/// Tickets written per INSERT: six parameters each, under SQLite's 32,766 and PostgreSQL's 65,535.
const TICKETS_PER_STATEMENT: usize = 1_000;

/// The columns every raffle read selects.
macro_rules! raffle_columns {
    () => {
        "SELECT id, draw_id, spec, server_commit, round, stage, tickets, open_leaf, entries_root, created_at, \
         (SELECT COUNT(*) FROM raffle_entrants e WHERE e.raffle = raffles.id) AS entrants FROM raffles"
    };
}

macro_rules! raffle_stores {
    ($store:ident, $pool:ty, $db:ty, ledger: $ledger:ident, log: $log:ident, coupons: $coupons:ident, write: $begin_write:literal, lock: $lock:literal) => {
        pub struct $store {
            pool: $pool,
        }

        type Conn = <$db as sqlx::Database>::Connection;

        fn raffle_of(row: &<$db as sqlx::Database>::Row) -> StoreResult<StoredRaffle> {
            let stage: String = row.try_get("stage")?;
            Ok(StoredRaffle {
                id: row.try_get("id")?,
                draw_id: row.try_get("draw_id")?,
                spec: spec_of(&row.try_get::<String, _>("spec")?)?,
                server_commit: hash_of(&row.try_get::<String, _>("server_commit")?)?,
                round: unsigned(row.try_get("round")?, "round")?,
                stage: Stage::parse(&stage).ok_or_else(|| corrupt("raffle stage", &stage))?,
                tickets: unsigned(row.try_get("tickets")?, "tickets")?,
                entrants: unsigned(row.try_get("entrants")?, "entrants")?,
                open_leaf: unsigned(row.try_get::<Option<i64>, _>("open_leaf")?.ok_or_else(|| corrupt("raffle without DRAW_OPEN", ""))?, "leaf")?,
                entries_root: row.try_get::<Option<String>, _>("entries_root")?.as_deref().map(hash_of).transpose()?,
                created_at: Timestamp::from_unix_millis(row.try_get("created_at")?),
            })
        }

        impl $store {
            pub fn new(pool: $pool) -> Self {
                Self { pool }
            }

            async fn locked(conn: &mut Conn, id: i64) -> StoreResult<Option<StoredRaffle>> {
                let row = sqlx::query(concat!(raffle_columns!(), " WHERE id = $1", $lock)).bind(id).fetch_optional(&mut *conn).await?;
                row.as_ref().map(raffle_of).transpose()
            }

            async fn stored_answer(conn: &mut Conn, raffle: i64, member: MemberId, key: &str) -> StoreResult<Option<(String, BuyReceipt)>> {
                let row = sqlx::query("SELECT request, answer FROM raffle_buys WHERE raffle = $1 AND member = $2 AND client_key = $3")
                    .bind(raffle)
                    .bind(member.get())
                    .bind(key)
                    .fetch_optional(&mut *conn)
                    .await?;
                row.map(|row| {
                    let answer: String = row.try_get("answer")?;
                    let receipt = serde_json::from_str(&answer).map_err(|e| corrupt("raffle answer", e))?;
                    Ok((row.try_get("request")?, receipt))
                })
                .transpose()
            }

            async fn entries_in(conn: &mut Conn, raffle: i64) -> StoreResult<Vec<(EntryRow, MemberId)>> {
                let rows = sqlx::query(
                    "SELECT t.leaf_index, t.member, t.client_seed, e.user_commit FROM raffle_tickets t \
                     JOIN raffle_entrants e ON e.raffle = t.raffle AND e.member = t.member \
                     WHERE t.raffle = $1 ORDER BY t.leaf_index",
                )
                .bind(raffle)
                .fetch_all(&mut *conn)
                .await?;
                let mut entries = Vec::with_capacity(rows.len());
                for (at, row) in rows.iter().enumerate() {
                    let leaf_index = unsigned(row.try_get("leaf_index")?, "leaf index")?;
                    if leaf_index != at as u64 {
                        return Err(corrupt("gap in the tickets of raffle", raffle));
                    }
                    let seed: String = row.try_get("client_seed")?;
                    let entry = EntryRow {
                        leaf_index,
                        user_commit: hash_of(&row.try_get::<String, _>("user_commit")?)?,
                        weight: 1,
                        client_seed: hexstr::decode32(&seed).ok_or_else(|| corrupt("client seed", &seed))?,
                    };
                    entries.push((entry, member_of(row.try_get("member")?)?));
                }
                Ok(entries)
            }

            async fn try_buy(&self, w: &BuyWrite, request: &str, now: Timestamp) -> StoreResult<Result<Outcome<BuyReceipt>, BuyRefused>> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                macro_rules! refuse {
                    ($why:expr) => {{
                        tx.rollback().await?;
                        return Ok(Err($why));
                    }};
                }
                let Some(raffle) = Self::locked(&mut tx, w.raffle).await? else { refuse!(BuyRefused::NoRaffle) };
                // Under the raffle's lock: a concurrent duplicate has committed (and is found) or left nothing.
                if let Some((stored, receipt)) = Self::stored_answer(&mut tx, w.raffle, w.member, &w.client_key).await? {
                    tx.rollback().await?;
                    return Ok(if stored == request { Ok(Outcome::Replayed(receipt)) } else { Err(BuyRefused::KeyReused) });
                }
                if raffle.stage != Stage::Open {
                    refuse!(BuyRefused::NotSelling);
                }
                let entrant = sqlx::query("SELECT user_commit, tickets FROM raffle_entrants WHERE raffle = $1 AND member = $2")
                    .bind(raffle.id)
                    .bind(w.member.get())
                    .fetch_optional(&mut *tx)
                    .await?;
                let (user_commit, held) = match entrant {
                    Some(row) => {
                        let held = unsigned(row.try_get("tickets")?, "tickets held")?;
                        (hash_of(&row.try_get::<String, _>("user_commit")?)?, u32::try_from(held).map_err(|_| corrupt("tickets held", held))?)
                    }
                    None => {
                        let commit = fairdraw::user_commit(&raffle.draw_id, &w.member.to_string(), &w.fresh_salt)
                            .map_err(|e| corrupt("user commit", e))?;
                        sqlx::query("INSERT INTO raffle_entrants (raffle, member, salt, user_commit, tickets) VALUES ($1, $2, $3, $4, 0)")
                            .bind(raffle.id)
                            .bind(w.member.get())
                            .bind(hexstr::encode(&w.fresh_salt))
                            .bind(hexstr::encode(&commit))
                            .execute(&mut *tx)
                            .await
                            .map_err(|e| StoreError::from_write(e, "raffle entrant"))?;
                        (commit, 0)
                    }
                };
                let cost = match buy(&raffle.spec, &w.tier, held, w.count, now) {
                    Ok(_) if w.granted => Points::ZERO,
                    Ok(cost) => cost,
                    Err(refusal) => refuse!(BuyRefused::Rules(refusal)),
                };
                let buy_id: i64 = sqlx::query_scalar(
                    "INSERT INTO raffle_buys (raffle, member, client_key, request, answer, at) VALUES ($1, $2, $3, $4, '', $5) RETURNING id",
                )
                .bind(raffle.id)
                .bind(w.member.get())
                .bind(&w.client_key)
                .bind(request)
                .bind(now.unix_millis())
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| StoreError::from_write(e, "raffle buy key"))?;
                if !cost.is_zero() {
                    let charge = Request::Spend { member: w.member, amount: Amount::Points(cost) };
                    if let Err(refused) = $ledger::apply_in(&mut tx, &keyed_client_id("raffle", raffle.id, w.member, &w.client_key)?, charge, now).await? {
                        refuse!(BuyRefused::Ledger(refused));
                    }
                }
                let entry = Entry { user_commit, weight: 1, client_seed: w.client_seed };
                let leaf = fairdraw::entry_leaf(&raffle.draw_id, &entry).map_err(|e| corrupt("entry leaf", e))?;
                let leaf_hash = hexstr::encode(&engine::fair::merkle::leaf_hash(&leaf));
                let seed = hexstr::encode(&w.client_seed);
                let first = raffle.tickets;
                let leaves: Vec<u64> = (first..first + u64::from(w.count)).collect();
                // Multi-row inserts: one statement per chunk, well inside both backends' limits
                // on bound parameters.
                for chunk in leaves.chunks(TICKETS_PER_STATEMENT) {
                    let mut insert = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO raffle_tickets (raffle, leaf_index, member, buy, client_seed, leaf_hash) ",
                    );
                    let mut rows = Vec::with_capacity(chunk.len());
                    for &leaf in chunk {
                        rows.push(signed(leaf, "leaf index")?);
                    }
                    insert.push_values(rows, |mut row, leaf| {
                        row.push_bind(raffle.id).push_bind(leaf).push_bind(w.member.get()).push_bind(buy_id).push_bind(seed.clone()).push_bind(leaf_hash.clone());
                    });
                    insert.build().execute(&mut *tx).await?;
                }
                sqlx::query("UPDATE raffles SET tickets = tickets + $2 WHERE id = $1")
                    .bind(raffle.id)
                    .bind(i64::from(w.count))
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("UPDATE raffle_entrants SET tickets = tickets + $3 WHERE raffle = $1 AND member = $2")
                    .bind(raffle.id)
                    .bind(w.member.get())
                    .bind(i64::from(w.count))
                    .execute(&mut *tx)
                    .await?;
                let balances = $ledger::lock_member(&mut tx, w.member).await?.balances;
                let receipt = BuyReceipt {
                    raffle: raffle.id,
                    draw_id: raffle.draw_id.clone(),
                    first_leaf: first,
                    count: w.count,
                    leaf_hash,
                    points_charged: cost.get(),
                    user_commit: hexstr::encode(&user_commit),
                    client_seed: seed,
                    held: held + w.count,
                    balances,
                };
                let answer = serde_json::to_string(&receipt).map_err(|e| corrupt("raffle answer", e))?;
                sqlx::query("UPDATE raffle_buys SET answer = $2 WHERE id = $1").bind(buy_id).bind(answer).execute(&mut *tx).await?;
                tx.commit().await?;
                Ok(Ok(Outcome::Created(receipt)))
            }
        }

        #[async_trait]
        impl RaffleStore for $store {
            async fn create(&self, new: &NewRaffle, now: Timestamp) -> StoreResult<StoredRaffle> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let spec = serde_json::to_string(&new.spec).map_err(|e| corrupt("raffle spec", e))?;
                let commit = fairdraw::server_commit(&new.server_seed);
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO raffles (draw_id, spec, server_seed, server_commit, round, closes_at, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(format!("pending-{}", hexstr::encode(&commit)))
                .bind(&spec)
                .bind(hexstr::encode(&new.server_seed))
                .bind(hexstr::encode(&commit))
                .bind(signed(new.round, "round")?)
                .bind(new.spec.closes_at().unix_millis())
                .bind(now.unix_millis())
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| StoreError::from_write(e, "raffle"))?;
                let draw_id = format!("raffle-{id}");
                let open = DrawOpen {
                    draw_id: draw_id.clone(),
                    prizes: new.spec.prize_count(),
                    ticket_price: u64::try_from(new.spec.ticket_price().get()).map_err(|_| corrupt("ticket price", ""))?,
                    per_member_limit: u64::from(new.spec.per_member_limit()),
                    t_open: secs(new.spec.opens_at())?,
                    t_close: secs(new.spec.closes_at())?,
                    round: new.round,
                    server_commit: commit,
                };
                let leaf = $log::append_in(&mut tx, &Record::DrawOpen(open), now).await?;
                sqlx::query("UPDATE raffles SET draw_id = $2, open_leaf = $3 WHERE id = $1")
                    .bind(id)
                    .bind(&draw_id)
                    .bind(signed(leaf, "leaf index")?)
                    .execute(&mut *tx)
                    .await?;
                let raffle = Self::locked(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
                tx.commit().await?;
                Ok(raffle)
            }

            async fn raffles(&self) -> StoreResult<Vec<StoredRaffle>> {
                let rows = sqlx::query(concat!(raffle_columns!(), " ORDER BY id DESC")).fetch_all(&self.pool).await?;
                rows.iter().map(raffle_of).collect()
            }

            async fn raffle(&self, id: i64) -> StoreResult<Option<StoredRaffle>> {
                let row = sqlx::query(concat!(raffle_columns!(), " WHERE id = $1")).bind(id).fetch_optional(&self.pool).await?;
                row.as_ref().map(raffle_of).transpose()
            }

            async fn buy_answer(&self, raffle: i64, member: MemberId, client_key: &str) -> StoreResult<Option<(String, BuyReceipt)>> {
                let mut conn = self.pool.acquire().await?;
                Self::stored_answer(&mut conn, raffle, member, client_key).await
            }

            async fn buy(&self, w: &BuyWrite, request: &str, now: Timestamp) -> StoreResult<Result<Outcome<BuyReceipt>, BuyRefused>> {
                retried!(self.try_buy(w, request, now))
            }

            async fn owed_tickets(&self, raffle: i64, until: Timestamp, limit: i64) -> StoreResult<Vec<OwedTicket>> {
                let Some(stored) = self.raffle(raffle).await? else { return Ok(Vec::new()) };
                let Some(minimum) = stored.spec.ticket_per_purchase() else { return Ok(Vec::new()) };
                let until = until.min(stored.spec.closes_at());
                let rows = sqlx::query(
                    "SELECT p.id, p.member, p.created_at FROM pos_purchases p \
                     WHERE p.created_at >= $2 AND p.created_at < $3 AND p.amount >= $4 \
                     AND NOT EXISTS (SELECT 1 FROM raffle_buys b WHERE b.raffle = $1 AND b.member = p.member \
                                     AND b.client_key = 'purchase:' || CAST(p.id AS TEXT)) \
                     AND NOT EXISTS (SELECT 1 FROM raffle_purchase_skips s WHERE s.raffle = $1 AND s.purchase = p.id) \
                     ORDER BY p.id LIMIT $5",
                )
                .bind(raffle)
                .bind(stored.spec.opens_at().unix_millis())
                .bind(until.unix_millis())
                .bind(minimum.to_minor())
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|row| {
                        Ok(OwedTicket {
                            purchase: row.try_get("id")?,
                            member: member_of(row.try_get("member")?)?,
                            at: Timestamp::from_unix_millis(row.try_get("created_at")?),
                        })
                    })
                    .collect()
            }

            async fn skip_owed(&self, raffle: i64, purchase: i64) -> StoreResult<()> {
                sqlx::query("INSERT INTO raffle_purchase_skips (raffle, purchase) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(raffle)
                    .bind(purchase)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn tickets(&self, raffle: i64, member: MemberId) -> StoreResult<Vec<Ticket>> {
                let rows = sqlx::query(
                    "SELECT leaf_index, leaf_hash FROM raffle_tickets WHERE raffle = $1 AND member = $2 ORDER BY leaf_index",
                )
                .bind(raffle)
                .bind(member.get())
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|row| Ok(Ticket { leaf_index: unsigned(row.try_get("leaf_index")?, "leaf index")?, leaf_hash: row.try_get("leaf_hash")? }))
                    .collect()
            }

            async fn due_to_close(&self, now: Timestamp) -> StoreResult<Vec<i64>> {
                Ok(sqlx::query_scalar("SELECT id FROM raffles WHERE stage = 'open' AND closes_at <= $1 ORDER BY id")
                    .bind(now.unix_millis())
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn close(&self, id: i64, now: Timestamp) -> StoreResult<bool> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let Some(raffle) = Self::locked(&mut tx, id).await? else { return Ok(false) };
                if raffle.stage != Stage::Open || now < raffle.spec.closes_at() {
                    tx.rollback().await?;
                    return Ok(false);
                }
                let entries: Vec<Entry> = Self::entries_in(&mut tx, id)
                    .await?
                    .into_iter()
                    .map(|(e, _)| Entry { user_commit: e.user_commit, weight: e.weight, client_seed: e.client_seed })
                    .collect();
                let close = fairdraw::close(&raffle.draw_id, &entries).map_err(|e| corrupt("draw close", e))?;
                let seed: String = sqlx::query_scalar("SELECT server_seed FROM raffles WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
                let server_seed = hexstr::decode32(&seed).ok_or_else(|| corrupt("server seed of raffle", id))?;
                let close_leaf = $log::append_in(&mut tx, &Record::DrawClose(DrawClose::new(&raffle.draw_id, &close)), now).await?;
                let reveal = DrawReveal { draw_id: raffle.draw_id.clone(), server_seed };
                let reveal_leaf = $log::append_in(&mut tx, &Record::DrawReveal(reveal), now).await?;
                sqlx::query(
                    "UPDATE raffles SET stage = 'closed', close_leaf = $2, reveal_leaf = $3, entries_root = $4, total_weight = $5 WHERE id = $1",
                )
                .bind(id)
                .bind(signed(close_leaf, "leaf index")?)
                .bind(signed(reveal_leaf, "leaf index")?)
                .bind(hexstr::encode(&close.entries_root))
                .bind(signed(close.w, "weight")?)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn due_to_draw(&self) -> StoreResult<Vec<(i64, u64)>> {
                let rows = sqlx::query("SELECT id, round FROM raffles WHERE stage = 'closed' ORDER BY id").fetch_all(&self.pool).await?;
                rows.iter().map(|row| Ok((row.try_get("id")?, unsigned(row.try_get("round")?, "round")?))).collect()
            }

            async fn draw(&self, id: i64, beacon: Option<&VerifiedRound>, expiry: ExpiryPolicy, now: Timestamp) -> StoreResult<bool> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let Some(raffle) = Self::locked(&mut tx, id).await? else { return Ok(false) };
                // The log before any member, as a spin takes them: no cycle with a winner's spin.
                $log::lock_in(&mut tx).await?;
                if raffle.stage != Stage::Closed {
                    tx.rollback().await?;
                    return Ok(false);
                }
                let beacon_value = match beacon {
                    Some(r) if r.round == raffle.round && raffle.round != 0 => Beacon::from_signature(r.round, &r.signature),
                    None if raffle.round == 0 => Beacon::NONE,
                    _ => return Err(corrupt("beacon round does not match the pinned round of raffle", id)),
                };
                let rows = Self::entries_in(&mut tx, id).await?;
                let entries: Vec<Entry> =
                    rows.iter().map(|(e, _)| Entry { user_commit: e.user_commit, weight: e.weight, client_seed: e.client_seed }).collect();
                let seed: String = sqlx::query_scalar("SELECT server_seed FROM raffles WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
                let server_seed = hexstr::decode32(&seed).ok_or_else(|| corrupt("server seed of raffle", id))?;
                let open: String = sqlx::query_scalar("SELECT record FROM fairlog_records WHERE leaf_index = $1")
                    .bind(signed(raffle.open_leaf, "leaf index")?)
                    .fetch_one(&mut *tx)
                    .await?;
                let k = usize::try_from(raffle.spec.prize_count()).map_err(|_| corrupt("prize count", id))?;
                let outcome = run(&Draw {
                    draw_id: &raffle.draw_id,
                    open_record_hash: sha256(open.as_bytes()),
                    server_seed,
                    beacon: beacon_value,
                    k,
                    entries: &entries,
                })
                .map_err(|e| corrupt("draw", e))?;
                if Some(outcome.close.entries_root) != raffle.entries_root {
                    return Err(corrupt("tickets changed after the close of raffle", id));
                }
                let winners: Vec<u64> = outcome.winners.iter().map(|&w| w as u64).collect();
                let owner = |leaf: u64| rows.get(usize::try_from(leaf).ok()?).map(|(e, m)| (*m, e.user_commit));
                let awards = payout(&raffle.spec, &winners, owner).map_err(|leaf| corrupt("winning leaf without a ticket", leaf))?;
                let mut by_member: Vec<_> = awards.iter().collect();
                by_member.sort_by_key(|a| a.member.0);
                // Coupon prizes first: their listings are locked before any member, as a coupon
                // buy locks them, so no cycle forms with a buy.
                let holder = crate::features::raffles::server::service::prize_holder(&raffle.server_commit);
                for award in &awards {
                    if let RafflePrizeKind::Coupon { listing } = award.prize.kind {
                        let key = format!("raffle:{id}:prize:{}", award.position);
                        if $coupons::award_held_in(&mut tx, &holder, listing, award.member.0, &key, now).await?.is_none() {
                            return Err(corrupt("no coupon code held for the prize of raffle", id));
                        }
                    }
                }
                // Prizes nobody won (fewer entrants than prizes) go back on sale.
                $coupons::release_held_in(&mut tx, &holder).await?;
                for award in by_member {
                    if let Some((points, credit)) = award.prize.ledger_amounts() {
                        let member = award.member.0;
                        let earn = Request::Earn(Earn { member, points, credit, policy: expiry, pending_days: 0, purchase: None });
                        if let Err(refused) = $ledger::apply_in(&mut tx, &prize_id(id, award.position)?, earn, now).await? {
                            return Err(corrupt("prize refused by the ledger", refused));
                        }
                    }
                }
                for award in &awards {
                    sqlx::query("INSERT INTO raffle_winners (raffle, position, leaf_index, member, prize) VALUES ($1, $2, $3, $4, $5)")
                        .bind(id)
                        .bind(award.position as i64)
                        .bind(signed(award.leaf_index, "leaf index")?)
                        .bind(award.member.0.get())
                        .bind(serde_json::to_string(award.prize).map_err(|e| corrupt("prize", e))?)
                        .execute(&mut *tx)
                        .await?;
                }
                let signature = beacon.map(|r| r.signature.clone()).unwrap_or_default();
                let result = DrawResult::new(&raffle.draw_id, raffle.round, &signature, &outcome);
                let result_leaf = $log::append_in(&mut tx, &Record::DrawResult(result), now).await?;
                sqlx::query(
                    "UPDATE raffles SET stage = 'drawn', result_leaf = $2, seed = $3, beacon_signature = $4, drawn_at = $5 WHERE id = $1",
                )
                .bind(id)
                .bind(signed(result_leaf, "leaf index")?)
                .bind(hexstr::encode(&outcome.seed))
                .bind(hexstr::encode(&signature))
                .bind(now.unix_millis())
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn entries(&self, raffle: i64) -> StoreResult<Vec<EntryRow>> {
                let mut conn = self.pool.acquire().await?;
                Ok(Self::entries_in(&mut conn, raffle).await?.into_iter().map(|(e, _)| e).collect())
            }

            async fn winners(&self, raffle: i64) -> StoreResult<Vec<WinnerRow>> {
                let rows = sqlx::query(
                    "SELECT w.position, w.leaf_index, w.member, w.prize, e.user_commit FROM raffle_winners w \
                     JOIN raffle_entrants e ON e.raffle = w.raffle AND e.member = w.member \
                     WHERE w.raffle = $1 ORDER BY w.position",
                )
                .bind(raffle)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|row| {
                        let prize: String = row.try_get("prize")?;
                        Ok(WinnerRow {
                            position: unsigned(row.try_get("position")?, "position")?,
                            leaf_index: unsigned(row.try_get("leaf_index")?, "leaf index")?,
                            member: member_of(row.try_get("member")?)?,
                            user_commit: hash_of(&row.try_get::<String, _>("user_commit")?)?,
                            prize: serde_json::from_str(&prize).map_err(|e| corrupt("prize", e))?,
                        })
                    })
                    .collect()
            }

            async fn evidence(&self, raffle: i64) -> StoreResult<Option<DrawEvidence>> {
                let row = sqlx::query(
                    "SELECT open_leaf, close_leaf, reveal_leaf, result_leaf, server_seed, round, beacon_signature FROM raffles WHERE id = $1",
                )
                .bind(raffle)
                .fetch_optional(&self.pool)
                .await?;
                row.map(|row| {
                    let leaf = |name: &str| -> StoreResult<Option<u64>> {
                        row.try_get::<Option<i64>, _>(name)?.map(|l| unsigned(l, "leaf index")).transpose()
                    };
                    let reveal = match leaf("reveal_leaf")? {
                        Some(at) => {
                            let seed: String = row.try_get("server_seed")?;
                            Some((at, hexstr::decode32(&seed).ok_or_else(|| corrupt("server seed of raffle", raffle))?))
                        }
                        None => None,
                    };
                    let round = unsigned(row.try_get("round")?, "round")?;
                    let signature: Option<String> = row.try_get("beacon_signature")?;
                    let beacon = match signature.filter(|s| !s.is_empty() && round != 0) {
                        Some(hex) => Some(VerifiedRound {
                            round,
                            signature: hexstr::decode(&hex).ok_or_else(|| corrupt("beacon signature of raffle", raffle))?,
                        }),
                        None => None,
                    };
                    Ok(DrawEvidence {
                        open_leaf: leaf("open_leaf")?.ok_or_else(|| corrupt("raffle without DRAW_OPEN", raffle))?,
                        close_leaf: leaf("close_leaf")?,
                        reveal,
                        result_leaf: leaf("result_leaf")?,
                        beacon,
                    })
                })
                .transpose()
            }
        }
    };
}

mod sqlite {
    use super::*;
    raffle_stores!(SqliteRaffles, SqlitePool, sqlx::Sqlite, ledger: SqliteLedger, log: SqliteFairLog, coupons: SqliteCoupons,
        write: "BEGIN IMMEDIATE", lock: "");
}

mod postgres {
    use super::*;
    raffle_stores!(PgRaffles, PgPool, sqlx::Postgres, ledger: PgLedger, log: PgFairLog, coupons: PgCoupons,
        write: "BEGIN", lock: " FOR UPDATE");
}

pub use postgres::PgRaffles;
pub use sqlite::SqliteRaffles;
