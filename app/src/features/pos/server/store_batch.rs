//! Many purchases in one transaction: the group-commit writer's (`writer`) way to the database.
//!
//! A batch holds purchases of distinct members under distinct keys. Under one transaction it
//! locks every member's ledger row at once (ascending, so instances sharing one PostgreSQL never
//! wait on each other in a cycle), reads what each purchase needs with one statement per table
//! for the whole batch, plans each purchase with the pure engine exactly as `PosStore::purchase`
//! does, writes each table's rows with one multi-row statement, and commits once. A purchase the
//! engine refuses is answered alone and writes nothing; a database error fails the attempt, and
//! the batch is then written one purchase at a time, so nobody else's purchase fails with it.

use std::collections::{BTreeMap, HashMap, HashSet};

use engine::earn::{Award, Event, History, MemberFacts, PeriodKey, Purchase as Sale, RuleId, RuleUsage, evaluate};
use engine::ledger::{
    Balances, ClientId, LotChange, MemberId, MemberSnapshot, Outcome, Plan, Points, PurchaseChange,
    PurchaseId, Receipt, Request, Transfer, TransferId, UnreadLots, plan,
};
use engine::tiers::{Contribution, Measure, TierId, TierState, evaluate_tier, measured_value};
use engine::time::Timestamp;
use sqlx::{QueryBuilder, Row};

use crate::features::pos::server::store::{
    OwedAward, Occasion, PosRefusal, PosResult, PurchaseReceipt, PurchaseWrite, Reply, StoredAnswer, replay,
    two_places,
};
use crate::features::pos::server::store_sql::{PgPos, SqlitePos, balances_after, client_id, encode, measure_name, points, purchase_request};
use crate::platform::server::store::ledger_sql::{PgLedger, SqliteLedger, account_columns, amount_units, kind_name, to_json, write_error};
use crate::platform::server::store::{StoreError, StoreResult, corrupt};

/// Whether a batch can be written as one: no member and no key twice.
pub(crate) fn distinct(writes: &[PurchaseWrite]) -> bool {
    let members: HashSet<MemberId> = writes.iter().map(|w| w.member).collect();
    let keys: HashSet<(i64, &str)> = writes.iter().map(|w| (w.key.branch.get(), w.key.external_id.as_str())).collect();
    members.len() == writes.len() && keys.len() == writes.len()
}

/// What the batch read of one member, under its lock.
#[derive(Default)]
struct Loaded {
    balances: Option<Balances>,
    lots: Vec<engine::ledger::Lot>,
    visits: i64,
    account: Option<Option<MemberId>>,
    tier: Option<TierState>,
    usage: Vec<RuleUsage>,
    /// The member's tier measure summed over the ladder's window, before this purchase.
    tier_total: i64,
}

/// One purchase planned: everything it writes, ids still to be given to its transfers.
struct Planned {
    index: usize,
    purchase_id: i64,
    client_id: ClientId,
    request: Request,
    plan: Plan,
    award: Award,
    visits: i64,
    inviter: Option<MemberId>,
    counted: [(Measure, i64); 3],
    tier: TierState,
    tier_changed: bool,
}

/// What the writes of a planned purchase still need: the receipt once transfer ids are known.
struct Done {
    planned: Planned,
    receipt: Receipt,
    reply: PurchaseReceipt,
    json: String,
}

fn plan_one(index: usize, w: &PurchaseWrite, loaded: &Loaded, purchase_id: i64, now: Timestamp) -> StoreResult<Result<Planned, PosRefusal>> {
    let inviter = loaded.account.ok_or(StoreError::NotFound)?;
    let visits_before = u64::try_from(loaded.visits).map_err(|_| corrupt("visit count", loaded.visits))?;
    let facts = MemberFacts {
        tier: loaded.tier.as_ref().map(|s| s.tier.clone()),
        signed_up_at: w.signed_up_at,
        birthday: w.birthday,
        visits_before,
        first_purchase: visits_before == 0,
    };
    let sale = Sale { member: facts, amount: w.amount, branch: w.key.branch, at: w.occurred_at };
    let award = evaluate(&w.policy, &Event::Purchase(sale), &History::new(loaded.usage.clone()), now);
    let (_, request) = purchase_request(&award, w, purchase_id)?;
    let balances = loaded.balances.ok_or_else(|| corrupt("member without ledger row", w.member))?;
    let snapshot = MemberSnapshot { member: w.member, balances, lots: loaded.lots.clone(), unread: unread(&balances, &loaded.lots, w.member)? };
    let plan = match plan(&request, std::slice::from_ref(&snapshot), None, now) {
        Ok(plan) => plan,
        Err(refused) => return Ok(Err(PosRefusal::Ledger(refused))),
    };
    let counted = [
        (Measure::PointsEarned, award.points.get()),
        (Measure::AmountSpent, Contribution::spend(w.occurred_at, w.amount).value),
        (Measure::Visits, 1),
    ];
    let ladder = w.policy.tiers();
    let mut contributions = vec![Contribution { at: now, value: loaded.tier_total }];
    contributions.extend(counted.iter().filter(|(m, v)| *m == ladder.measure() && *v != 0).map(|(_, v)| Contribution { at: w.occurred_at, value: *v }));
    let tier = evaluate_tier(ladder, loaded.tier.as_ref(), measured_value(ladder, &contributions, now), now);
    Ok(Ok(Planned {
        index,
        purchase_id,
        client_id: client_id(&w.key)?,
        request,
        plan,
        tier_changed: loaded.tier.as_ref() != Some(&tier),
        tier,
        award,
        visits: loaded.visits + 1,
        inviter: if visits_before == 0 { inviter } else { None },
        counted,
    }))
}

/// What the lots that were not read hold: the balances less the due lots that were. (The
/// housekeeping audit checks every lot against its balance; here a shortfall is corruption.)
fn unread(balances: &Balances, due: &[engine::ledger::Lot], member: MemberId) -> StoreResult<UnreadLots> {
    let held = |pending: bool| Points::sum(due.iter().filter(|l| l.is_pending() == pending).map(|l| l.remaining));
    let short = || corrupt("due lots hold more than the balance of member", member);
    Ok(UnreadLots {
        points: balances.points.checked_sub(held(false).map_err(|_| short())?).map_err(|_| short())?,
        pending_points: balances.pending_points.checked_sub(held(true).map_err(|_| short())?).map_err(|_| short())?,
    })
}

/// Gives each planned purchase's postings their ids, in order, and makes its receipt and answer.
fn finish(planned: Planned, w: &PurchaseWrite, ids: &mut impl Iterator<Item = i64>, now: Timestamp) -> StoreResult<Done> {
    let mut transfers = Vec::with_capacity(planned.plan.postings.len());
    for posting in &planned.plan.postings {
        let id = ids.next().ok_or_else(|| corrupt("transfer ids reserved", planned.plan.postings.len()))?;
        transfers.push(Transfer { id: TransferId::new(id).map_err(|_| corrupt("transfer id", id))?, client_id: planned.client_id.clone(), at: now, posting: posting.clone() });
    }
    let receipt = Receipt { transfers, balances: planned.plan.balances.clone() };
    let reply = PurchaseReceipt {
        purchase_id: planned.purchase_id,
        member_id: w.member.get(),
        points_earned: planned.award.points,
        credit_earned: two_places(planned.award.credit),
        balances: balances_after(&receipt, w.member)?,
        tier: planned.tier.tier.to_string(),
    };
    let json = encode(&reply)?;
    Ok(Done { planned, receipt, reply, json })
}

fn tier_from(tier: &str, since: i64, below_since: Option<i64>) -> StoreResult<TierState> {
    Ok(TierState {
        tier: TierId::parse(tier).map_err(|_| corrupt("tier", tier))?,
        since: Timestamp::from_unix_millis(since),
        below_since: below_since.map(Timestamp::from_unix_millis),
    })
}

/// Adds `(member, rule, period)` usage together, so one upsert never names a row twice.
fn summed_usage(done: &[Done], writes: &[PurchaseWrite]) -> Vec<(i64, String, String, i64)> {
    let mut sums: BTreeMap<(i64, String, String), i64> = BTreeMap::new();
    for d in done {
        let member = writes[d.planned.index].member.get();
        for row in &d.planned.award.usage {
            *sums.entry((member, row.rule.as_str().to_owned(), row.period.to_string())).or_default() += row.points.get();
        }
    }
    sums.into_iter().map(|((m, r, p), v)| (m, r, p, v)).collect()
}

macro_rules! batch_store {
    ($store:ident, $db:ty, ledger: $ledger:ident, write: $begin_write:literal, lock: $lock:literal,
     overriding: $overriding:literal, reserve: $reserve:ident) => {
        type Conn = <$db as sqlx::Database>::Connection;

        fn in_list(qb: &mut QueryBuilder<$db>, values: &[i64]) {
            qb.push("(");
            let mut list = qb.separated(", ");
            for value in values {
                list.push_bind(*value);
            }
            list.push_unseparated(")");
        }

        async fn load(conn: &mut Conn, writes: &[PurchaseWrite], members: &[i64], now: Timestamp) -> StoreResult<(HashMap<i64, Loaded>, HashMap<(i64, String), StoredAnswer>)> {
            let mut loaded: HashMap<i64, Loaded> = members.iter().map(|m| (*m, Loaded::default())).collect();
            let mut qb = QueryBuilder::<$db>::new("INSERT INTO ledger_members (member) ");
            qb.push_values(members, |mut row, member| {
                row.push_bind(*member);
            });
            qb.push(" ON CONFLICT (member) DO NOTHING");
            qb.build().execute(&mut *conn).await.map_err(write_error)?;

            let mut qb = QueryBuilder::<$db>::new("SELECT member, points, pending_points, owed_points, credit, owed_credit FROM ledger_members WHERE member IN ");
            in_list(&mut qb, members);
            qb.push(concat!(" ORDER BY member", $lock));
            for row in qb.build().fetch_all(&mut *conn).await? {
                let member: i64 = row.try_get("member")?;
                if let Some(l) = loaded.get_mut(&member) {
                    l.balances = Some($ledger::balances_from_row(&row)?);
                }
            }

            // Each tuple names the whole key, so every one is an index lookup (PostgreSQL splits
            // the list into one index scan per tuple only when each names every column).
            let mut qb = QueryBuilder::<$db>::new("SELECT branch_id, external_id, body_hash, response FROM pos_requests WHERE (branch_id, kind, external_id) IN (");
            let mut list = qb.separated(", ");
            for w in writes {
                list.push("(");
                list.push_bind_unseparated(w.key.branch.get());
                list.push_unseparated(", ");
                list.push_bind_unseparated(w.key.kind.as_str());
                list.push_unseparated(", ");
                list.push_bind_unseparated(w.key.external_id.as_str().to_owned());
                list.push_unseparated(")");
            }
            qb.push(")");
            let mut answers = HashMap::new();
            for row in qb.build().fetch_all(&mut *conn).await? {
                let key = (row.try_get::<i64, _>("branch_id")?, row.try_get::<String, _>("external_id")?);
                answers.insert(key, StoredAnswer { body_hash: row.try_get("body_hash")?, response: row.try_get("response")? });
            }

            // Only the lots a purchase can change (`Lot::due`); what the others hold follows
            // from the balances (`unread`), so nothing here grows with a member's history.
            let mut qb = QueryBuilder::<$db>::new(
                "SELECT member, id, earned_at, expires_at, pending_until, purchase, original, remaining FROM ledger_lots \
                 WHERE remaining > 0 AND ((expires_at IS NOT NULL AND expires_at <= ",
            );
            qb.push_bind(now.unix_millis());
            qb.push(") OR (pending_until IS NOT NULL AND pending_until <= ");
            qb.push_bind(now.unix_millis());
            qb.push(")) AND member IN ");
            in_list(&mut qb, members);
            qb.push(" ORDER BY id");
            for row in qb.build().fetch_all(&mut *conn).await? {
                let member: i64 = row.try_get("member")?;
                if let Some(l) = loaded.get_mut(&member) {
                    l.lots.push($ledger::lot_from_row(&row)?);
                }
            }

            let mut qb = QueryBuilder::<$db>::new("SELECT member, visits FROM pos_visits WHERE member IN ");
            in_list(&mut qb, members);
            for row in qb.build().fetch_all(&mut *conn).await? {
                let member: i64 = row.try_get("member")?;
                if let Some(l) = loaded.get_mut(&member) {
                    l.visits = row.try_get("visits")?;
                }
            }

            let mut qb = QueryBuilder::<$db>::new("SELECT id, referred_by FROM accounts WHERE id IN ");
            in_list(&mut qb, members);
            for row in qb.build().fetch_all(&mut *conn).await? {
                let member: i64 = row.try_get("id")?;
                let inviter: Option<i64> = row.try_get("referred_by")?;
                if let Some(l) = loaded.get_mut(&member) {
                    l.account = Some(inviter.map(|id| MemberId::new(id).map_err(|_| corrupt("inviter id", id))).transpose()?);
                }
            }

            let mut qb = QueryBuilder::<$db>::new("SELECT member, tier, since, below_since FROM tier_states WHERE member IN ");
            in_list(&mut qb, members);
            for row in qb.build().fetch_all(&mut *conn).await? {
                let member: i64 = row.try_get("member")?;
                if let Some(l) = loaded.get_mut(&member) {
                    l.tier = Some(tier_from(row.try_get("tier")?, row.try_get("since")?, row.try_get("below_since")?)?);
                }
            }

            let mut qb = QueryBuilder::<$db>::new("SELECT member, rule, period, points FROM earn_usage WHERE member IN ");
            in_list(&mut qb, members);
            qb.push(" AND period IN (");
            let mut list = qb.separated(", ");
            for period in PeriodKey::all_at(now) {
                list.push_bind(period.to_string());
            }
            qb.push(")");
            for row in qb.build().fetch_all(&mut *conn).await? {
                let member: i64 = row.try_get("member")?;
                let rule: String = row.try_get("rule")?;
                let period: String = row.try_get("period")?;
                if let Some(l) = loaded.get_mut(&member) {
                    l.usage.push(RuleUsage {
                        rule: RuleId::parse(&rule).map_err(|_| corrupt("rule", &rule))?,
                        period: period.parse().map_err(|_| corrupt("period", &period))?,
                        points: points(row.try_get("points")?, "usage")?,
                    });
                }
            }

            // Summed by the database over each ladder's window (one query per ladder in the
            // batch, which is one unless the policy changed while it queued).
            let mut ladders: BTreeMap<(&'static str, i64), Vec<i64>> = BTreeMap::new();
            for w in writes {
                let ladder = w.policy.tiers();
                ladders.entry((measure_name(ladder.measure()), ladder.window().opens_at(now).unix_millis())).or_default().push(w.member.get());
            }
            for ((measure, opens), group) in ladders {
                let mut qb = QueryBuilder::<$db>::new("SELECT member, CAST(SUM(value) AS BIGINT) AS total FROM tier_contributions WHERE measure = ");
                qb.push_bind(measure);
                qb.push(" AND at >= ");
                qb.push_bind(opens);
                qb.push(" AND at <= ");
                qb.push_bind(now.unix_millis());
                qb.push(" AND member IN ");
                in_list(&mut qb, &group);
                qb.push(" GROUP BY member");
                for row in qb.build().fetch_all(&mut *conn).await? {
                    let member: i64 = row.try_get("member")?;
                    if let Some(l) = loaded.get_mut(&member) {
                        l.tier_total = row.try_get("total")?;
                    }
                }
            }
            Ok((loaded, answers))
        }

        /// Writes every planned purchase's rows, one statement per table.
        async fn store(conn: &mut Conn, done: &[Done], writes: &[PurchaseWrite], now: Timestamp) -> StoreResult<()> {
            let at = now.unix_millis();
            let mut qb = QueryBuilder::<$db>::new(concat!(
                "INSERT INTO pos_purchases (id, branch_id, external_id, member, amount, occurred_at, recorded_by, created_at)",
                $overriding,
                " "
            ));
            qb.push_values(done, |mut row, d| {
                let w = &writes[d.planned.index];
                row.push_bind(d.planned.purchase_id)
                    .push_bind(w.key.branch.get())
                    .push_bind(w.key.external_id.as_str().to_owned())
                    .push_bind(w.member.get())
                    .push_bind(w.amount.to_minor())
                    .push_bind(w.occurred_at.unix_millis())
                    .push_bind(w.recorded_by.map(|a| a.0))
                    .push_bind(at);
            });
            qb.build().execute(&mut *conn).await.map_err(write_error)?;

            let opened: Vec<&engine::ledger::Purchase> = done
                .iter()
                .flat_map(|d| &d.planned.plan.purchases)
                .filter_map(|c| match c {
                    PurchaseChange::Open(p) => Some(p),
                    PurchaseChange::Returned { .. } => None,
                })
                .collect();
            if !opened.is_empty() {
                let mut qb = QueryBuilder::<$db>::new(
                    "INSERT INTO ledger_purchases (id, member, total, returned, points_earned, points_reversed, credit_earned, credit_reversed, at) ",
                );
                qb.push_values(&opened, |mut row, p| {
                    row.push_bind(p.id.get())
                        .push_bind(p.member.get())
                        .push_bind(p.total.to_minor())
                        .push_bind(p.returned.to_minor())
                        .push_bind(p.points_earned.get())
                        .push_bind(p.points_reversed.get())
                        .push_bind(p.credit_earned.to_minor())
                        .push_bind(p.credit_reversed.to_minor())
                        .push_bind(at);
                });
                qb.build().execute(&mut *conn).await.map_err(write_error)?;
            }

            let lots: Vec<&LotChange> = done.iter().flat_map(|d| &d.planned.plan.lots).collect();
            let new_lots: Vec<&engine::ledger::NewLot> = lots.iter().filter_map(|c| match c {
                LotChange::Open(new) => Some(new),
                _ => None,
            }).collect();
            if !new_lots.is_empty() {
                let mut qb = QueryBuilder::<$db>::new(
                    "INSERT INTO ledger_lots (member, earned_at, expires_at, pending_until, purchase, original, remaining) ",
                );
                qb.push_values(&new_lots, |mut row, new| {
                    row.push_bind(new.member.get())
                        .push_bind(new.earned_at.unix_millis())
                        .push_bind(new.expires_at.map(Timestamp::unix_millis))
                        .push_bind(new.pending_until.map(Timestamp::unix_millis))
                        .push_bind(new.purchase.map(PurchaseId::get))
                        .push_bind(new.amount.get())
                        .push_bind(new.amount.get());
                });
                qb.build().execute(&mut *conn).await?;
            }
            // Draws and unlocks come from a member's sweep (points expiring, pending points
            // coming due): a few a day per member, so one statement each.
            for change in &lots {
                let (done_rows, what) = match change {
                    LotChange::Open(_) => continue,
                    LotChange::Draw { member, lot, amount } => (
                        sqlx::query("UPDATE ledger_lots SET remaining = remaining - $3 WHERE id = $1 AND member = $2 AND remaining >= $3")
                            .bind(lot.get())
                            .bind(member.get())
                            .bind(amount.get())
                            .execute(&mut *conn)
                            .await?,
                        "a lot drawn past what it holds",
                    ),
                    LotChange::Unlock { member, lot } => (
                        sqlx::query("UPDATE ledger_lots SET pending_until = NULL WHERE id = $1 AND member = $2 AND pending_until IS NOT NULL")
                            .bind(lot.get())
                            .bind(member.get())
                            .execute(&mut *conn)
                            .await?,
                        "a lot unlocked that is not pending",
                    ),
                };
                if done_rows.rows_affected() != 1 {
                    return Err(StoreError::Corrupt(what.to_owned()));
                }
            }

            let transfers: Vec<&Transfer> = done.iter().flat_map(|d| &d.receipt.transfers).collect();
            if !transfers.is_empty() {
                let mut qb = QueryBuilder::<$db>::new(concat!(
                    "INSERT INTO ledger_transfers (id, client_id, from_member, from_account, to_member, to_account, asset, amount, kind, at)",
                    $overriding,
                    " "
                ));
                qb.push_values(&transfers, |mut row, t| {
                    let (from_member, from_account) = account_columns(t.posting.from);
                    let (to_member, to_account) = account_columns(t.posting.to);
                    row.push_bind(t.id.get())
                        .push_bind(t.client_id.as_str().to_owned())
                        .push_bind(from_member)
                        .push_bind(from_account)
                        .push_bind(to_member)
                        .push_bind(to_account)
                        .push_bind(t.posting.amount.asset().name())
                        .push_bind(amount_units(t.posting.amount))
                        .push_bind(kind_name(t.posting.kind))
                        .push_bind(at);
                });
                qb.build().execute(&mut *conn).await?;
            }

            let balances: Vec<&engine::ledger::MemberBalances> = done.iter().flat_map(|d| &d.planned.plan.balances).collect();
            let mut qb = QueryBuilder::<$db>::new(
                "UPDATE ledger_members SET points = v.column2, pending_points = v.column3, owed_points = v.column4, \
                 credit = v.column5, owed_credit = v.column6 FROM (",
            );
            qb.push_values(&balances, |mut row, entry| {
                let b = entry.balances;
                row.push_bind(entry.member.get())
                    .push_bind(b.points.get())
                    .push_bind(b.pending_points.get())
                    .push_bind(b.owed_points.get())
                    .push_bind(b.credit.to_minor())
                    .push_bind(b.owed_credit.to_minor());
            });
            qb.push(") AS v WHERE ledger_members.member = v.column1");
            let updated = qb.build().execute(&mut *conn).await?.rows_affected();
            if updated != balances.len() as u64 {
                return Err(StoreError::Corrupt(format!("{} balance rows updated for {} members", updated, balances.len())));
            }

            let mut requests = Vec::with_capacity(done.len());
            for d in done {
                requests.push((d.planned.client_id.as_str().to_owned(), to_json(&d.planned.request, "request")?, to_json(&d.receipt, "receipt")?));
            }
            let mut qb = QueryBuilder::<$db>::new("INSERT INTO ledger_requests (client_id, request, receipt, at) ");
            qb.push_values(requests, |mut row, (client_id, request, receipt)| {
                row.push_bind(client_id).push_bind(request).push_bind(receipt).push_bind(at);
            });
            qb.build().execute(&mut *conn).await.map_err(write_error)?;

            let usage = summed_usage(done, writes);
            if !usage.is_empty() {
                let mut qb = QueryBuilder::<$db>::new("INSERT INTO earn_usage (member, rule, period, points) ");
                qb.push_values(usage, |mut row, (member, rule, period, value)| {
                    row.push_bind(member).push_bind(rule).push_bind(period).push_bind(value);
                });
                qb.push(" ON CONFLICT (member, rule, period) DO UPDATE SET points = earn_usage.points + excluded.points");
                qb.build().execute(&mut *conn).await?;
            }

            let contributions: Vec<(i64, &'static str, i64, i64)> = done
                .iter()
                .flat_map(|d| {
                    let w = &writes[d.planned.index];
                    d.planned.counted.iter().filter(|(_, v)| *v != 0).map(move |(m, v)| (w.member.get(), measure_name(*m), w.occurred_at.unix_millis(), *v))
                })
                .collect();
            let mut qb = QueryBuilder::<$db>::new("INSERT INTO tier_contributions (member, measure, at, value) ");
            qb.push_values(contributions, |mut row, (member, measure, at, value)| {
                row.push_bind(member).push_bind(measure).push_bind(at).push_bind(value);
            });
            qb.build().execute(&mut *conn).await?;

            let moved: Vec<&Done> = done.iter().filter(|d| d.planned.tier_changed).collect();
            if !moved.is_empty() {
                let mut qb = QueryBuilder::<$db>::new("INSERT INTO tier_states (member, tier, since, below_since) ");
                qb.push_values(&moved, |mut row, d| {
                    let t = &d.planned.tier;
                    row.push_bind(writes[d.planned.index].member.get())
                        .push_bind(t.tier.as_str().to_owned())
                        .push_bind(t.since.unix_millis())
                        .push_bind(t.below_since.map(Timestamp::unix_millis));
                });
                qb.push(" ON CONFLICT (member) DO UPDATE SET tier = excluded.tier, since = excluded.since, below_since = excluded.below_since");
                qb.build().execute(&mut *conn).await?;
            }

            let mut qb = QueryBuilder::<$db>::new("INSERT INTO pos_requests (branch_id, kind, external_id, body_hash, status, response, created_at) ");
            qb.push_values(done, |mut row, d| {
                let w = &writes[d.planned.index];
                row.push_bind(w.key.branch.get())
                    .push_bind(w.key.kind.as_str())
                    .push_bind(w.key.external_id.as_str().to_owned())
                    .push_bind(w.body_hash.clone())
                    .push_bind(201_i64)
                    .push_bind(d.json.clone())
                    .push_bind(at);
            });
            qb.build().execute(&mut *conn).await.map_err(write_error)?;

            let mut owed = Vec::new();
            for d in done {
                if let Some(inviter) = d.planned.inviter {
                    let award = OwedAward::new(inviter, Occasion::InviteeFirstPurchase { invitee: writes[d.planned.index].member })?;
                    let occasion = award.occasion_json()?;
                    owed.push((award, occasion));
                }
            }
            if !owed.is_empty() {
                let mut qb = QueryBuilder::<$db>::new("INSERT INTO award_outbox (client_id, member, occasion, created_at) ");
                qb.push_values(owed, |mut row, (award, occasion)| {
                    row.push_bind(award.client_id.as_str().to_owned()).push_bind(award.member.get()).push_bind(occasion).push_bind(at);
                });
                qb.push(" ON CONFLICT (client_id) DO NOTHING");
                qb.build().execute(&mut *conn).await?;
            }

            let mut qb = QueryBuilder::<$db>::new("INSERT INTO pos_visits (member, visits) ");
            qb.push_values(done, |mut row, d| {
                row.push_bind(writes[d.planned.index].member.get()).push_bind(d.planned.visits);
            });
            qb.push(" ON CONFLICT (member) DO UPDATE SET visits = excluded.visits");
            qb.build().execute(&mut *conn).await?;
            Ok(())
        }

        impl $store {
            /// One attempt at the whole batch in one transaction; `writes` are distinct.
            pub(crate) async fn try_purchase_batch(&self, writes: &[PurchaseWrite], now: Timestamp) -> StoreResult<Vec<PosResult<PurchaseReceipt>>> {
                let mut members: Vec<i64> = writes.iter().map(|w| w.member.get()).collect();
                members.sort_unstable();
                let mut phase = Phases::start();
                let mut tx = self.pool.begin_with($begin_write).await?;
                let (loaded, answers) = load(&mut tx, writes, &members, now).await?;
                phase.done("read");
                let mut answered: Vec<Option<PosResult<PurchaseReceipt>>> = (0..writes.len()).map(|_| None).collect();
                let mut live = Vec::new();
                for (index, w) in writes.iter().enumerate() {
                    match answers.get(&(w.key.branch.get(), w.key.external_id.as_str().to_owned())) {
                        Some(stored) => answered[index] = Some(replay(stored.clone(), &w.body_hash)),
                        None => live.push(index),
                    }
                }
                let ids = $reserve(&mut tx, IdTable::Purchases, live.len()).await?;
                let mut planned = Vec::with_capacity(live.len());
                for (&index, purchase_id) in live.iter().zip(ids) {
                    let w = &writes[index];
                    let member = loaded.get(&w.member.get()).ok_or_else(|| corrupt("batch member", w.member))?;
                    match plan_one(index, w, member, purchase_id, now) {
                        Ok(Ok(p)) => planned.push(p),
                        Ok(Err(refused)) => answered[index] = Some(Ok(Err(refused))),
                        Err(StoreError::NotFound) => answered[index] = Some(Err(StoreError::NotFound)),
                        Err(other) => return Err(other),
                    }
                }
                phase.done("plan");
                let postings = planned.iter().map(|p| p.plan.postings.len()).sum();
                let mut transfer_ids = $reserve(&mut tx, IdTable::Transfers, postings).await?.into_iter();
                let mut done = Vec::with_capacity(planned.len());
                for p in planned {
                    let w = &writes[p.index];
                    done.push(finish(p, w, &mut transfer_ids, now)?);
                }
                if !done.is_empty() {
                    store(&mut tx, &done, writes, now).await?;
                }
                phase.done("write");
                tx.commit().await?;
                phase.done("commit");
                for d in done {
                    answered[d.planned.index] = Some(Ok(Ok(Outcome::Created(Reply { receipt: d.reply, json: d.json }))));
                }
                answered.into_iter().map(|a| a.ok_or_else(|| StoreError::Corrupt("a batch write left unanswered".to_owned()))).collect()
            }
        }
    };
}

/// Where a batch's time goes, as `bashgah_write_phase_seconds{phase}`: reading (locks
/// included), planning with the engine (and taking ids), writing, committing.
struct Phases(std::time::Instant);

impl Phases {
    fn start() -> Self {
        Self(std::time::Instant::now())
    }

    fn done(&mut self, phase: &'static str) {
        let now = std::time::Instant::now();
        metrics::histogram!(crate::platform::server::metrics::PHASE_SECONDS, "phase" => phase).record((now - self.0).as_secs_f64());
        self.0 = now;
    }
}

/// The tables whose ids a batch takes before it writes, so a receipt can name them.
#[derive(Clone, Copy)]
enum IdTable {
    Purchases,
    Transfers,
}

/// SQLite: the next ids after the highest ever given (the write lock is held, so nobody else
/// takes them; AUTOINCREMENT never gives an id twice, so its counter is read too).
async fn reserve_sqlite(conn: &mut sqlx::SqliteConnection, table: IdTable, n: usize) -> StoreResult<Vec<i64>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let sql = match table {
        IdTable::Purchases => "SELECT MAX(COALESCE((SELECT MAX(id) FROM pos_purchases), 0), COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'pos_purchases'), 0)) AS top",
        IdTable::Transfers => "SELECT MAX(COALESCE((SELECT MAX(id) FROM ledger_transfers), 0), COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'ledger_transfers'), 0)) AS top",
    };
    let top: i64 = sqlx::query(sql).fetch_one(&mut *conn).await?.try_get("top")?;
    Ok((1..=i64::try_from(n).map_err(|_| corrupt("batch size", n))?).map(|k| top + k).collect())
}

/// PostgreSQL: ids drawn from the identity column's own sequence, in ascending order.
async fn reserve_postgres(conn: &mut sqlx::PgConnection, table: IdTable, n: usize) -> StoreResult<Vec<i64>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let sql = match table {
        IdTable::Purchases => "SELECT nextval(pg_get_serial_sequence('pos_purchases', 'id')) AS id FROM generate_series(1, $1)",
        IdTable::Transfers => "SELECT nextval(pg_get_serial_sequence('ledger_transfers', 'id')) AS id FROM generate_series(1, $1)",
    };
    let rows = sqlx::query(sql).bind(i64::try_from(n).map_err(|_| corrupt("batch size", n))?).fetch_all(&mut *conn).await?;
    let mut ids = rows.iter().map(|row| row.try_get::<i64, _>("id")).collect::<Result<Vec<_>, _>>()?;
    ids.sort_unstable();
    Ok(ids)
}

mod sqlite {
    use super::*;
    batch_store!(SqlitePos, sqlx::Sqlite, ledger: SqliteLedger, write: "BEGIN IMMEDIATE", lock: "", overriding: "", reserve: reserve_sqlite);
}

mod postgres {
    use super::*;
    batch_store!(PgPos, sqlx::Postgres, ledger: PgLedger, write: "BEGIN", lock: " FOR UPDATE", overriding: " OVERRIDING SYSTEM VALUE", reserve: reserve_postgres);
}
