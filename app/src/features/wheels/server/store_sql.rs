//! `WheelStore` in SQL that SQLite and PostgreSQL both accept, one body expanded per backend.
//!
//! Lock order inside a spin, the same for every writer: the wheel row, the member's seed pair,
//! the member's ledger row (the ledger's own helper), and last the log (SQLite: the write lock
//! taken at `BEGIN IMMEDIATE` covers all of it; PostgreSQL: `FOR UPDATE`, then the log's
//! advisory lock at the first append).

use async_trait::async_trait;
use engine::fair::fairspin::{self, ClientSeed, Segment, Spin};
use engine::fair::log::{SpinRecord, SpinSeedCommit, SpinSeedReveal, WheelConfig};
use engine::fair::{Beacon, Hash, Record, hexstr, sha256};
use engine::ledger::{
    Amount, Asset, ClientId, Earn, MemberId, Money, Outcome, Points, Request,
};
use engine::time::Timestamp;
use engine::wheel::{Left, Payment, Prize, SegmentSpec, WheelSpec, carried_left, consume, in_force, payment};
use sqlx::{PgPool, Row, SqlitePool};

use crate::features::coupons::server::store_sql::{PgCoupons, SqliteCoupons};
use crate::features::fairness::server::store_sql::{PgFairLog, SqliteFairLog};
use crate::platform::server::store::ledger_sql::{PgLedger, SqliteLedger, write_error};
use crate::features::wheels::server::store::{
    MemberWheel, RevealedPair, SeedPair, SpinEvidence, SpinReceipt, SpinRefusal, SpinRow, SpinWrite, StoredWheel,
    WheelStore,
};
use crate::platform::server::store::{StoreError, StoreResult};

use crate::platform::server::store::retried;

use crate::platform::server::store::{corrupt, signed, unsigned};

fn hash_of(text: &str) -> StoreResult<Hash> {
    hexstr::decode32(text).ok_or_else(|| corrupt("hash", text))
}

fn client_seed_of(text: &str) -> StoreResult<ClientSeed> {
    ClientSeed::parse(text).map_err(|_| corrupt("client seed", text))
}

fn spec_of(text: &str) -> StoreResult<WheelSpec> {
    serde_json::from_str(text).map_err(|e| corrupt("wheel spec", e))
}

fn spec_text(spec: &WheelSpec) -> StoreResult<String> {
    serde_json::to_string(spec).map_err(|e| corrupt("wheel spec", e))
}

/// The ledger client ids of a spin's charge and prize: a digest of the member's key, so any
/// key fits the alphabet and a rerun maps to the same ids.
fn client_ids(member: MemberId, key: &str) -> StoreResult<(ClientId, ClientId)> {
    let digest = hexstr::encode(&sha256(format!("spin\n{member}\n{key}").as_bytes()));
    let id = |part: &str| {
        let text = format!("spin:{}:{part}", digest.get(..40).unwrap_or(&digest));
        ClientId::parse(&text).map_err(|_| corrupt("spin client id", &text))
    };
    Ok((id("cost")?, id("prize")?))
}

/// The log's name of a wheel.
fn wheel_log_id(wheel: i64) -> String {
    format!("wheel-{wheel}")
}

/// A member's pseudonym in the log, derived from fresh random bytes when first needed.
fn new_pseudonym(fresh: &[u8; 32]) -> String {
    let mut material = b"bashgah/pseudonym\n".to_vec();
    material.extend_from_slice(fresh);
    let digest = hexstr::encode(&sha256(&material));
    format!("m-{}", digest.get(..20).unwrap_or(&digest))
}

/// A budget's stored units back as an amount of the prize's asset.
fn budget_of(segment: &SegmentSpec, units: Option<i64>) -> StoreResult<Option<Amount>> {
    let Some(units) = units else { return Ok(None) };
    let asset = segment.prize.amount().map(|a| a.asset());
    match asset {
        Some(Asset::Points) => Points::new(units).map(|p| Some(Amount::Points(p))).map_err(|_| corrupt("budget", units)),
        Some(Asset::Credit) => Money::from_minor(units).map(|m| Some(Amount::Credit(m))).map_err(|_| corrupt("budget", units)),
        None => Err(corrupt("budget on a segment without an amount", units)),
    }
}

fn budget_units(left: &Left) -> StoreResult<Option<i64>> {
    left.budget.map(|b| i64::try_from(b.units()).map_err(|_| corrupt("budget", b.units()))).transpose()
}

/// A seed pair row, server seed included: only the store ever holds it unrevealed.
struct PairRow {
    id: i64,
    server_seed: [u8; 32],
    server_commit: Hash,
    client_seed: ClientSeed,
    next_nonce: u64,
}

impl PairRow {
    fn public(&self) -> SeedPair {
        SeedPair {
            id: self.id,
            server_commit: self.server_commit,
            client_seed: self.client_seed.clone(),
            next_nonce: self.next_nonce,
        }
    }
}

/// Who the coupon codes of a wheel's coupon segment are held for.
pub fn coupon_holder(wheel: i64, segment: &str) -> String {
    format!("wheel:{wheel}:{segment}")
}

macro_rules! wheel_stores {
    ($store:ident, $pool:ty, $db:ty, ledger: $ledger:ident, log: $log:ident, coupons: $coupons:ident, write: $begin_write:literal, lock: $lock:literal) => {
        pub struct $store {
            pool: $pool,
        }

        type Conn = <$db as sqlx::Database>::Connection;

        impl $store {
            pub fn new(pool: $pool) -> Self {
                Self { pool }
            }

            async fn load_wheel(conn: &mut Conn, id: i64, lock: bool) -> StoreResult<Option<StoredWheel>> {
                let sql = if lock {
                    concat!("SELECT id, spec, live, updated_at FROM wheels WHERE id = $1", $lock)
                } else {
                    "SELECT id, spec, live, updated_at FROM wheels WHERE id = $1"
                };
                let Some(row) = sqlx::query(sql).bind(id).fetch_optional(&mut *conn).await? else { return Ok(None) };
                let spec = spec_of(&row.try_get::<String, _>("spec")?)?;
                let rows = sqlx::query(
                    "SELECT segment, stock_left, budget_left FROM wheel_left WHERE wheel = $1 ORDER BY segment",
                )
                .bind(id)
                .fetch_all(&mut *conn)
                .await?;
                let mut left: Vec<Left> = spec.segments().iter().map(Left::full).collect();
                for row in rows {
                    let at = usize::try_from(row.try_get::<i64, _>("segment")?).map_err(|_| corrupt("segment", id))?;
                    let segment = spec.segments().get(at).ok_or_else(|| corrupt("left of a missing segment of wheel", id))?;
                    let stock = row.try_get::<Option<i64>, _>("stock_left")?.map(|n| unsigned(n, "stock")).transpose()?;
                    left[at] = Left { stock, budget: budget_of(segment, row.try_get("budget_left")?)? };
                }
                Ok(Some(StoredWheel {
                    id,
                    spec,
                    live: row.try_get::<i64, _>("live")? == 1,
                    left,
                    updated_at: Timestamp::from_unix_millis(row.try_get("updated_at")?),
                }))
            }

            /// Replaces what is left of each segment of wheel `id`.
            async fn write_left(conn: &mut Conn, id: i64, lefts: &[Left]) -> StoreResult<()> {
                sqlx::query("DELETE FROM wheel_left WHERE wheel = $1").bind(id).execute(&mut *conn).await?;
                for (at, left) in lefts.iter().enumerate() {
                    sqlx::query("INSERT INTO wheel_left (wheel, segment, stock_left, budget_left) VALUES ($1, $2, $3, $4)")
                        .bind(id)
                        .bind(at as i64)
                        .bind(left.stock.map(|n| signed(n, "stock")).transpose()?)
                        .bind(budget_units(left)?)
                        .execute(&mut *conn)
                        .await?;
                }
                Ok(())
            }

            /// The leaf of the `WHEEL_CONFIG` of these segments, logged now if it is new.
            async fn logged_config(conn: &mut Conn, wheel: i64, segments: Vec<Segment>, now: Timestamp) -> StoreResult<u64> {
                let config = WheelConfig::new(&wheel_log_id(wheel), segments).map_err(|e| corrupt("wheel config", e))?;
                let hash = hexstr::encode(&config.wheel_hash);
                let found: Option<i64> =
                    sqlx::query_scalar("SELECT leaf_index FROM wheel_configs WHERE wheel = $1 AND wheel_hash = $2")
                        .bind(wheel)
                        .bind(&hash)
                        .fetch_optional(&mut *conn)
                        .await?;
                if let Some(leaf) = found {
                    return unsigned(leaf, "leaf index");
                }
                let leaf = $log::append_in(conn, &Record::WheelConfig(config), now).await?;
                sqlx::query("INSERT INTO wheel_configs (wheel, wheel_hash, leaf_index) VALUES ($1, $2, $3)")
                    .bind(wheel)
                    .bind(&hash)
                    .bind(signed(leaf, "leaf index")?)
                    .execute(&mut *conn)
                    .await
                    .map_err(write_error)?;
                Ok(leaf)
            }

            async fn pseudonym(conn: &mut Conn, member: MemberId, fresh: &[u8; 32]) -> StoreResult<String> {
                sqlx::query("INSERT INTO fair_pseudonyms (member, pseudonym) VALUES ($1, $2) ON CONFLICT (member) DO NOTHING")
                    .bind(member.get())
                    .bind(new_pseudonym(fresh))
                    .execute(&mut *conn)
                    .await
                    .map_err(write_error)?;
                Ok(sqlx::query_scalar("SELECT pseudonym FROM fair_pseudonyms WHERE member = $1")
                    .bind(member.get())
                    .fetch_one(&mut *conn)
                    .await?)
            }

            /// The member's current pair; `lock` holds its row until the transaction ends.
            async fn pair_row(conn: &mut Conn, member: MemberId, lock: bool) -> StoreResult<Option<PairRow>> {
                let sql = if lock {
                    concat!(
                        "SELECT id, server_seed, server_commit, client_seed, next_nonce FROM spin_seed_pairs ",
                        "WHERE member = $1 AND revealed_at IS NULL",
                        $lock
                    )
                } else {
                    "SELECT id, server_seed, server_commit, client_seed, next_nonce FROM spin_seed_pairs \
                     WHERE member = $1 AND revealed_at IS NULL"
                };
                let row = sqlx::query(sql)
                .bind(member.get())
                .fetch_optional(&mut *conn)
                .await?;
                row.map(|row| {
                    let seed: String = row.try_get("server_seed")?;
                    Ok(PairRow {
                        id: row.try_get("id")?,
                        server_seed: hexstr::decode32(&seed).ok_or_else(|| corrupt("server seed of member", member))?,
                        server_commit: hash_of(&row.try_get::<String, _>("server_commit")?)?,
                        client_seed: client_seed_of(&row.try_get::<String, _>("client_seed")?)?,
                        next_nonce: unsigned(row.try_get("next_nonce")?, "nonce")?,
                    })
                })
                .transpose()
            }

            /// Commits a new pair: the commitment is logged before any spin can use the seed.
            async fn new_pair(
                conn: &mut Conn,
                member: MemberId,
                server_seed: [u8; 32],
                client_seed: &ClientSeed,
                now: Timestamp,
            ) -> StoreResult<PairRow> {
                let member_name = Self::pseudonym(conn, member, &server_seed).await?;
                let server_commit = fairspin::server_commit(&server_seed);
                let record = Record::SpinSeedCommit(SpinSeedCommit { member: member_name, server_commit });
                let leaf = $log::append_in(conn, &record, now).await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO spin_seed_pairs (member, server_seed, server_commit, client_seed, next_nonce, commit_leaf, \
                     created_at) VALUES ($1, $2, $3, $4, 0, $5, $6) RETURNING id",
                )
                .bind(member.get())
                .bind(hexstr::encode(&server_seed))
                .bind(hexstr::encode(&server_commit))
                .bind(client_seed.as_str())
                .bind(signed(leaf, "leaf index")?)
                .bind(now.unix_millis())
                .fetch_one(&mut *conn)
                .await
                .map_err(|e| StoreError::from_write(e, "current seed pair"))?;
                Ok(PairRow { id, server_seed, server_commit, client_seed: client_seed.clone(), next_nonce: 0 })
            }

            async fn pair_in(
                conn: &mut Conn,
                member: MemberId,
                fresh: [u8; 32],
                client_seed: &ClientSeed,
                now: Timestamp,
            ) -> StoreResult<PairRow> {
                match Self::pair_row(conn, member, true).await? {
                    Some(pair) => Ok(pair),
                    None => Self::new_pair(conn, member, fresh, client_seed, now).await,
                }
            }

            async fn member_wheel_in(conn: &mut Conn, member: MemberId, wheel: i64, period: &str) -> StoreResult<MemberWheel> {
                let bonus: Option<i64> = sqlx::query_scalar("SELECT spins FROM spin_bonus WHERE member = $1 AND wheel = $2")
                    .bind(member.get())
                    .bind(wheel)
                    .fetch_optional(&mut *conn)
                    .await?;
                let used: Option<i64> =
                    sqlx::query_scalar("SELECT used FROM spin_free_use WHERE member = $1 AND wheel = $2 AND period = $3")
                        .bind(member.get())
                        .bind(wheel)
                        .bind(period)
                        .fetch_optional(&mut *conn)
                        .await?;
                Ok(MemberWheel {
                    bonus_spins: unsigned(bonus.unwrap_or(0), "bonus spins")?,
                    free_used: u32::try_from(used.unwrap_or(0)).map_err(|_| corrupt("free spins used", used.unwrap_or(0)))?,
                })
            }

            async fn stored_answer(conn: &mut Conn, member: MemberId, key: &str) -> StoreResult<Option<(String, SpinReceipt)>> {
                let row = sqlx::query("SELECT request, answer FROM spins WHERE member = $1 AND client_key = $2")
                    .bind(member.get())
                    .bind(key)
                    .fetch_optional(&mut *conn)
                    .await?;
                row.map(|row| {
                    let answer: String = row.try_get("answer")?;
                    let receipt = serde_json::from_str(&answer).map_err(|e| corrupt("spin answer", e))?;
                    Ok((row.try_get("request")?, receipt))
                })
                .transpose()
            }

            async fn try_spin(
                &self,
                w: &SpinWrite,
                request: &str,
                now: Timestamp,
            ) -> StoreResult<Result<Outcome<SpinReceipt>, SpinRefusal>> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                macro_rules! refuse {
                    ($why:expr) => {{
                        tx.rollback().await?;
                        return Ok(Err($why));
                    }};
                }
                let Some(mut wheel) = Self::load_wheel(&mut tx, w.wheel, true).await? else { refuse!(SpinRefusal::NoWheel) };
                // Under the wheel's lock: a concurrent duplicate has committed (and is found) or left nothing.
                if let Some((stored, receipt)) = Self::stored_answer(&mut tx, w.member, &w.client_key).await? {
                    tx.rollback().await?;
                    return Ok(if stored == request { Ok(Outcome::Replayed(receipt)) } else { Err(SpinRefusal::KeyReused) });
                }
                // Coupon segments: their listings are locked before any member, as a coupon buy
                // locks them, and a segment can pay only as many times as codes are held for it.
                for (at, segment) in wheel.spec.segments().iter().enumerate() {
                    if let Prize::Coupon { listing } = segment.prize {
                        sqlx::query(concat!("SELECT id FROM coupon_listings WHERE id = $1", $lock)).bind(listing).fetch_optional(&mut *tx).await?;
                        let held: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM coupon_codes WHERE held_for = $1 AND member IS NULL")
                            .bind(coupon_holder(wheel.id, segment.id.as_str()))
                            .fetch_one(&mut *tx)
                            .await?;
                        if let Some(left) = wheel.left.get_mut(at) {
                            left.stock = left.stock.map(|n| n.min(u64::try_from(held).unwrap_or(0)));
                        }
                    }
                }
                if !wheel.live {
                    refuse!(SpinRefusal::NotLive);
                }
                if wheel.spec.beacon() != w.beacon.is_some() {
                    refuse!(SpinRefusal::BeaconMode);
                }
                let default_seed = ClientSeed::from_bytes(&sha256(&w.fresh_seed));
                let pair = Self::pair_in(&mut tx, w.member, w.fresh_seed, &default_seed, now).await?;
                let spec = &wheel.spec;
                let period = spec.free_spins().period.key(now);
                let standing = Self::member_wheel_in(&mut tx, w.member, wheel.id, &period).await?;
                let paid_with = payment(spec, w.tier.as_ref(), standing.free_used, standing.bonus_spins);
                let (cost_id, prize_id) = client_ids(w.member, &w.client_key)?;
                match paid_with {
                    Payment::Bonus => {
                        sqlx::query("UPDATE spin_bonus SET spins = spins - 1 WHERE member = $1 AND wheel = $2 AND spins >= 1")
                            .bind(w.member.get())
                            .bind(wheel.id)
                            .execute(&mut *tx)
                            .await?;
                    }
                    Payment::Free => {
                        sqlx::query(
                            "INSERT INTO spin_free_use (member, wheel, period, used) VALUES ($1, $2, $3, 1) \
                             ON CONFLICT (member, wheel, period) DO UPDATE SET used = spin_free_use.used + 1",
                        )
                        .bind(w.member.get())
                        .bind(wheel.id)
                        .bind(&period)
                        .execute(&mut *tx)
                        .await?;
                    }
                    Payment::Points { points } => {
                        let charge = Request::Spend { member: w.member, amount: Amount::Points(points) };
                        if let Err(refused) = $ledger::apply_in(&mut tx, &cost_id, charge, now).await? {
                            refuse!(SpinRefusal::Ledger(refused));
                        }
                    }
                }
                let segments = in_force(spec, &wheel.left);
                let wheel_leaf = Self::logged_config(&mut tx, wheel.id, segments.clone(), now).await?;
                let (beacon, signature) = match &w.beacon {
                    Some(r) => (Beacon::from_signature(r.round, &r.signature), r.signature.clone()),
                    None => (Beacon::NONE, Vec::new()),
                };
                let spin = Spin {
                    segments: &segments,
                    server_seed: pair.server_seed,
                    client_seed: pair.client_seed.as_bytes(),
                    nonce: pair.next_nonce,
                    beacon,
                };
                let outcome = fairspin::spin(&spin).map_err(|e| corrupt("spin", e))?;
                let won = spec.segments().get(outcome.segment).ok_or_else(|| corrupt("segment", outcome.segment))?;
                let left = consume(won, wheel.left[outcome.segment])
                    .ok_or_else(|| corrupt("drawn segment cannot pay, wheel", wheel.id))?;
                sqlx::query("UPDATE wheel_left SET stock_left = $3, budget_left = $4 WHERE wheel = $1 AND segment = $2")
                    .bind(wheel.id)
                    .bind(outcome.segment as i64)
                    .bind(left.stock.map(|n| signed(n, "stock")).transpose()?)
                    .bind(budget_units(&left)?)
                    .execute(&mut *tx)
                    .await?;
                match &won.prize {
                    Prize::Points { .. } | Prize::Credit { .. } => {
                        let (points, credit) = match won.prize.amount() {
                            Some(Amount::Points(points)) => (points, Money::ZERO),
                            Some(Amount::Credit(credit)) => (Points::ZERO, credit),
                            None => (Points::ZERO, Money::ZERO),
                        };
                        let request =
                            Request::Earn(Earn { member: w.member, points, credit, policy: w.expiry, pending_days: 0, purchase: None });
                        if let Err(refused) = $ledger::apply_in(&mut tx, &prize_id, request, now).await? {
                            refuse!(SpinRefusal::Ledger(refused));
                        }
                    }
                    Prize::ExtraSpin => {
                        sqlx::query(
                            "INSERT INTO spin_bonus (member, wheel, spins) VALUES ($1, $2, 1) \
                             ON CONFLICT (member, wheel) DO UPDATE SET spins = spin_bonus.spins + 1",
                        )
                        .bind(w.member.get())
                        .bind(wheel.id)
                        .execute(&mut *tx)
                        .await?;
                    }
                    Prize::Nothing => {}
                    Prize::Coupon { listing } => {
                        let holder = coupon_holder(wheel.id, won.id.as_str());
                        let key = format!("spin:{}", prize_id.as_str());
                        if $coupons::award_held_in(&mut tx, &holder, *listing, w.member, &key, now).await?.is_none() {
                            return Err(corrupt("no coupon code held for the segment of wheel", wheel.id));
                        }
                    }
                }
                sqlx::query("UPDATE spin_seed_pairs SET next_nonce = next_nonce + 1 WHERE id = $1")
                    .bind(pair.id)
                    .execute(&mut *tx)
                    .await?;
                let member_name = Self::pseudonym(&mut tx, w.member, &w.fresh_seed).await?;
                let requested = u64::try_from(w.requested_at.unix_millis() / 1000).map_err(|_| corrupt("time", w.requested_at.unix_millis()))?;
                let record = SpinRecord::new(&member_name, &spin, &outcome, requested, &signature);
                let leaf = $log::append_in(&mut tx, &Record::Spin(record), now).await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO spins (member, wheel, client_key, request, pair, nonce, segment, round, leaf_index, \
                     wheel_leaf, answer, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, '', $11) RETURNING id",
                )
                .bind(w.member.get())
                .bind(wheel.id)
                .bind(&w.client_key)
                .bind(request)
                .bind(pair.id)
                .bind(signed(pair.next_nonce, "nonce")?)
                .bind(outcome.segment as i64)
                .bind(signed(beacon.round, "round")?)
                .bind(signed(leaf, "leaf index")?)
                .bind(signed(wheel_leaf, "leaf index")?)
                .bind(now.unix_millis())
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| StoreError::from_write(e, "spin key"))?;
                let balances = $ledger::lock_member(&mut tx, w.member).await?.balances;
                let standing = Self::member_wheel_in(&mut tx, w.member, wheel.id, &period).await?;
                let receipt = SpinReceipt {
                    spin: id,
                    wheel: wheel.id,
                    segment: outcome.segment,
                    prize: won.prize.clone(),
                    payment: paid_with,
                    nonce: pair.next_nonce,
                    server_commit: hexstr::encode(&pair.server_commit),
                    round: beacon.round,
                    leaf_index: leaf,
                    balances,
                    bonus_spins: standing.bonus_spins,
                };
                let answer = serde_json::to_string(&receipt).map_err(|e| corrupt("spin answer", e))?;
                sqlx::query("UPDATE spins SET answer = $2 WHERE id = $1").bind(id).bind(answer).execute(&mut *tx).await?;
                tx.commit().await?;
                Ok(Ok(Outcome::Created(receipt)))
            }

            async fn try_rotate(
                &self,
                member: MemberId,
                fresh: [u8; 32],
                client_seed: &ClientSeed,
                now: Timestamp,
            ) -> StoreResult<(Option<RevealedPair>, SeedPair)> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let revealed = match Self::pair_row(&mut tx, member, true).await? {
                    Some(old) => {
                        let member_name = Self::pseudonym(&mut tx, member, &fresh).await?;
                        let record = Record::SpinSeedReveal(SpinSeedReveal {
                            member: member_name,
                            server_commit: old.server_commit,
                            server_seed: old.server_seed,
                        });
                        let leaf = $log::append_in(&mut tx, &record, now).await?;
                        sqlx::query("UPDATE spin_seed_pairs SET revealed_at = $2, reveal_leaf = $3 WHERE id = $1")
                            .bind(old.id)
                            .bind(now.unix_millis())
                            .bind(signed(leaf, "leaf index")?)
                            .execute(&mut *tx)
                            .await?;
                        Some(RevealedPair {
                            server_commit: old.server_commit,
                            server_seed: old.server_seed,
                            client_seed: old.client_seed,
                            spins: old.next_nonce,
                        })
                    }
                    None => None,
                };
                let pair = Self::new_pair(&mut tx, member, fresh, client_seed, now).await?;
                tx.commit().await?;
                Ok((revealed, pair.public()))
            }
        }

        #[async_trait]
        impl WheelStore for $store {
            async fn create_wheel(&self, spec: &WheelSpec, now: Timestamp) -> StoreResult<i64> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO wheels (spec, live, created_at, updated_at) VALUES ($1, 0, $2, $2) RETURNING id",
                )
                .bind(spec_text(spec)?)
                .bind(now.unix_millis())
                .fetch_one(&mut *tx)
                .await?;
                Self::write_left(&mut tx, id, &spec.segments().iter().map(Left::full).collect::<Vec<_>>()).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn update_wheel(&self, id: i64, spec: &WheelSpec, now: Timestamp) -> StoreResult<bool> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let Some(wheel) = Self::load_wheel(&mut tx, id, true).await? else {
                    tx.rollback().await?;
                    return Ok(false);
                };
                sqlx::query("UPDATE wheels SET spec = $2, updated_at = $3 WHERE id = $1")
                    .bind(id)
                    .bind(spec_text(spec)?)
                    .bind(now.unix_millis())
                    .execute(&mut *tx)
                    .await?;
                // Under the wheel's lock: spins in flight have either taken their share or wait.
                let left = carried_left(&wheel.spec, &wheel.left, spec);
                Self::write_left(&mut tx, id, &left).await?;
                if wheel.live {
                    Self::logged_config(&mut tx, id, in_force(spec, &left), now).await?;
                }
                tx.commit().await?;
                Ok(true)
            }

            async fn set_live(&self, id: i64, live: bool, now: Timestamp) -> StoreResult<bool> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let Some(wheel) = Self::load_wheel(&mut tx, id, true).await? else {
                    tx.rollback().await?;
                    return Ok(false);
                };
                sqlx::query("UPDATE wheels SET live = $2, updated_at = $3 WHERE id = $1")
                    .bind(id)
                    .bind(i64::from(live))
                    .bind(now.unix_millis())
                    .execute(&mut *tx)
                    .await?;
                if live {
                    Self::logged_config(&mut tx, id, in_force(&wheel.spec, &wheel.left), now).await?;
                }
                tx.commit().await?;
                Ok(true)
            }

            async fn wheels(&self) -> StoreResult<Vec<StoredWheel>> {
                let mut conn = self.pool.acquire().await?;
                let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM wheels ORDER BY id").fetch_all(&mut *conn).await?;
                let mut wheels = Vec::with_capacity(ids.len());
                for id in ids {
                    wheels.extend(Self::load_wheel(&mut conn, id, false).await?);
                }
                Ok(wheels)
            }

            async fn wheel(&self, id: i64) -> StoreResult<Option<StoredWheel>> {
                let mut conn = self.pool.acquire().await?;
                Self::load_wheel(&mut conn, id, false).await
            }

            async fn member_wheel(&self, member: MemberId, wheel: i64, period: &str) -> StoreResult<MemberWheel> {
                let mut conn = self.pool.acquire().await?;
                Self::member_wheel_in(&mut conn, member, wheel, period).await
            }

            async fn current_pair(&self, member: MemberId, fresh: [u8; 32], client_seed: &ClientSeed, now: Timestamp) -> StoreResult<SeedPair> {
                {
                    // Most views find the pair made long ago; only a first view writes.
                    let mut conn = self.pool.acquire().await?;
                    if let Some(pair) = Self::pair_row(&mut conn, member, false).await? {
                        return Ok(pair.public());
                    }
                }
                retried!(async {
                    let mut tx = self.pool.begin_with($begin_write).await?;
                    let pair = Self::pair_in(&mut tx, member, fresh, client_seed, now).await;
                    match pair {
                        Ok(pair) => {
                            tx.commit().await?;
                            Ok(pair.public())
                        }
                        Err(e) => Err(e),
                    }
                })
            }

            async fn set_client_seed(&self, member: MemberId, client_seed: &ClientSeed, fresh: [u8; 32], now: Timestamp) -> StoreResult<SeedPair> {
                retried!(async {
                    let mut tx = self.pool.begin_with($begin_write).await?;
                    match Self::pair_in(&mut tx, member, fresh, client_seed, now).await {
                        Ok(mut pair) => {
                            sqlx::query("UPDATE spin_seed_pairs SET client_seed = $2 WHERE id = $1")
                                .bind(pair.id)
                                .bind(client_seed.as_str())
                                .execute(&mut *tx)
                                .await?;
                            tx.commit().await?;
                            pair.client_seed = client_seed.clone();
                            Ok(pair.public())
                        }
                        Err(e) => Err(e),
                    }
                })
            }

            async fn rotate(
                &self,
                member: MemberId,
                fresh: [u8; 32],
                client_seed: &ClientSeed,
                now: Timestamp,
            ) -> StoreResult<(Option<RevealedPair>, SeedPair)> {
                retried!(self.try_rotate(member, fresh, client_seed, now))
            }

            async fn spin_answer(&self, member: MemberId, key: &str) -> StoreResult<Option<(String, SpinReceipt)>> {
                let mut conn = self.pool.acquire().await?;
                Self::stored_answer(&mut conn, member, key).await
            }

            async fn spin(&self, w: &SpinWrite, request: &str, now: Timestamp) -> StoreResult<Result<Outcome<SpinReceipt>, SpinRefusal>> {
                retried!(self.try_spin(w, request, now))
            }

            async fn spins(&self, member: Option<MemberId>, limit: i64) -> StoreResult<Vec<SpinRow>> {
                let rows = sqlx::query(
                    "SELECT s.id, s.wheel, s.member, f.pseudonym, s.segment, s.nonce, s.round, s.leaf_index, s.at, \
                     p.revealed_at FROM spins s JOIN spin_seed_pairs p ON p.id = s.pair \
                     JOIN fair_pseudonyms f ON f.member = s.member \
                     WHERE $1 IS NULL OR s.member = $1 ORDER BY s.id DESC LIMIT $2",
                )
                .bind(member.map(MemberId::get))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|row| {
                        let member: i64 = row.try_get("member")?;
                        Ok(SpinRow {
                            id: row.try_get("id")?,
                            wheel: row.try_get("wheel")?,
                            member: MemberId::new(member).map_err(|_| corrupt("member", member))?,
                            pseudonym: row.try_get("pseudonym")?,
                            segment: usize::try_from(row.try_get::<i64, _>("segment")?).map_err(|_| corrupt("segment", member))?,
                            nonce: unsigned(row.try_get("nonce")?, "nonce")?,
                            round: unsigned(row.try_get("round")?, "round")?,
                            leaf_index: unsigned(row.try_get("leaf_index")?, "leaf index")?,
                            revealed: row.try_get::<Option<i64>, _>("revealed_at")?.is_some(),
                            at: Timestamp::from_unix_millis(row.try_get("at")?),
                        })
                    })
                    .collect()
            }

            async fn spin_evidence(&self, spin: i64) -> StoreResult<Option<SpinEvidence>> {
                let row = sqlx::query(
                    "SELECT s.wheel_leaf, s.leaf_index, p.commit_leaf, p.reveal_leaf, p.server_seed \
                     FROM spins s JOIN spin_seed_pairs p ON p.id = s.pair WHERE s.id = $1",
                )
                .bind(spin)
                .fetch_optional(&self.pool)
                .await?;
                row.map(|row| {
                    let reveal = match row.try_get::<Option<i64>, _>("reveal_leaf")? {
                        Some(leaf) => {
                            let seed: String = row.try_get("server_seed")?;
                            let seed = hexstr::decode32(&seed).ok_or_else(|| corrupt("server seed of spin", spin))?;
                            Some((unsigned(leaf, "leaf index")?, seed))
                        }
                        None => None,
                    };
                    Ok(SpinEvidence {
                        wheel_leaf: unsigned(row.try_get("wheel_leaf")?, "leaf index")?,
                        commit_leaf: unsigned(row.try_get("commit_leaf")?, "leaf index")?,
                        spin_leaf: unsigned(row.try_get("leaf_index")?, "leaf index")?,
                        reveal,
                    })
                })
                .transpose()
            }
        }
    };
}

mod sqlite {
    use super::*;
    wheel_stores!(SqliteWheels, SqlitePool, sqlx::Sqlite, ledger: SqliteLedger, log: SqliteFairLog, coupons: SqliteCoupons,
        write: "BEGIN IMMEDIATE", lock: "");
}

mod postgres {
    use super::*;
    wheel_stores!(PgWheels, PgPool, sqlx::Postgres, ledger: PgLedger, log: PgFairLog, coupons: PgCoupons,
        write: "BEGIN", lock: " FOR UPDATE");
}

pub use postgres::PgWheels;
pub use sqlite::SqliteWheels;
