//! `PosStore` in SQL that SQLite and PostgreSQL both accept, one body expanded per backend like
//! the ledger. Each write runs inside one transaction that first locks the member's ledger row
//! with the ledger's own helper, then re-reads the stored answer (a concurrent duplicate has
//! committed by then), plans with `engine::ledger::plan` and writes with the ledger's `write`.


use async_trait::async_trait;
use engine::earn::{Award, Event, History, MemberFacts, PeriodKey, Policy, Purchase as Sale, RuleId, RuleUsage, evaluate};
use engine::ledger::{
    Amount, Balances, ClientId, Earn, MemberId, Money, Outcome, Points, PurchaseChange, PurchaseId, PurchaseRef,
    Receipt, Request, plan,
};
use engine::tiers::{Contribution, Measure, TierId, TierLadder, TierState, evaluate_tier};
use engine::time::Timestamp;
use sqlx::{PgPool, Row, SqlitePool};

use crate::platform::server::store::ledger_sql::{PgLedger, SqliteLedger, write_error};
use crate::features::pos::server::store::{
    BalancesView, EventResult, EventWrite, OwedAward, OwedPaid, Occasion, PosKey, PosRefusal, PosResult, PosStore, PurchaseReceipt,
    PurchaseWrite, RedemptionReceipt, RedemptionWrite, Reply, ReturnReceipt, ReturnWrite, StoredAnswer, replay,
    two_places,
};
use crate::platform::server::store::{StoreError, StoreResult};


use crate::platform::server::store::corrupt;

pub(super) fn points(value: i64, what: &str) -> StoreResult<Points> {
    Points::new(value).map_err(|_| corrupt(what, value))
}

/// The ledger's client id of a POS write: a digest of its key, so it fits the client id's
/// alphabet whatever the till sends, and a rerun of the same key maps to the same id.
pub(super) fn client_id(key: &PosKey) -> StoreResult<ClientId> {
    let material = format!("{}\n{}\n{}", key.branch, key.kind.as_str(), key.external_id.as_str());
    let digest = engine::fair::hexstr::encode(&engine::fair::hash::sha256(material.as_bytes()));
    let text = format!("pos:{}", digest.get(..48).unwrap_or(&digest));
    ClientId::parse(&text).map_err(|_| corrupt("POS client id", &text))
}

pub(super) fn measure_name(measure: Measure) -> &'static str {
    match measure {
        Measure::PointsEarned => "points_earned",
        Measure::AmountSpent => "amount_spent",
        Measure::Visits => "visits",
    }
}

/// What a sale adds to each tier measure, or a return takes away (negative).
pub(super) struct Counted {
    pub(super) points: i64,
    pub(super) rials: i64,
    pub(super) visits: i64,
}

pub(super) fn balances_after(receipt: &Receipt, member: MemberId) -> StoreResult<BalancesView> {
    let b: Balances = receipt
        .balances
        .iter()
        .find(|entry| entry.member == member)
        .map(|entry| entry.balances)
        .ok_or_else(|| corrupt("ledger receipt without member", member))?;
    Ok(BalancesView {
        points_balance: b.points,
        points_pending: b.pending_points,
        points_owed: b.owed_points,
        credit_balance: two_places(b.credit),
        credit_owed: two_places(b.owed_credit),
    })
}

/// The ledger request of a purchase with the id `id`, and its reference. A purchase that earns
/// nothing still opens its ledger row, so a return finds it.
pub(super) fn purchase_request(award: &Award, w: &PurchaseWrite, id: i64) -> StoreResult<(PurchaseRef, Request)> {
    let purchase = PurchaseRef { id: PurchaseId::new(id).map_err(|_| corrupt("purchase id", id))?, total: w.amount };
    let earn = award.to_earn(&w.policy, w.member, Some(purchase)).unwrap_or(Earn {
        member: w.member,
        points: Points::ZERO,
        credit: Money::ZERO,
        policy: w.policy.expiry(),
        pending_days: w.policy.pending_days(),
        purchase: Some(purchase),
    });
    Ok((purchase, Request::Earn(earn)))
}

pub(super) fn encode<T: serde::Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(format!("cannot encode a POS record: {e}")))
}


use crate::platform::server::store::retried;

macro_rules! pos_stores {
    ($store:ident, $pool:ty, $db:ty, ledger: $ledger:ident, write: $begin_write:literal) => {
        pub struct $store {
            pub(crate) pool: $pool,
        }

        type Conn = <$db as sqlx::Database>::Connection;

        impl $store {
            pub fn new(pool: $pool) -> Self {
                Self { pool }
            }

            async fn stored_answer(conn: &mut Conn, key: &PosKey) -> StoreResult<Option<StoredAnswer>> {
                let row = sqlx::query(
                    "SELECT body_hash, response FROM pos_requests WHERE branch_id = $1 AND kind = $2 AND external_id = $3",
                )
                .bind(key.branch.get())
                .bind(key.kind.as_str())
                .bind(key.external_id.as_str())
                .fetch_optional(&mut *conn)
                .await?;
                row.map(|row| Ok(StoredAnswer { body_hash: row.try_get("body_hash")?, response: row.try_get("response")? }))
                    .transpose()
            }

            /// The stored answer's replay (or conflict), if a write under `key` succeeded.
            async fn replayed<T: serde::de::DeserializeOwned>(
                conn: &mut Conn,
                key: &PosKey,
                body_hash: &str,
            ) -> StoreResult<Option<Result<Outcome<Reply<T>>, PosRefusal>>> {
                match Self::stored_answer(conn, key).await? {
                    Some(stored) => replay(stored, body_hash).map(Some),
                    None => Ok(None),
                }
            }

            async fn store_answer(conn: &mut Conn, key: &PosKey, body_hash: &str, json: &str, now: Timestamp) -> StoreResult<()> {
                sqlx::query(
                    "INSERT INTO pos_requests (branch_id, kind, external_id, body_hash, status, response, created_at) \
                     VALUES ($1, $2, $3, $4, 201, $5, $6)",
                )
                .bind(key.branch.get())
                .bind(key.kind.as_str())
                .bind(key.external_id.as_str())
                .bind(body_hash)
                .bind(json)
                .bind(now.unix_millis())
                .execute(&mut *conn)
                .await
                .map_err(write_error)?;
                Ok(())
            }

            async fn load_tier(conn: &mut Conn, member: MemberId) -> StoreResult<Option<TierState>> {
                let row = sqlx::query("SELECT tier, since, below_since FROM tier_states WHERE member = $1")
                    .bind(member.get())
                    .fetch_optional(&mut *conn)
                    .await?;
                row.map(|row| {
                    let tier: String = row.try_get("tier")?;
                    Ok(TierState {
                        tier: TierId::parse(&tier).map_err(|_| corrupt("tier", &tier))?,
                        since: Timestamp::from_unix_millis(row.try_get("since")?),
                        below_since: row.try_get::<Option<i64>, _>("below_since")?.map(Timestamp::from_unix_millis),
                    })
                })
                .transpose()
            }

            /// The member's usage rows for every period live at `at`.
            async fn history(conn: &mut Conn, member: MemberId, at: Timestamp) -> StoreResult<History> {
                let [day, month, year, ever] = PeriodKey::all_at(at).map(|k| k.to_string());
                let rows = sqlx::query(
                    "SELECT rule, period, points FROM earn_usage WHERE member = $1 AND period IN ($2, $3, $4, $5)",
                )
                .bind(member.get())
                .bind(day)
                .bind(month)
                .bind(year)
                .bind(ever)
                .fetch_all(&mut *conn)
                .await?;
                let usage = rows
                    .iter()
                    .map(|row| {
                        let rule: String = row.try_get("rule")?;
                        let period: String = row.try_get("period")?;
                        Ok(RuleUsage {
                            rule: RuleId::parse(&rule).map_err(|_| corrupt("rule", &rule))?,
                            period: period.parse().map_err(|_| corrupt("period", &period))?,
                            points: points(row.try_get("points")?, "usage")?,
                        })
                    })
                    .collect::<StoreResult<Vec<_>>>()?;
                Ok(History::new(usage))
            }

            async fn add_usage(conn: &mut Conn, member: MemberId, usage: &[RuleUsage]) -> StoreResult<()> {
                for row in usage {
                    sqlx::query(
                        "INSERT INTO earn_usage (member, rule, period, points) VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (member, rule, period) DO UPDATE SET points = earn_usage.points + excluded.points",
                    )
                    .bind(member.get())
                    .bind(row.rule.as_str())
                    .bind(row.period.to_string())
                    .bind(row.points.get())
                    .execute(&mut *conn)
                    .await?;
                }
                Ok(())
            }

            /// The member's value in the ladder's measure, over the ladder's window as of `now`:
            /// summed by the database over the window's range, never read row by row.
            async fn tier_measure(conn: &mut Conn, member: MemberId, ladder: &TierLadder, now: Timestamp) -> StoreResult<u64> {
                let total: i64 = sqlx::query(
                    "SELECT CAST(COALESCE(SUM(value), 0) AS BIGINT) AS total FROM tier_contributions \
                     WHERE member = $1 AND measure = $2 AND at >= $3 AND at <= $4",
                )
                .bind(member.get())
                .bind(measure_name(ladder.measure()))
                .bind(ladder.window().opens_at(now).unix_millis())
                .bind(now.unix_millis())
                .fetch_one(&mut *conn)
                .await?
                .try_get("total")?;
                Ok(u64::try_from(total.max(0)).unwrap_or(0))
            }

            /// Records what the sale or return counts towards tiers (dated `at`, the sale's time)
            /// and moves the member's tier as the ladder says; returns the tier held now.
            async fn settle_tier(
                conn: &mut Conn,
                member: MemberId,
                ladder: &TierLadder,
                at: Timestamp,
                counted: Counted,
                now: Timestamp,
            ) -> StoreResult<TierId> {
                let measures = [
                    (Measure::PointsEarned, counted.points),
                    (Measure::AmountSpent, counted.rials),
                    (Measure::Visits, counted.visits),
                ];
                for (measure, value) in measures.into_iter().filter(|(_, value)| *value != 0) {
                    sqlx::query("INSERT INTO tier_contributions (member, measure, at, value) VALUES ($1, $2, $3, $4)")
                        .bind(member.get())
                        .bind(measure_name(measure))
                        .bind(at.unix_millis())
                        .bind(value)
                        .execute(&mut *conn)
                        .await?;
                }
                let value = Self::tier_measure(conn, member, ladder, now).await?;
                let current = Self::load_tier(conn, member).await?;
                let next = evaluate_tier(ladder, current.as_ref(), value, now);
                if current.as_ref() != Some(&next) {
                    sqlx::query(
                        "INSERT INTO tier_states (member, tier, since, below_since) VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (member) DO UPDATE SET tier = excluded.tier, since = excluded.since, \
                         below_since = excluded.below_since",
                    )
                    .bind(member.get())
                    .bind(next.tier.as_str())
                    .bind(next.since.unix_millis())
                    .bind(next.below_since.map(Timestamp::unix_millis))
                    .execute(&mut *conn)
                    .await?;
                }
                Ok(next.tier)
            }

            /// How many purchases the member has made.
            async fn visits(conn: &mut Conn, member: MemberId) -> StoreResult<i64> {
                let row = sqlx::query("SELECT visits FROM pos_visits WHERE member = $1").bind(member.get()).fetch_optional(&mut *conn).await?;
                Ok(row.map(|row| row.try_get("visits")).transpose()?.unwrap_or(0))
            }

            async fn count_visit(conn: &mut Conn, member: MemberId, visits: i64) -> StoreResult<()> {
                sqlx::query(
                    "INSERT INTO pos_visits (member, visits) VALUES ($1, $2) \
                     ON CONFLICT (member) DO UPDATE SET visits = excluded.visits",
                )
                .bind(member.get())
                .bind(visits)
                .execute(&mut *conn)
                .await?;
                Ok(())
            }

            /// Who invited `member`, if anyone.
            async fn inviter(conn: &mut Conn, member: MemberId) -> StoreResult<Option<MemberId>> {
                let inviter: Option<i64> = sqlx::query("SELECT referred_by FROM accounts WHERE id = $1")
                    .bind(member.get())
                    .fetch_one(&mut *conn)
                    .await?
                    .try_get("referred_by")?;
                inviter.map(|id| MemberId::new(id).map_err(|_| corrupt("inviter id", id))).transpose()
            }

            async fn try_purchase(&self, w: &PurchaseWrite, now: Timestamp) -> PosResult<PurchaseReceipt> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let snapshot = $ledger::lock_member(&mut tx, w.member).await?;
                if let Some(answer) = Self::replayed(&mut tx, &w.key, &w.body_hash).await? {
                    tx.rollback().await?;
                    return Ok(answer);
                }
                let visits = Self::visits(&mut tx, w.member).await?;
                let visits_before = u64::try_from(visits).map_err(|_| corrupt("visit count", visits))?;
                let inviter = if visits_before == 0 { Self::inviter(&mut tx, w.member).await? } else { None };
                let facts = MemberFacts {
                    tier: Self::load_tier(&mut tx, w.member).await?.map(|s| s.tier),
                    signed_up_at: w.signed_up_at,
                    birthday: w.birthday,
                    visits_before,
                    first_purchase: visits_before == 0,
                };
                let sale = Sale { member: facts, amount: w.amount, branch: w.key.branch, at: w.occurred_at };
                let history = Self::history(&mut tx, w.member, now).await?;
                let award = evaluate(&w.policy, &Event::Purchase(sale), &history, now);

                let id: i64 = sqlx::query(
                    "INSERT INTO pos_purchases (branch_id, external_id, member, amount, occurred_at, recorded_by, \
                     created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(w.key.branch.get())
                .bind(w.key.external_id.as_str())
                .bind(w.member.get())
                .bind(w.amount.to_minor())
                .bind(w.occurred_at.unix_millis())
                .bind(w.recorded_by.map(|a| a.0))
                .bind(now.unix_millis())
                .fetch_one(&mut *tx)
                .await
                .map_err(write_error)?
                .try_get("id")?;
                let (purchase, request) = purchase_request(&award, w, id)?;
                let existing = $ledger::purchase(&mut tx, purchase.id).await?;
                let plan = match plan(&request, std::slice::from_ref(&snapshot), existing.as_ref(), now) {
                    Ok(plan) => plan,
                    Err(refused) => {
                        tx.rollback().await?;
                        return Ok(Err(PosRefusal::Ledger(refused)));
                    }
                };
                let receipt = $ledger::write(&mut tx, &client_id(&w.key)?, &request, plan, now).await?;
                Self::add_usage(&mut tx, w.member, &award.usage).await?;
                Self::count_visit(&mut tx, w.member, visits + 1).await?;
                let counted = Counted {
                    points: award.points.get(),
                    rials: Contribution::spend(w.occurred_at, w.amount).value,
                    visits: 1,
                };
                let tier = Self::settle_tier(&mut tx, w.member, w.policy.tiers(), w.occurred_at, counted, now).await?;
                let reply = PurchaseReceipt {
                    purchase_id: id,
                    member_id: w.member.get(),
                    points_earned: award.points,
                    credit_earned: two_places(award.credit),
                    balances: balances_after(&receipt, w.member)?,
                    tier: tier.to_string(),
                };
                let json = encode(&reply)?;
                Self::store_answer(&mut tx, &w.key, &w.body_hash, &json, now).await?;
                // The inviter's bonus is owed in this transaction and paid in its own (locking
                // the inviter here would break the ledger's ascending lock order).
                if let Some(inviter) = inviter {
                    Self::owe(&mut tx, &OwedAward::new(inviter, Occasion::InviteeFirstPurchase { invitee: w.member })?, now).await?;
                }
                tx.commit().await?;
                Ok(Ok(Outcome::Created(Reply { receipt: reply, json })))
            }

            async fn owe(conn: &mut Conn, award: &OwedAward, now: Timestamp) -> StoreResult<()> {
                sqlx::query(OwedAward::SQL)
                    .bind(award.client_id.as_str())
                    .bind(award.member.get())
                    .bind(award.occasion_json()?)
                    .bind(now.unix_millis())
                    .execute(&mut *conn)
                    .await?;
                Ok(())
            }

            /// Deletes the owed row of `client_id`, if any: it is paid (or found paid) now.
            async fn settle_owed(conn: &mut Conn, client_id: &ClientId) -> StoreResult<()> {
                sqlx::query("DELETE FROM award_outbox WHERE client_id = $1").bind(client_id.as_str()).execute(&mut *conn).await?;
                Ok(())
            }

            /// Pays owed award rows (`member`, `occasion`), each in its own transaction; what a
            /// refusal or an error leaves stays owed.
            async fn pay_rows(&self, rows: Vec<<$db as sqlx::Database>::Row>, policy: &Policy, now: Timestamp) -> StoreResult<OwedPaid> {
                let mut done = OwedPaid::default();
                for row in rows {
                    let member: i64 = row.try_get("member")?;
                    let member = MemberId::new(member).map_err(|_| corrupt("owed award member", member))?;
                    let text: String = row.try_get("occasion")?;
                    let occasion: Occasion = serde_json::from_str(&text).map_err(|e| corrupt("owed award", e))?;
                    let write = EventWrite { member, occasion, policy: policy.clone() };
                    match retried!(self.try_award(&write, now)) {
                        Ok(Ok(_)) => done.paid += 1,
                        Ok(Err(refused)) => {
                            done.failed += 1;
                            tracing::warn!(%member, ?occasion, error = %refused, "owed award refused; it stays owed");
                        }
                        Err(error) => {
                            done.failed += 1;
                            tracing::warn!(%member, ?occasion, %error, "owed award not paid; it stays owed");
                        }
                    }
                }
                Ok(done)
            }

            async fn try_award(&self, w: &EventWrite, now: Timestamp) -> EventResult {
                let client_id = w.occasion.client_id(w.member)?;
                let mut tx = self.pool.begin_with($begin_write).await?;
                let snapshot = $ledger::lock_member(&mut tx, w.member).await?;
                // Under the lock: a concurrent duplicate has committed (found) or failed by now.
                let paid = sqlx::query("SELECT points FROM earn_events WHERE client_id = $1")
                    .bind(client_id.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Some(row) = paid {
                    let paid = points(row.try_get("points")?, "event points")?;
                    Self::settle_owed(&mut tx, &client_id).await?;
                    tx.commit().await?;
                    return Ok(Ok(Outcome::Replayed(paid)));
                }
                let event = w.occasion.event();
                let history = Self::history(&mut tx, w.member, now).await?;
                let award = evaluate(&w.policy, &event, &history, now);
                if let Some(earn) = award.to_earn(&w.policy, w.member, None) {
                    let request = Request::Earn(earn);
                    let plan = match plan(&request, std::slice::from_ref(&snapshot), None, now) {
                        Ok(plan) => plan,
                        Err(refused) => {
                            tx.rollback().await?;
                            return Ok(Err(refused));
                        }
                    };
                    $ledger::write(&mut tx, &client_id, &request, plan, now).await?;
                    Self::add_usage(&mut tx, w.member, &award.usage).await?;
                    let counted = Counted { points: award.points.get(), rials: 0, visits: 0 };
                    Self::settle_tier(&mut tx, w.member, w.policy.tiers(), now, counted, now).await?;
                }
                sqlx::query("INSERT INTO earn_events (client_id, member, event, points, at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(client_id.as_str())
                    .bind(w.member.get())
                    .bind(encode(&event)?)
                    .bind(award.points.get())
                    .bind(now.unix_millis())
                    .execute(&mut *tx)
                    .await
                    .map_err(write_error)?;
                Self::settle_owed(&mut tx, &client_id).await?;
                tx.commit().await?;
                Ok(Ok(Outcome::Created(award.points)))
            }

            async fn try_return(&self, w: &ReturnWrite, now: Timestamp) -> PosResult<ReturnReceipt> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                // Before the purchase lookup, so a request that conflicts is told so, not "unknown".
                if let Some(answer) = Self::replayed(&mut tx, &w.key, &w.body_hash).await? {
                    tx.rollback().await?;
                    return Ok(answer);
                }
                let row = sqlx::query(
                    "SELECT id, member, occurred_at FROM pos_purchases WHERE branch_id = $1 AND external_id = $2",
                )
                .bind(w.key.branch.get())
                .bind(w.purchase.as_str())
                .fetch_optional(&mut *tx)
                .await?;
                let Some(row) = row else {
                    tx.rollback().await?;
                    return Ok(Err(PosRefusal::UnknownPurchase));
                };
                let id: i64 = row.try_get("id")?;
                let id = PurchaseId::new(id).map_err(|_| corrupt("purchase id", id))?;
                let member: i64 = row.try_get("member")?;
                let member = MemberId::new(member).map_err(|_| corrupt("member id", member))?;
                let occurred_at = Timestamp::from_unix_millis(row.try_get("occurred_at")?);

                let snapshot = $ledger::lock_member(&mut tx, member).await?;
                // Again under the lock: a concurrent duplicate has committed or failed by now.
                if let Some(answer) = Self::replayed(&mut tx, &w.key, &w.body_hash).await? {
                    tx.rollback().await?;
                    return Ok(answer);
                }
                let before = $ledger::purchase(&mut tx, id).await?;
                let request = Request::Return { member, purchase: id, returned: w.amount };
                let plan = match plan(&request, std::slice::from_ref(&snapshot), before.as_ref(), now) {
                    Ok(plan) => plan,
                    Err(refused) => {
                        tx.rollback().await?;
                        return Ok(Err(PosRefusal::Ledger(refused)));
                    }
                };
                let before = before.ok_or_else(|| corrupt("purchase without ledger row", id))?;
                let (returned_total, points_target, credit_target) = plan
                    .purchases
                    .iter()
                    .find_map(|change| match change {
                        PurchaseChange::Returned { returned, points_reversed, credit_reversed, .. } => {
                            Some((*returned, *points_reversed, *credit_reversed))
                        }
                        PurchaseChange::Open(_) => None,
                    })
                    .ok_or_else(|| corrupt("return plan without purchase change", id))?;
                let points_reversed =
                    points_target.checked_sub(before.points_reversed).map_err(|_| corrupt("reversal of", id))?;
                let credit_reversed =
                    credit_target.checked_sub(before.credit_reversed).map_err(|_| corrupt("reversal of", id))?;
                let receipt = $ledger::write(&mut tx, &client_id(&w.key)?, &request, plan, now).await?;
                let counted = Counted {
                    points: -points_reversed.get(),
                    rials: -Contribution::spend(occurred_at, w.amount).value,
                    visits: 0,
                };
                let tier = Self::settle_tier(&mut tx, member, w.policy.tiers(), occurred_at, counted, now).await?;
                let reply = ReturnReceipt {
                    purchase_id: id.get(),
                    member_id: member.get(),
                    returned_total: two_places(returned_total),
                    points_reversed,
                    credit_reversed: two_places(credit_reversed),
                    balances: balances_after(&receipt, member)?,
                    tier: tier.to_string(),
                };
                let json = encode(&reply)?;
                Self::store_answer(&mut tx, &w.key, &w.body_hash, &json, now).await?;
                tx.commit().await?;
                Ok(Ok(Outcome::Created(Reply { receipt: reply, json })))
            }

            async fn try_redeem(&self, w: &RedemptionWrite, now: Timestamp) -> PosResult<RedemptionReceipt> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let snapshot = $ledger::lock_member(&mut tx, w.member).await?;
                if let Some(answer) = Self::replayed(&mut tx, &w.key, &w.body_hash).await? {
                    tx.rollback().await?;
                    return Ok(answer);
                }
                let request = Request::Spend { member: w.member, amount: Amount::Credit(w.amount) };
                let plan = match plan(&request, std::slice::from_ref(&snapshot), None, now) {
                    Ok(plan) => plan,
                    Err(refused) => {
                        tx.rollback().await?;
                        return Ok(Err(PosRefusal::Ledger(refused)));
                    }
                };
                let receipt = $ledger::write(&mut tx, &client_id(&w.key)?, &request, plan, now).await?;
                let reply = RedemptionReceipt {
                    member_id: w.member.get(),
                    amount: two_places(w.amount),
                    credit_balance: balances_after(&receipt, w.member)?.credit_balance,
                };
                let json = encode(&reply)?;
                Self::store_answer(&mut tx, &w.key, &w.body_hash, &json, now).await?;
                tx.commit().await?;
                Ok(Ok(Outcome::Created(Reply { receipt: reply, json })))
            }
        }

        #[async_trait]
        impl PosStore for $store {
            async fn answer(&self, key: &PosKey) -> StoreResult<Option<StoredAnswer>> {
                let mut conn = self.pool.acquire().await?;
                Self::stored_answer(&mut conn, key).await
            }

            async fn purchase(&self, write: &PurchaseWrite, now: Timestamp) -> PosResult<PurchaseReceipt> {
                retried!(self.try_purchase(write, now))
            }

            async fn purchase_batch(&self, writes: &[PurchaseWrite], now: Timestamp) -> Vec<PosResult<PurchaseReceipt>> {
                if writes.len() > 1 && crate::features::pos::server::store_batch::distinct(writes) {
                    match self.try_purchase_batch(writes, now).await {
                        Ok(answers) => return answers,
                        Err(error) => {
                            metrics::counter!(crate::platform::server::metrics::BATCH_FAILURES).increment(1);
                            tracing::warn!(%error, writes = writes.len(), "a batch failed; writing its purchases one at a time");
                        }
                    }
                }
                let mut answers = Vec::with_capacity(writes.len());
                for write in writes {
                    answers.push(self.purchase(write, now).await);
                }
                answers
            }

            async fn pay_owed_awards(&self, policy: &Policy, now: Timestamp, limit: i64) -> StoreResult<OwedPaid> {
                let rows = sqlx::query("SELECT member, occasion FROM award_outbox ORDER BY created_at, client_id LIMIT $1")
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?;
                self.pay_rows(rows, policy, now).await
            }

            async fn pay_owed_award(&self, client_id: &ClientId, policy: &Policy, now: Timestamp) -> StoreResult<OwedPaid> {
                let rows = sqlx::query("SELECT member, occasion FROM award_outbox WHERE client_id = $1")
                    .bind(client_id.as_str())
                    .fetch_all(&self.pool)
                    .await?;
                self.pay_rows(rows, policy, now).await
            }

            async fn owed_awards(&self) -> StoreResult<i64> {
                Ok(sqlx::query_scalar("SELECT COUNT(*) FROM award_outbox").fetch_one(&self.pool).await?)
            }

            async fn award_event(&self, write: &EventWrite, now: Timestamp) -> EventResult {
                retried!(self.try_award(write, now))
            }

            async fn return_purchase(&self, write: &ReturnWrite, now: Timestamp) -> PosResult<ReturnReceipt> {
                retried!(self.try_return(write, now))
            }

            async fn redeem_credit(&self, write: &RedemptionWrite, now: Timestamp) -> PosResult<RedemptionReceipt> {
                retried!(self.try_redeem(write, now))
            }

            async fn tier_state(&self, member: MemberId) -> StoreResult<Option<TierState>> {
                let mut conn = self.pool.acquire().await?;
                Self::load_tier(&mut conn, member).await
            }

            async fn tier_value(&self, member: MemberId, ladder: &TierLadder, now: Timestamp) -> StoreResult<u64> {
                let mut conn = self.pool.acquire().await?;
                Self::tier_measure(&mut conn, member, ladder, now).await
            }
        }
    };
}

mod sqlite {
    use super::*;
    pos_stores!(SqlitePos, SqlitePool, sqlx::Sqlite, ledger: SqliteLedger, write: "BEGIN IMMEDIATE");
}

mod postgres {
    use super::*;
    pos_stores!(PgPos, PgPool, sqlx::Postgres, ledger: PgLedger, write: "BEGIN");
}

pub use postgres::PgPos;
pub use sqlite::SqlitePos;
