//! `LedgerStore` in SQL that SQLite and PostgreSQL both accept, one body expanded once per backend
//! like `sql_stores!`. The backends differ only in how a transaction starts and how a member row
//! is locked: SQLite takes the database's write lock at `BEGIN IMMEDIATE`, so writers queue there
//! instead of failing when a read lock cannot be upgraded; PostgreSQL locks the member rows with
//! `FOR UPDATE`, in ascending member order so that two writes never wait on each other in a cycle.

use std::collections::BTreeMap;

use async_trait::async_trait;
use engine::ledger::{
    Account, Amount, Asset, Balances, ClientId, InvariantViolation, LedgerError, Lot, LotChange, LotId, MemberAccount,
    MemberId, MemberSnapshot, Money, Outcome, Plan, Points, Posting, PostingKind, Purchase, PurchaseChange, PurchaseId,
    Receipt, Request, SystemAccount, Transfer, TransferId, UnreadLots, plan, replay,
};
use engine::time::Timestamp;
use sqlx::{PgPool, Row, SqlitePool};

use crate::platform::server::store::ledger::{AdjustmentNote, LedgerAudit, LedgerStore, Liability, StoredAdjustment};
use crate::platform::server::store::{StoreError, StoreResult};

use crate::platform::server::store::retried;

const SYSTEM_ACCOUNTS: [SystemAccount; 4] =
    [SystemAccount::Issuance, SystemAccount::Redemption, SystemAccount::Expiry, SystemAccount::Adjustment];

const POSTING_KINDS: [PostingKind; 8] = [
    PostingKind::Earn,
    PostingKind::Settle,
    PostingKind::Unlock,
    PostingKind::Spend,
    PostingKind::Expire,
    PostingKind::Reverse,
    PostingKind::MemberTransfer,
    PostingKind::Adjust,
];

fn member_account_name(account: MemberAccount) -> &'static str {
    match account {
        MemberAccount::Points => "points",
        MemberAccount::PendingPoints => "pending_points",
        MemberAccount::OwedPoints => "owed_points",
        MemberAccount::Credit => "credit",
        MemberAccount::OwedCredit => "owed_credit",
    }
}

fn system_account_name(account: SystemAccount) -> &'static str {
    match account {
        SystemAccount::Issuance => "issuance",
        SystemAccount::Redemption => "redemption",
        SystemAccount::Expiry => "expiry",
        SystemAccount::Adjustment => "adjustment",
    }
}

pub(crate) fn kind_name(kind: PostingKind) -> &'static str {
    match kind {
        PostingKind::Earn => "earn",
        PostingKind::Settle => "settle",
        PostingKind::Unlock => "unlock",
        PostingKind::Spend => "spend",
        PostingKind::Expire => "expire",
        PostingKind::Reverse => "reverse",
        PostingKind::MemberTransfer => "member_transfer",
        PostingKind::Adjust => "adjust",
    }
}

use crate::platform::server::store::corrupt;

/// Looks a stored name up among the values that encode to it.
fn by_name<T: Copy>(all: &[T], name: &str, encode: fn(T) -> &'static str, what: &str) -> StoreResult<T> {
    all.iter().copied().find(|v| encode(*v) == name).ok_or_else(|| corrupt(what, name))
}

fn asset_from(name: &str) -> StoreResult<Asset> {
    by_name(&[Asset::Points, Asset::Credit], name, Asset::name, "asset")
}

/// The columns of an account: a member account has its member, a club account has none.
pub(crate) fn account_columns(account: Account) -> (Option<i64>, &'static str) {
    match account {
        Account::Member { member, account } => (Some(member.get()), member_account_name(account)),
        Account::System { account, .. } => (None, system_account_name(account)),
    }
}

fn account_from(member: Option<i64>, name: &str, asset: Asset) -> StoreResult<Account> {
    Ok(match member {
        Some(id) => {
            Account::member(member_id(id)?, by_name(&MemberAccount::ALL, name, member_account_name, "account")?)
        }
        None => Account::system(by_name(&SYSTEM_ACCOUNTS, name, system_account_name, "account")?, asset),
    })
}

fn amount_from(asset: Asset, units: i64) -> StoreResult<Amount> {
    Ok(match asset {
        Asset::Points => Amount::Points(points(units, "amount")?),
        Asset::Credit => Amount::Credit(money(units, "amount")?),
    })
}

/// An amount as the integer the journal stores: points, or hundredths of a rial.
pub(crate) fn amount_units(amount: Amount) -> i64 {
    match amount {
        Amount::Points(p) => p.get(),
        Amount::Credit(m) => m.to_minor(),
    }
}

fn points(value: i64, what: &str) -> StoreResult<Points> {
    Points::new(value).map_err(|_| corrupt(what, value))
}

fn money(value: i64, what: &str) -> StoreResult<Money> {
    Money::from_minor(value).map_err(|_| corrupt(what, value))
}

fn member_id(value: i64) -> StoreResult<MemberId> {
    MemberId::new(value).map_err(|_| corrupt("member id", value))
}

fn timestamp(value: Option<i64>) -> Option<Timestamp> {
    value.map(Timestamp::from_unix_millis)
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T, what: &str) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(format!("cannot encode {what}: {e}")))
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("stored {what}: {e}")))
}

/// A unique key taken means a concurrent write won a race: the caller runs the write again. A
/// missing foreign key means the member is not an account.
pub(crate) fn write_error(error: sqlx::Error) -> StoreError {
    match error.as_database_error() {
        Some(db) if db.is_unique_violation() => StoreError::Duplicate("ledger key"),
        Some(db) if db.is_foreign_key_violation() => StoreError::NotFound,
        _ => StoreError::Database(error),
    }
}

/// An update that must hit exactly one row: anything else means the rows the plan was made from
/// are not the rows in the table.
fn one_row(affected: u64, what: impl FnOnce() -> String) -> StoreResult<()> {
    if affected == 1 { Ok(()) } else { Err(StoreError::Corrupt(what())) }
}

/// Every lot query reads these columns.
macro_rules! lot_select {
    ($tail:literal) => {
        concat!(
            "SELECT id, earned_at, expires_at, pending_until, purchase, original, remaining FROM ledger_lots ",
            $tail
        )
    };
}

macro_rules! ledger_stores {
    (
        $store:ident, $pool:ty, $db:ty, $row:ty,
        write: $begin_write:literal, lock: $lock:literal, read: $begin_read:literal
    ) => {
        /// The ledger over the same pool as the other stores.
        pub struct $store {
            pool: $pool,
        }

        type Conn = <$db as sqlx::Database>::Connection;

        impl $store {
            pub fn new(pool: $pool) -> Self {
                Self { pool }
            }

            pub(crate) fn balances_from_row(row: &$row) -> StoreResult<Balances> {
                Ok(Balances {
                    points: points(row.try_get("points")?, "points")?,
                    pending_points: points(row.try_get("pending_points")?, "pending points")?,
                    owed_points: points(row.try_get("owed_points")?, "owed points")?,
                    credit: money(row.try_get("credit")?, "credit")?,
                    owed_credit: money(row.try_get("owed_credit")?, "owed credit")?,
                })
            }

            pub(crate) fn lot_from_row(row: &$row) -> StoreResult<Lot> {
                let id: i64 = row.try_get("id")?;
                let purchase: Option<i64> = row.try_get("purchase")?;
                Ok(Lot {
                    id: LotId::new(id).map_err(|_| corrupt("lot id", id))?,
                    earned_at: Timestamp::from_unix_millis(row.try_get("earned_at")?),
                    expires_at: timestamp(row.try_get("expires_at")?),
                    pending_until: timestamp(row.try_get("pending_until")?),
                    purchase: purchase.map(|p| PurchaseId::new(p).map_err(|_| corrupt("purchase id", p))).transpose()?,
                    original: points(row.try_get("original")?, "lot original")?,
                    remaining: points(row.try_get("remaining")?, "lot remaining")?,
                })
            }

            fn transfer_from_row(row: &$row) -> StoreResult<Transfer> {
                let id: i64 = row.try_get("id")?;
                let client_id: String = row.try_get("client_id")?;
                let asset = asset_from(row.try_get("asset")?)?;
                let kind: String = row.try_get("kind")?;
                Ok(Transfer {
                    id: TransferId::new(id).map_err(|_| corrupt("transfer id", id))?,
                    client_id: ClientId::parse(&client_id).map_err(|_| corrupt("client id", &client_id))?,
                    at: Timestamp::from_unix_millis(row.try_get("at")?),
                    posting: Posting {
                        from: account_from(row.try_get("from_member")?, row.try_get("from_account")?, asset)?,
                        to: account_from(row.try_get("to_member")?, row.try_get("to_account")?, asset)?,
                        amount: amount_from(asset, row.try_get("amount")?)?,
                        kind: by_name(&POSTING_KINDS, &kind, kind_name, "posting kind")?,
                    },
                })
            }

            fn purchase_from_row(row: &$row) -> StoreResult<Purchase> {
                let id: i64 = row.try_get("id")?;
                Ok(Purchase {
                    id: PurchaseId::new(id).map_err(|_| corrupt("purchase id", id))?,
                    member: member_id(row.try_get("member")?)?,
                    total: money(row.try_get("total")?, "purchase total")?,
                    returned: money(row.try_get("returned")?, "purchase returned")?,
                    points_earned: points(row.try_get("points_earned")?, "points earned")?,
                    points_reversed: points(row.try_get("points_reversed")?, "points reversed")?,
                    credit_earned: money(row.try_get("credit_earned")?, "credit earned")?,
                    credit_reversed: money(row.try_get("credit_reversed")?, "credit reversed")?,
                })
            }

            /// Creates the member's row if missing, locks it and loads the member as the planner
            /// needs it.
            pub(crate) async fn lock_member(conn: &mut Conn, member: MemberId) -> StoreResult<MemberSnapshot> {
                sqlx::query("INSERT INTO ledger_members (member) VALUES ($1) ON CONFLICT (member) DO NOTHING")
                    .bind(member.get())
                    .execute(&mut *conn)
                    .await
                    .map_err(write_error)?;
                let row = sqlx::query(concat!(
                    "SELECT points, pending_points, owed_points, credit, owed_credit FROM ledger_members ",
                    "WHERE member = $1",
                    $lock
                ))
                .bind(member.get())
                .fetch_one(&mut *conn)
                .await?;
                let balances = Self::balances_from_row(&row)?;
                let lots = sqlx::query(lot_select!("WHERE member = $1 AND remaining > 0 ORDER BY id"))
                .bind(member.get())
                .fetch_all(&mut *conn)
                .await?;
                let lots = lots.iter().map(Self::lot_from_row).collect::<StoreResult<_>>()?;
                Ok(MemberSnapshot { member, balances, lots, unread: UnreadLots::default() })
            }

            async fn stored_write(conn: &mut Conn, client_id: &ClientId) -> StoreResult<Option<(Request, Receipt)>> {
                let row = sqlx::query("SELECT request, receipt FROM ledger_requests WHERE client_id = $1")
                    .bind(client_id.as_str())
                    .fetch_optional(&mut *conn)
                    .await?;
                row.map(|row| {
                    let request: String = row.try_get("request")?;
                    let receipt: String = row.try_get("receipt")?;
                    Ok((from_json(&request, "request")?, from_json(&receipt, "receipt")?))
                })
                .transpose()
            }

            pub(crate) async fn purchase(conn: &mut Conn, id: PurchaseId) -> StoreResult<Option<Purchase>> {
                let row = sqlx::query(
                    "SELECT id, member, total, returned, points_earned, points_reversed, credit_earned, \
                     credit_reversed FROM ledger_purchases WHERE id = $1",
                )
                .bind(id.get())
                .fetch_optional(&mut *conn)
                .await?;
                row.as_ref().map(Self::purchase_from_row).transpose()
            }

            /// `apply`, with an optional adjustment note written in the same transaction. A
            /// concurrent duplicate client id ends as a replay on the next attempt.
            async fn apply_noted(
                &self,
                client_id: &ClientId,
                request: &Request,
                note: Option<&AdjustmentNote>,
                now: Timestamp,
            ) -> StoreResult<Result<Outcome<Receipt>, LedgerError>> {
                retried!(self.try_apply(client_id, request, note, now))
            }

            /// One attempt of `apply`, in one transaction.
            async fn try_apply(
                &self,
                client_id: &ClientId,
                request: &Request,
                note: Option<&AdjustmentNote>,
                now: Timestamp,
            ) -> StoreResult<Result<Outcome<Receipt>, LedgerError>> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let mut snapshots = Vec::new();
                for member in request.members() {
                    snapshots.push(Self::lock_member(&mut tx, member).await?);
                }
                // Looked up under the locks: a concurrent duplicate takes the same locks, so by now
                // it has committed (and is found) or failed (and left nothing).
                if let Some((stored_request, stored_receipt)) = Self::stored_write(&mut tx, client_id).await? {
                    tx.rollback().await?;
                    return Ok(replay(client_id, (&stored_request, &stored_receipt), request));
                }
                let purchase = match request.purchase() {
                    Some(id) => Self::purchase(&mut tx, id).await?,
                    None => None,
                };
                let plan = match plan(request, &snapshots, purchase.as_ref(), now) {
                    Ok(plan) => plan,
                    Err(refused) => {
                        tx.rollback().await?;
                        return Ok(Err(refused));
                    }
                };
                let receipt = Self::write(&mut tx, client_id, request, plan, now).await?;
                if let Some(note) = note {
                    sqlx::query(
                        "INSERT INTO adjustments (client_id, member, by_account, reason, at) VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(client_id.as_str())
                    .bind(note.member.get())
                    .bind(note.by)
                    .bind(&note.reason)
                    .bind(now.unix_millis())
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(Ok(Outcome::Created(receipt)))
            }

            /// Plans and writes one single-member request inside the caller's transaction (a
            /// spin's charge or prize, a ticket buy, a raffle prize); a refusal writes nothing.
            pub(crate) async fn apply_in(
                conn: &mut Conn,
                client_id: &ClientId,
                request: Request,
                now: Timestamp,
            ) -> StoreResult<Result<(), engine::ledger::LedgerError>> {
                let member = request.members().first().copied().ok_or_else(|| corrupt("request without member", ""))?;
                let snapshot = Self::lock_member(conn, member).await?;
                match plan(&request, std::slice::from_ref(&snapshot), None, now) {
                    Ok(planned) => {
                        Self::write(conn, client_id, &request, planned, now).await?;
                        Ok(Ok(()))
                    }
                    Err(refused) => Ok(Err(refused)),
                }
            }

            /// Writes a plan: purchases first (lots refer to them), lots, journal, balances, and
            /// last the client id with the request and receipt.
            pub(crate) async fn write(
                conn: &mut Conn,
                client_id: &ClientId,
                request: &Request,
                plan: Plan,
                now: Timestamp,
            ) -> StoreResult<Receipt> {
                let Plan { postings, lots, purchases, balances } = plan;
                for change in purchases {
                    match change {
                        PurchaseChange::Open(p) => {
                            sqlx::query(
                                "INSERT INTO ledger_purchases (id, member, total, returned, points_earned, \
                                 points_reversed, credit_earned, credit_reversed, at) \
                                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                            )
                            .bind(p.id.get())
                            .bind(p.member.get())
                            .bind(p.total.to_minor())
                            .bind(p.returned.to_minor())
                            .bind(p.points_earned.get())
                            .bind(p.points_reversed.get())
                            .bind(p.credit_earned.to_minor())
                            .bind(p.credit_reversed.to_minor())
                            .bind(now.unix_millis())
                            .execute(&mut *conn)
                            .await
                            .map_err(write_error)?;
                        }
                        PurchaseChange::Returned { purchase, returned, points_reversed, credit_reversed } => {
                            let done = sqlx::query(
                                "UPDATE ledger_purchases SET returned = $2, points_reversed = $3, credit_reversed = $4 \
                                 WHERE id = $1",
                            )
                            .bind(purchase.get())
                            .bind(returned.to_minor())
                            .bind(points_reversed.get())
                            .bind(credit_reversed.to_minor())
                            .execute(&mut *conn)
                            .await?;
                            one_row(done.rows_affected(), || format!("purchase {purchase} is missing"))?;
                        }
                    }
                }
                for change in lots {
                    match change {
                        LotChange::Open(new) => {
                            sqlx::query(
                                "INSERT INTO ledger_lots (member, earned_at, expires_at, pending_until, purchase, \
                                 original, remaining) VALUES ($1, $2, $3, $4, $5, $6, $6)",
                            )
                            .bind(new.member.get())
                            .bind(new.earned_at.unix_millis())
                            .bind(new.expires_at.map(Timestamp::unix_millis))
                            .bind(new.pending_until.map(Timestamp::unix_millis))
                            .bind(new.purchase.map(PurchaseId::get))
                            .bind(new.amount.get())
                            .execute(&mut *conn)
                            .await?;
                        }
                        LotChange::Draw { member, lot, amount } => {
                            let done = sqlx::query(
                                "UPDATE ledger_lots SET remaining = remaining - $3 \
                                 WHERE id = $1 AND member = $2 AND remaining >= $3",
                            )
                            .bind(lot.get())
                            .bind(member.get())
                            .bind(amount.get())
                            .execute(&mut *conn)
                            .await?;
                            one_row(done.rows_affected(), || {
                                format!("lot {lot} of member {member} holds less than {amount}")
                            })?;
                        }
                        LotChange::Unlock { member, lot } => {
                            let done = sqlx::query(
                                "UPDATE ledger_lots SET pending_until = NULL \
                                 WHERE id = $1 AND member = $2 AND pending_until IS NOT NULL",
                            )
                            .bind(lot.get())
                            .bind(member.get())
                            .execute(&mut *conn)
                            .await?;
                            one_row(done.rows_affected(), || format!("lot {lot} of member {member} is not pending"))?;
                        }
                    }
                }
                let mut transfers = Vec::with_capacity(postings.len());
                for posting in postings {
                    let (from_member, from_account) = account_columns(posting.from);
                    let (to_member, to_account) = account_columns(posting.to);
                    let id: i64 = sqlx::query(
                        "INSERT INTO ledger_transfers (client_id, from_member, from_account, to_member, to_account, \
                         asset, amount, kind, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                    )
                    .bind(client_id.as_str())
                    .bind(from_member)
                    .bind(from_account)
                    .bind(to_member)
                    .bind(to_account)
                    .bind(posting.amount.asset().name())
                    .bind(amount_units(posting.amount))
                    .bind(kind_name(posting.kind))
                    .bind(now.unix_millis())
                    .fetch_one(&mut *conn)
                    .await?
                    .try_get("id")?;
                    let id = TransferId::new(id).map_err(|_| corrupt("transfer id", id))?;
                    transfers.push(Transfer { id, client_id: client_id.clone(), at: now, posting });
                }
                // The rows exist (`lock_member` made them), so a plain UPDATE suffices; an upsert
                // would have SQLite check the proposed row before resolving the conflict.
                for entry in &balances {
                    let b = entry.balances;
                    let done = sqlx::query(
                        "UPDATE ledger_members SET points = $2, pending_points = $3, owed_points = $4, credit = $5, \
                         owed_credit = $6 WHERE member = $1",
                    )
                    .bind(entry.member.get())
                    .bind(b.points.get())
                    .bind(b.pending_points.get())
                    .bind(b.owed_points.get())
                    .bind(b.credit.to_minor())
                    .bind(b.owed_credit.to_minor())
                    .execute(&mut *conn)
                    .await?;
                    one_row(done.rows_affected(), || format!("member {} has no ledger row", entry.member))?;
                }
                let receipt = Receipt { transfers, balances };
                sqlx::query("INSERT INTO ledger_requests (client_id, request, receipt, at) VALUES ($1, $2, $3, $4)")
                    .bind(client_id.as_str())
                    .bind(to_json(request, "request")?)
                    .bind(to_json(&receipt, "receipt")?)
                    .bind(now.unix_millis())
                    .execute(&mut *conn)
                    .await
                    .map_err(write_error)?;
                Ok(receipt)
            }
        }

        #[async_trait]
        impl LedgerStore for $store {
            async fn apply(
                &self,
                client_id: ClientId,
                request: Request,
                now: Timestamp,
            ) -> StoreResult<Result<Outcome<Receipt>, LedgerError>> {
                self.apply_noted(&client_id, &request, None, now).await
            }

            async fn adjust(
                &self,
                client_id: ClientId,
                request: Request,
                note: AdjustmentNote,
                now: Timestamp,
            ) -> StoreResult<Result<Outcome<Receipt>, LedgerError>> {
                self.apply_noted(&client_id, &request, Some(&note), now).await
            }

            async fn adjustments(&self, member: MemberId) -> StoreResult<Vec<StoredAdjustment>> {
                let rows = sqlx::query(
                    "SELECT a.client_id, a.by_account, a.reason, a.at, r.request, \
                     COALESCE(b.first_name || ' ' || b.last_name, b.first_name, b.phone, b.email) AS by_name \
                     FROM adjustments a JOIN ledger_requests r ON r.client_id = a.client_id \
                     JOIN accounts b ON b.id = a.by_account WHERE a.member = $1 ORDER BY a.at DESC, a.client_id",
                )
                .bind(member.get())
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|row| {
                        let request: String = row.try_get("request")?;
                        let Request::Adjust { change, .. } = serde_json::from_str(&request)
                            .map_err(|e| StoreError::Corrupt(format!("adjustment request: {e}")))?
                        else {
                            return Err(StoreError::Corrupt("an adjustment note on another kind of request".into()));
                        };
                        Ok(StoredAdjustment {
                            change,
                            by_name: row.try_get::<Option<String>, _>("by_name")?.unwrap_or_default(),
                            reason: row.try_get("reason")?,
                            at: Timestamp::from_unix_millis(row.try_get("at")?),
                        })
                    })
                    .collect()
            }

            async fn balances(&self, member: MemberId) -> StoreResult<Balances> {
                let row = sqlx::query(
                    "SELECT points, pending_points, owed_points, credit, owed_credit FROM ledger_members \
                     WHERE member = $1",
                )
                .bind(member.get())
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.as_ref().map(Self::balances_from_row).transpose()?.unwrap_or_default())
            }

            async fn lots(&self, member: MemberId) -> StoreResult<Vec<Lot>> {
                let rows = sqlx::query(lot_select!("WHERE member = $1 ORDER BY id"))
                .bind(member.get())
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(Self::lot_from_row).collect()
            }

            async fn journal(&self, member: MemberId, limit: i64) -> StoreResult<Vec<Transfer>> {
                let rows = sqlx::query(
                    "SELECT id, client_id, from_member, from_account, to_member, to_account, asset, amount, kind, at \
                     FROM ledger_transfers WHERE from_member = $1 OR to_member = $1 ORDER BY id DESC LIMIT $2",
                )
                .bind(member.get())
                // PostgreSQL refuses a negative LIMIT and SQLite reads it as none: both read zero.
                .bind(limit.max(0))
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(Self::transfer_from_row).collect()
            }

            async fn expiring_within(&self, member: MemberId, now: Timestamp, days: u32) -> StoreResult<Vec<Lot>> {
                let rows = sqlx::query(lot_select!(
                    "WHERE member = $1 AND remaining > 0 AND expires_at <= $2 ORDER BY expires_at, id"
                ))
                .bind(member.get())
                .bind(now.plus_days(i64::from(days)).unix_millis())
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(Self::lot_from_row).collect()
            }

            async fn liability(&self, now: Timestamp, days: u32) -> StoreResult<Liability> {
                // COALESCE and a cast keep SUM's type BIGINT on both backends, even over no rows.
                let totals = sqlx::query(
                    "SELECT COUNT(*) AS members, \
                     CAST(COALESCE(SUM(points), 0) AS BIGINT) AS points, \
                     CAST(COALESCE(SUM(pending_points), 0) AS BIGINT) AS pending_points, \
                     CAST(COALESCE(SUM(owed_points), 0) AS BIGINT) AS owed_points, \
                     CAST(COALESCE(SUM(credit), 0) AS BIGINT) AS credit, \
                     CAST(COALESCE(SUM(owed_credit), 0) AS BIGINT) AS owed_credit \
                     FROM ledger_members",
                )
                .fetch_one(&self.pool)
                .await?;
                let expiring = sqlx::query(
                    "SELECT CAST(COALESCE(SUM(remaining), 0) AS BIGINT) AS points FROM ledger_lots \
                     WHERE remaining > 0 AND expires_at <= $1",
                )
                .bind(now.plus_days(i64::from(days)).unix_millis())
                .fetch_one(&self.pool)
                .await?;
                let points = |column: &str| -> StoreResult<Points> {
                    let value: i64 = totals.try_get(column)?;
                    Points::new(value).map_err(|_| StoreError::Corrupt(format!("{column} total {value}")))
                };
                let money = |column: &str| -> StoreResult<Money> {
                    let value: i64 = totals.try_get(column)?;
                    Money::from_minor(value).map_err(|_| StoreError::Corrupt(format!("{column} total {value}")))
                };
                let expiring_points: i64 = expiring.try_get("points")?;
                Ok(Liability {
                    members: totals.try_get("members")?,
                    points: points("points")?,
                    pending_points: points("pending_points")?,
                    owed_points: points("owed_points")?,
                    credit: money("credit")?,
                    owed_credit: money("owed_credit")?,
                    expiring_points: Points::new(expiring_points)
                        .map_err(|_| StoreError::Corrupt(format!("expiring total {expiring_points}")))?,
                })
            }

            async fn sweep_due(&self, now: Timestamp) -> StoreResult<u64> {
                let rows = sqlx::query(
                    "SELECT DISTINCT member FROM ledger_lots \
                     WHERE remaining > 0 AND (expires_at <= $1 OR pending_until <= $1) ORDER BY member",
                )
                .bind(now.unix_millis())
                .fetch_all(&self.pool)
                .await?;
                let mut changed = 0;
                for row in rows {
                    let member = member_id(row.try_get("member")?)?;
                    // One id per member and instant: a second job sweeping the same instant
                    // replays the first instead of writing again.
                    let id = format!("sweep:{member}:{}", now.unix_millis());
                    let client_id = ClientId::parse(&id).map_err(|_| corrupt("sweep client id", &id))?;
                    match self.apply(client_id, Request::Sweep { member }, now).await? {
                        Ok(Outcome::Created(receipt)) if !receipt.transfers.is_empty() => changed += 1,
                        Ok(_) => {}
                        // A sweep only fails on rows that break the ledger's rules.
                        Err(refused) => return Err(corrupt(&format!("sweep of member {member}:"), refused)),
                    }
                }
                Ok(changed)
            }

            async fn audit(&self) -> StoreResult<LedgerAudit> {
                // One snapshot for every query, so concurrent writes cannot look like drift.
                let mut tx = self.pool.begin_with($begin_read).await?;
                let mut violations = Vec::new();

                // Net flow into each account: what reached it minus what left it.
                let rows = sqlx::query(
                    "SELECT member, account, asset, CAST(SUM(units) AS BIGINT) AS units, MIN(id) AS example FROM ( \
                     SELECT id, from_member AS member, from_account AS account, asset, -amount AS units \
                     FROM ledger_transfers UNION ALL \
                     SELECT id, to_member, to_account, asset, amount FROM ledger_transfers \
                     ) AS flows GROUP BY member, account, asset",
                )
                .fetch_all(&mut *tx)
                .await?;
                let mut flows: BTreeMap<Account, i128> = BTreeMap::new();
                let mut per_asset: BTreeMap<Asset, i128> = BTreeMap::new();
                for row in &rows {
                    let asset = asset_from(row.try_get("asset")?)?;
                    let account = account_from(row.try_get("member")?, row.try_get("account")?, asset)?;
                    let units = i128::from(row.try_get::<i64, _>("units")?);
                    if account.asset() != asset {
                        let example: i64 = row.try_get("example")?;
                        let transfer = TransferId::new(example).map_err(|_| corrupt("transfer id", example))?;
                        violations.push(InvariantViolation::AssetMismatch { transfer, asset: asset.name() });
                    }
                    *flows.entry(account).or_default() += units;
                    *per_asset.entry(asset).or_default() += units;
                }
                for (asset, sum) in per_asset {
                    if sum != 0 {
                        violations.push(InvariantViolation::Unbalanced { asset: asset.name(), sum });
                    }
                }

                let lot_rows = sqlx::query(
                    "SELECT member, \
                     CAST(SUM(CASE WHEN pending_until IS NULL THEN remaining ELSE 0 END) AS BIGINT) AS available, \
                     CAST(SUM(CASE WHEN pending_until IS NULL THEN 0 ELSE remaining END) AS BIGINT) AS pending \
                     FROM ledger_lots GROUP BY member",
                )
                .fetch_all(&mut *tx)
                .await?;
                let mut lots: BTreeMap<MemberId, (Points, Points)> = BTreeMap::new();
                for row in &lot_rows {
                    let member = member_id(row.try_get("member")?)?;
                    let available = points(row.try_get("available")?, "lots available")?;
                    lots.insert(member, (available, points(row.try_get("pending")?, "lots pending")?));
                }

                let members = sqlx::query(
                    "SELECT member, points, pending_points, owed_points, credit, owed_credit FROM ledger_members \
                     ORDER BY member",
                )
                .fetch_all(&mut *tx)
                .await?;
                for row in &members {
                    let member = member_id(row.try_get("member")?)?;
                    let stored = Self::balances_from_row(row)?;
                    for account in MemberAccount::ALL {
                        let flow = flows.get(&Account::member(member, account)).copied().unwrap_or(0);
                        let replayed = if account.is_debt() { -flow } else { flow };
                        let name = || Account::member(member, account).to_string();
                        if replayed < 0 {
                            violations.push(InvariantViolation::Negative { account: name(), balance: replayed });
                        }
                        let kept = stored.get(account).units();
                        if kept != replayed {
                            violations.push(InvariantViolation::BalanceDrift {
                                member,
                                field: member_account_name(account),
                                stored: kept.to_string(),
                                replayed: replayed.to_string(),
                            });
                        }
                    }
                    let (available, pending) = lots.get(&member).copied().unwrap_or_default();
                    for (field, held, balance) in
                        [("points", available, stored.points), ("pending points", pending, stored.pending_points)]
                    {
                        if held != balance {
                            violations.push(InvariantViolation::LotsDrift { member, field, lots: held, balance });
                        }
                    }
                    for (field, owes, holds) in [
                        ("points", stored.owed_points.is_zero(), stored.points.is_zero()),
                        ("credit", stored.owed_credit.is_zero(), stored.credit.is_zero()),
                    ] {
                        if !owes && !holds {
                            violations.push(InvariantViolation::OwedWhileHolding { member, field });
                        }
                    }
                }

                // The CHECKs keep returns and reversals within bounds; this is what they cannot see.
                let unreversed = sqlx::query(
                    "SELECT id FROM ledger_purchases WHERE returned = total AND total > 0 \
                     AND (points_reversed <> points_earned OR credit_reversed <> credit_earned) ORDER BY id",
                )
                .fetch_all(&mut *tx)
                .await?;
                for row in &unreversed {
                    let id: i64 = row.try_get("id")?;
                    violations.push(InvariantViolation::Purchase {
                        purchase: PurchaseId::new(id).map_err(|_| corrupt("purchase id", id))?,
                        reason: "fully returned but not fully reversed".to_owned(),
                    });
                }

                let transfers: i64 =
                    sqlx::query("SELECT COUNT(*) AS n FROM ledger_transfers").fetch_one(&mut *tx).await?.try_get("n")?;
                tx.commit().await?;
                let transfers = u64::try_from(transfers).map_err(|_| corrupt("transfer count", transfers))?;
                Ok(LedgerAudit { members: members.len() as u64, transfers, violations })
            }
        }
    };
}

mod sqlite {
    use super::*;
    ledger_stores!(SqliteLedger, SqlitePool, sqlx::Sqlite, sqlx::sqlite::SqliteRow,
        write: "BEGIN IMMEDIATE", lock: "", read: "BEGIN");
}

mod postgres {
    use super::*;
    ledger_stores!(PgLedger, PgPool, sqlx::Postgres, sqlx::postgres::PgRow,
        write: "BEGIN", lock: " FOR UPDATE", read: "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
}

pub use postgres::PgLedger;
pub use sqlite::SqliteLedger;
