//! `CouponStore` in SQL that SQLite and PostgreSQL both accept, one body expanded per backend.
//!
//! Lock order: a buy locks the listing, then its member (the ledger's helper); a redemption
//! locks only its code (`FOR UPDATE OF c`), so redemptions never wait on sales.

use async_trait::async_trait;
use engine::coupon::{CodeText, CouponState, ListingSpec, buy, redeem};
use engine::ledger::{Amount, MemberId, Outcome, Request};
use engine::time::Timestamp;
use sqlx::{PgPool, Row, SqlitePool};

use crate::features::coupons::server::store::{
    CouponBuy, CouponReceipt, CouponRefused, CouponStore, HeldCoupon, Partner, PartnerKey, Redeemed, RedeemRefused, SettlementLine,
    StoredListing,
};
use crate::platform::server::store::ledger_sql::{PgLedger, SqliteLedger};
use crate::platform::server::store::{AccountId, StoreError, StoreResult, corrupt, keyed_client_id, retried, unsigned};

/// Codes written per INSERT: three parameters each.
const CODES_PER_STATEMENT: usize = 2_000;

macro_rules! listing_columns {
    () => {
        "SELECT l.id, l.spec, l.stock, l.sold, l.held, p.id AS partner_id, p.name_fa, p.name_en \
         FROM coupon_listings l JOIN partners p ON p.id = l.partner"
    };
}

macro_rules! coupon_stores {
    ($store:ident, $pool:ty, $db:ty, ledger: $ledger:ident, write: $begin_write:literal, lock: $lock:literal, lock_code: $lock_code:literal) => {
        pub struct $store {
            pool: $pool,
        }

        type Conn = <$db as sqlx::Database>::Connection;

        fn listing_of(row: &<$db as sqlx::Database>::Row) -> StoreResult<StoredListing> {
            let spec: String = row.try_get("spec")?;
            Ok(StoredListing {
                id: row.try_get("id")?,
                partner: Partner { id: row.try_get("partner_id")?, name_fa: row.try_get("name_fa")?, name_en: row.try_get("name_en")? },
                spec: serde_json::from_str(&spec).map_err(|e| corrupt("listing spec", e))?,
                stock: unsigned(row.try_get("stock")?, "stock")?,
                sold: unsigned(row.try_get("sold")?, "sold")?,
                held: unsigned(row.try_get("held")?, "held")?,
            })
        }

        fn key_of(row: &<$db as sqlx::Database>::Row) -> StoreResult<PartnerKey> {
            Ok(PartnerKey {
                id: row.try_get("id")?,
                partner: row.try_get("partner")?,
                label: row.try_get("label")?,
                prefix: row.try_get("prefix")?,
                revoked: row.try_get::<Option<i64>, _>("revoked_at")?.is_some(),
            })
        }

        impl $store {
            pub fn new(pool: $pool) -> Self {
                Self { pool }
            }

            /// Gives `member` one code of `listing` held for `holder`, as a prize, in the caller's
            /// transaction (a raffle's draw); `None` if no held code is left. `key` names the
            /// award in `coupon_buys`, so the settlement counts it like a sale.
            pub(crate) async fn award_held_in(conn: &mut Conn, holder: &str, listing: i64, member: MemberId, key: &str, now: Timestamp) -> StoreResult<Option<String>> {
                let row = sqlx::query(concat!(
                    "SELECT c.id, c.code, l.spec FROM coupon_codes c JOIN coupon_listings l ON l.id = c.listing \
                     WHERE c.listing = $1 AND c.held_for = $2 AND c.member IS NULL ORDER BY c.id LIMIT 1"
                ))
                .bind(listing)
                .bind(holder)
                .fetch_optional(&mut *conn)
                .await?;
                let Some(row) = row else { return Ok(None) };
                let (id, code): (i64, String) = (row.try_get("id")?, row.try_get("code")?);
                let spec: ListingSpec = serde_json::from_str(&row.try_get::<String, _>("spec")?).map_err(|e| corrupt("listing spec", e))?;
                let receipt = serde_json::json!({ "listing": listing, "code": code, "prize": holder }).to_string();
                let buy: i64 = sqlx::query_scalar(
                    "INSERT INTO coupon_buys (listing, member, client_key, request, answer, code, points, settlement, at) \
                     VALUES ($1, $2, $3, 'prize', $4, $5, 0, $6, $7) RETURNING id",
                )
                .bind(listing)
                .bind(member.get())
                .bind(key)
                .bind(receipt)
                .bind(id)
                .bind(spec.settlement_price().to_minor())
                .bind(now.unix_millis())
                .fetch_one(&mut *conn)
                .await
                .map_err(|e| StoreError::from_write(e, "coupon prize"))?;
                sqlx::query("UPDATE coupon_codes SET member = $2, buy = $3, sold_at = $4, held_for = NULL WHERE id = $1")
                    .bind(id)
                    .bind(member.get())
                    .bind(buy)
                    .bind(now.unix_millis())
                    .execute(&mut *conn)
                    .await?;
                sqlx::query("UPDATE coupon_listings SET sold = sold + 1, held = held - 1 WHERE id = $1").bind(listing).execute(&mut *conn).await?;
                Ok(Some(code))
            }

            /// Puts back on sale every code still held for `holder` (prizes a draw did not give).
            pub(crate) async fn release_held_in(conn: &mut Conn, holder: &str) -> StoreResult<()> {
                let rows = sqlx::query("SELECT listing, COUNT(*) AS n FROM coupon_codes WHERE held_for = $1 AND member IS NULL GROUP BY listing")
                    .bind(holder)
                    .fetch_all(&mut *conn)
                    .await?;
                for row in &rows {
                    sqlx::query("UPDATE coupon_listings SET held = held - $2 WHERE id = $1")
                        .bind(row.try_get::<i64, _>("listing")?)
                        .bind(row.try_get::<i64, _>("n")?)
                        .execute(&mut *conn)
                        .await?;
                }
                sqlx::query("UPDATE coupon_codes SET held_for = NULL WHERE held_for = $1 AND member IS NULL").bind(holder).execute(&mut *conn).await?;
                Ok(())
            }

            async fn stored_answer(conn: &mut Conn, listing: i64, member: MemberId, key: &str) -> StoreResult<Option<(String, CouponReceipt)>> {
                let row = sqlx::query("SELECT request, answer FROM coupon_buys WHERE listing = $1 AND member = $2 AND client_key = $3")
                    .bind(listing)
                    .bind(member.get())
                    .bind(key)
                    .fetch_optional(&mut *conn)
                    .await?;
                row.map(|row| {
                    let answer: String = row.try_get("answer")?;
                    Ok((row.try_get("request")?, serde_json::from_str(&answer).map_err(|e| corrupt("coupon answer", e))?))
                })
                .transpose()
            }

            async fn try_buy(&self, w: &CouponBuy, request: &str, now: Timestamp) -> StoreResult<Result<Outcome<CouponReceipt>, CouponRefused>> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                macro_rules! refuse {
                    ($why:expr) => {{
                        tx.rollback().await?;
                        return Ok(Err($why));
                    }};
                }
                let locked = sqlx::query(concat!("SELECT id, spec, stock, sold, held FROM coupon_listings WHERE id = $1", $lock))
                    .bind(w.listing)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(locked) = locked else { refuse!(CouponRefused::NoListing) };
                // Under the listing's lock: a concurrent duplicate has committed (and is found) or left nothing.
                if let Some((stored, receipt)) = Self::stored_answer(&mut tx, w.listing, w.member, &w.client_key).await? {
                    tx.rollback().await?;
                    return Ok(if stored == request { Ok(Outcome::Replayed(receipt)) } else { Err(CouponRefused::KeyReused) });
                }
                let spec: ListingSpec = serde_json::from_str(&locked.try_get::<String, _>("spec")?).map_err(|e| corrupt("listing spec", e))?;
                let held: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM coupon_codes WHERE listing = $1 AND member = $2")
                    .bind(w.listing)
                    .bind(w.member.get())
                    .fetch_one(&mut *tx)
                    .await?;
                let cost = match buy(&spec, &w.tier, u32::try_from(held).unwrap_or(u32::MAX), now) {
                    Ok(cost) => cost,
                    Err(refusal) => refuse!(CouponRefused::Rules(refusal)),
                };
                let (stock, sold, held): (i64, i64, i64) = (locked.try_get("stock")?, locked.try_get("sold")?, locked.try_get("held")?);
                if sold + held >= stock {
                    refuse!(CouponRefused::SoldOut);
                }
                let free = sqlx::query("SELECT id, code FROM coupon_codes WHERE listing = $1 AND member IS NULL AND held_for IS NULL ORDER BY id LIMIT 1")
                    .bind(w.listing)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(free) = free else { return Err(corrupt("listing counts a free code it does not have", w.listing)) };
                let (code_id, code): (i64, String) = (free.try_get("id")?, free.try_get("code")?);
                if !cost.is_zero() {
                    let charge = Request::Spend { member: w.member, amount: Amount::Points(cost) };
                    if let Err(refused) = $ledger::apply_in(&mut tx, &keyed_client_id("coupon", w.listing, w.member, &w.client_key)?, charge, now).await? {
                        refuse!(CouponRefused::Ledger(refused));
                    }
                }
                let buy_id: i64 = sqlx::query_scalar(
                    "INSERT INTO coupon_buys (listing, member, client_key, request, answer, code, points, settlement, at) \
                     VALUES ($1, $2, $3, $4, '', $5, $6, $7, $8) RETURNING id",
                )
                .bind(w.listing)
                .bind(w.member.get())
                .bind(&w.client_key)
                .bind(request)
                .bind(code_id)
                .bind(cost.get())
                .bind(spec.settlement_price().to_minor())
                .bind(now.unix_millis())
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| StoreError::from_write(e, "coupon buy key"))?;
                sqlx::query("UPDATE coupon_codes SET member = $2, buy = $3, sold_at = $4 WHERE id = $1 AND member IS NULL")
                    .bind(code_id)
                    .bind(w.member.get())
                    .bind(buy_id)
                    .bind(now.unix_millis())
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("UPDATE coupon_listings SET sold = sold + 1 WHERE id = $1").bind(w.listing).execute(&mut *tx).await?;
                let balances = $ledger::lock_member(&mut tx, w.member).await?.balances;
                let receipt = CouponReceipt { listing: w.listing, code, points_charged: cost.get(), valid_until_ms: spec.valid_until().unix_millis(), balances };
                let answer = serde_json::to_string(&receipt).map_err(|e| corrupt("coupon answer", e))?;
                sqlx::query("UPDATE coupon_buys SET answer = $2 WHERE id = $1").bind(buy_id).bind(answer).execute(&mut *tx).await?;
                tx.commit().await?;
                Ok(Ok(Outcome::Created(receipt)))
            }
        }

        #[async_trait]
        impl CouponStore for $store {
            async fn create_partner(&self, name_fa: &str, name_en: &str, now: Timestamp) -> StoreResult<Partner> {
                let id: i64 = sqlx::query_scalar("INSERT INTO partners (name_fa, name_en, created_at) VALUES ($1, $2, $3) RETURNING id")
                    .bind(name_fa)
                    .bind(name_en)
                    .bind(now.unix_millis())
                    .fetch_one(&self.pool)
                    .await?;
                Ok(Partner { id, name_fa: name_fa.to_owned(), name_en: name_en.to_owned() })
            }

            async fn partners(&self) -> StoreResult<Vec<Partner>> {
                let rows = sqlx::query("SELECT id, name_fa, name_en FROM partners ORDER BY id").fetch_all(&self.pool).await?;
                rows.iter().map(|r| Ok(Partner { id: r.try_get("id")?, name_fa: r.try_get("name_fa")?, name_en: r.try_get("name_en")? })).collect()
            }

            async fn partner(&self, id: i64) -> StoreResult<Option<Partner>> {
                let row = sqlx::query("SELECT id, name_fa, name_en FROM partners WHERE id = $1").bind(id).fetch_optional(&self.pool).await?;
                row.map(|r| Ok(Partner { id: r.try_get("id")?, name_fa: r.try_get("name_fa")?, name_en: r.try_get("name_en")? })).transpose()
            }

            async fn set_partner_user(&self, partner: i64, account: AccountId, now: Timestamp) -> StoreResult<()> {
                sqlx::query(
                    "INSERT INTO partner_users (account, partner, added_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (account) DO UPDATE SET partner = excluded.partner, added_at = excluded.added_at",
                )
                .bind(account.0)
                .bind(partner)
                .bind(now.unix_millis())
                .execute(&self.pool)
                .await
                .map_err(|e| StoreError::from_write(e, "partner user"))?;
                Ok(())
            }

            async fn partner_of(&self, account: AccountId) -> StoreResult<Option<i64>> {
                Ok(sqlx::query_scalar("SELECT partner FROM partner_users WHERE account = $1").bind(account.0).fetch_optional(&self.pool).await?)
            }

            async fn partner_users(&self, partner: i64) -> StoreResult<Vec<AccountId>> {
                let ids: Vec<i64> = sqlx::query_scalar("SELECT account FROM partner_users WHERE partner = $1 ORDER BY account")
                    .bind(partner)
                    .fetch_all(&self.pool)
                    .await?;
                Ok(ids.into_iter().map(AccountId).collect())
            }

            async fn add_key(&self, partner: i64, label: &str, digest: &str, prefix: &str, now: Timestamp) -> StoreResult<PartnerKey> {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO partner_keys (partner, label, digest, prefix, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(partner)
                .bind(label)
                .bind(digest)
                .bind(prefix)
                .bind(now.unix_millis())
                .fetch_one(&self.pool)
                .await
                .map_err(|e| StoreError::from_write(e, "partner key"))?;
                Ok(PartnerKey { id, partner, label: label.to_owned(), prefix: prefix.to_owned(), revoked: false })
            }

            async fn keys(&self, partner: i64) -> StoreResult<Vec<PartnerKey>> {
                let rows = sqlx::query("SELECT id, partner, label, prefix, revoked_at FROM partner_keys WHERE partner = $1 ORDER BY id")
                    .bind(partner)
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(key_of).collect()
            }

            async fn key_by_digest(&self, digest: &str) -> StoreResult<Option<PartnerKey>> {
                let row = sqlx::query("SELECT id, partner, label, prefix, revoked_at FROM partner_keys WHERE digest = $1 AND revoked_at IS NULL")
                    .bind(digest)
                    .fetch_optional(&self.pool)
                    .await?;
                row.as_ref().map(key_of).transpose()
            }

            async fn create_listing(&self, partner: i64, spec: &ListingSpec, codes: &[CodeText], now: Timestamp) -> StoreResult<StoredListing> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let text = serde_json::to_string(spec).map_err(|e| corrupt("listing spec", e))?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO coupon_listings (partner, spec, category, stock, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(partner)
                .bind(&text)
                .bind(spec.category().as_str())
                .bind(i64::try_from(codes.len()).map_err(|_| corrupt("stock", codes.len()))?)
                .bind(now.unix_millis())
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| StoreError::from_write(e, "listing"))?;
                for chunk in codes.chunks(CODES_PER_STATEMENT) {
                    let mut insert = sqlx::QueryBuilder::<$db>::new("INSERT INTO coupon_codes (listing, partner, code) ");
                    insert.push_values(chunk, |mut b, code| {
                        b.push_bind(id).push_bind(partner).push_bind(code.as_str().to_owned());
                    });
                    insert.build().execute(&mut *tx).await.map_err(|e| StoreError::from_write(e, "coupon code"))?;
                }
                let row = sqlx::query(concat!(listing_columns!(), " WHERE l.id = $1")).bind(id).fetch_one(&mut *tx).await?;
                let listing = listing_of(&row)?;
                tx.commit().await?;
                Ok(listing)
            }

            async fn listings(&self, partner: Option<i64>) -> StoreResult<Vec<StoredListing>> {
                let rows = match partner {
                    Some(p) => sqlx::query(concat!(listing_columns!(), " WHERE l.partner = $1 ORDER BY l.id DESC")).bind(p).fetch_all(&self.pool).await?,
                    None => sqlx::query(concat!(listing_columns!(), " ORDER BY l.id DESC")).fetch_all(&self.pool).await?,
                };
                rows.iter().map(listing_of).collect()
            }

            async fn listing(&self, id: i64) -> StoreResult<Option<StoredListing>> {
                let row = sqlx::query(concat!(listing_columns!(), " WHERE l.id = $1")).bind(id).fetch_optional(&self.pool).await?;
                row.as_ref().map(listing_of).transpose()
            }

            async fn partner_codes(&self, partner: i64) -> StoreResult<Vec<CodeText>> {
                let codes: Vec<String> = sqlx::query_scalar("SELECT code FROM coupon_codes WHERE partner = $1").bind(partner).fetch_all(&self.pool).await?;
                codes.iter().map(|c| CodeText::parse(c).ok_or_else(|| corrupt("coupon code", c))).collect()
            }

            async fn buy_answer(&self, listing: i64, member: MemberId, client_key: &str) -> StoreResult<Option<(String, CouponReceipt)>> {
                let mut conn = self.pool.acquire().await?;
                Self::stored_answer(&mut conn, listing, member, client_key).await
            }

            async fn buy(&self, w: &CouponBuy, request: &str, now: Timestamp) -> StoreResult<Result<Outcome<CouponReceipt>, CouponRefused>> {
                retried!(self.try_buy(w, request, now))
            }

            async fn held(&self, member: MemberId) -> StoreResult<Vec<HeldCoupon>> {
                let rows = sqlx::query(concat!(
                    "SELECT c.code, c.sold_at, c.used_at, c.used_place, l.id, l.spec, l.stock, l.sold, l.held, p.id AS partner_id, p.name_fa, p.name_en \
                     FROM coupon_codes c JOIN coupon_listings l ON l.id = c.listing JOIN partners p ON p.id = l.partner \
                     WHERE c.member = $1 ORDER BY c.sold_at DESC, c.id DESC"
                ))
                .bind(member.get())
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|row| {
                        let used_at: Option<i64> = row.try_get("used_at")?;
                        let place: Option<String> = row.try_get("used_place")?;
                        Ok(HeldCoupon {
                            code: row.try_get("code")?,
                            listing: listing_of(row)?,
                            bought_at: Timestamp::from_unix_millis(row.try_get::<Option<i64>, _>("sold_at")?.unwrap_or(0)),
                            used: used_at.map(|at| (Timestamp::from_unix_millis(at), place.unwrap_or_default())),
                        })
                    })
                    .collect()
            }

            async fn redemption_answer(&self, partner: i64, external_id: &str) -> StoreResult<Option<(String, u16, String)>> {
                let row = sqlx::query("SELECT body_hash, status, answer FROM coupon_redemptions WHERE partner = $1 AND external_id = $2")
                    .bind(partner)
                    .bind(external_id)
                    .fetch_optional(&self.pool)
                    .await?;
                row.map(|r| {
                    let status: i64 = r.try_get("status")?;
                    Ok((r.try_get("body_hash")?, u16::try_from(status).map_err(|_| corrupt("status", status))?, r.try_get("answer")?))
                })
                .transpose()
            }

            async fn redeem(&self, partner: i64, place: &str, code: &CodeText, external_id: &str, body_hash: &str, now: Timestamp) -> StoreResult<Result<Redeemed, RedeemRefused>> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let row = sqlx::query(concat!(
                    "SELECT c.id, c.listing, c.member, c.used_at, c.used_place, l.spec FROM coupon_codes c \
                     JOIN coupon_listings l ON l.id = c.listing WHERE c.partner = $1 AND c.code = $2",
                    $lock_code
                ))
                .bind(partner)
                .bind(code.as_str())
                .fetch_optional(&mut *tx)
                .await?;
                // Under the code's lock: a concurrent request with the same id has committed or left nothing.
                let earlier: Option<(String, String)> = sqlx::query("SELECT body_hash, answer FROM coupon_redemptions WHERE partner = $1 AND external_id = $2")
                    .bind(partner)
                    .bind(external_id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .map(|r| Ok::<_, StoreError>((r.try_get("body_hash")?, r.try_get("answer")?)))
                    .transpose()?;
                if let Some((hash, answer)) = earlier {
                    tx.rollback().await?;
                    if hash != body_hash {
                        return Ok(Err(RedeemRefused::Conflict));
                    }
                    return serde_json::from_str(&answer).map(Ok).map_err(|e| corrupt("redemption answer", e));
                }
                let Some(row) = row else {
                    tx.rollback().await?;
                    return Ok(Err(RedeemRefused::Unknown));
                };
                if row.try_get::<Option<i64>, _>("member")?.is_none() {
                    tx.rollback().await?;
                    return Ok(Err(RedeemRefused::Unknown));
                }
                let spec: ListingSpec = serde_json::from_str(&row.try_get::<String, _>("spec")?).map_err(|e| corrupt("listing spec", e))?;
                let used_at: Option<i64> = row.try_get("used_at")?;
                let used_place: Option<String> = row.try_get("used_place")?;
                let state = CouponState {
                    valid_until: spec.valid_until(),
                    used: used_at.map(|at| (Timestamp::from_unix_millis(at), used_place.unwrap_or_default())),
                };
                if let Err(refusal) = redeem(&state, now) {
                    tx.rollback().await?;
                    return Ok(Err(RedeemRefused::Refusal(refusal)));
                }
                let id: i64 = row.try_get("id")?;
                sqlx::query("UPDATE coupon_codes SET used_at = $2, used_place = $3 WHERE id = $1 AND used_at IS NULL")
                    .bind(id)
                    .bind(now.unix_millis())
                    .bind(place)
                    .execute(&mut *tx)
                    .await?;
                let answer = Redeemed {
                    code: code.as_str().to_owned(),
                    listing: row.try_get("listing")?,
                    title_fa: spec.title_fa().as_str().to_owned(),
                    title_en: spec.title_en().as_str().to_owned(),
                    used_at_ms: now.unix_millis(),
                    place: place.to_owned(),
                };
                let text = serde_json::to_string(&answer).map_err(|e| corrupt("redemption answer", e))?;
                sqlx::query("INSERT INTO coupon_redemptions (partner, external_id, body_hash, status, answer, at) VALUES ($1, $2, $3, 200, $4, $5)")
                    .bind(partner)
                    .bind(external_id)
                    .bind(body_hash)
                    .bind(text)
                    .bind(now.unix_millis())
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| StoreError::from_write(e, "redemption id"))?;
                tx.commit().await?;
                Ok(Ok(answer))
            }

            async fn hold(&self, listing: i64, count: u32, holder: &str) -> StoreResult<bool> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let row = sqlx::query(concat!("SELECT stock, sold, held FROM coupon_listings WHERE id = $1", $lock))
                    .bind(listing)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(row) = row else {
                    tx.rollback().await?;
                    return Ok(false);
                };
                let (stock, sold, held): (i64, i64, i64) = (row.try_get("stock")?, row.try_get("sold")?, row.try_get("held")?);
                if stock - sold - held < i64::from(count) {
                    tx.rollback().await?;
                    return Ok(false);
                }
                sqlx::query(
                    "UPDATE coupon_codes SET held_for = $3 WHERE id IN \
                     (SELECT id FROM coupon_codes WHERE listing = $1 AND member IS NULL AND held_for IS NULL ORDER BY id LIMIT $2)",
                )
                .bind(listing)
                .bind(i64::from(count))
                .bind(holder)
                .execute(&mut *tx)
                .await?;
                sqlx::query("UPDATE coupon_listings SET held = held + $2 WHERE id = $1").bind(listing).bind(i64::from(count)).execute(&mut *tx).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn release(&self, holder: &str) -> StoreResult<()> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                Self::release_held_in(&mut tx, holder).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn outstanding(&self, now: Timestamp) -> StoreResult<(u64, i64)> {
                let rows = sqlx::query(
                    "SELECT l.spec, COUNT(c.id) AS n, CAST(COALESCE(SUM(b.settlement), 0) AS BIGINT) AS owed FROM coupon_codes c \
                     JOIN coupon_listings l ON l.id = c.listing JOIN coupon_buys b ON b.code = c.id \
                     WHERE c.member IS NOT NULL AND c.used_at IS NULL GROUP BY l.id, l.spec",
                )
                .fetch_all(&self.pool)
                .await?;
                let mut total = (0u64, 0i64);
                for row in &rows {
                    let spec: ListingSpec = serde_json::from_str(&row.try_get::<String, _>("spec")?).map_err(|e| corrupt("listing spec", e))?;
                    if now < spec.valid_until() {
                        total.0 += unsigned(row.try_get("n")?, "coupons")?;
                        total.1 += row.try_get::<i64, _>("owed")?;
                    }
                }
                Ok(total)
            }

            async fn remember_refusal(&self, partner: i64, external_id: &str, body_hash: &str, status: u16, answer: &str, now: Timestamp) -> StoreResult<()> {
                sqlx::query(
                    "INSERT INTO coupon_redemptions (partner, external_id, body_hash, status, answer, at) VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (partner, external_id) DO NOTHING",
                )
                .bind(partner)
                .bind(external_id)
                .bind(body_hash)
                .bind(i64::from(status))
                .bind(answer)
                .bind(now.unix_millis())
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn settlement(&self, partner: i64, from: Timestamp, until: Timestamp) -> StoreResult<Vec<SettlementLine>> {
                let rows = sqlx::query(
                    "SELECT l.id, l.spec, COUNT(b.id) AS sold, \
                     CAST(COALESCE(SUM(CASE WHEN c.used_at IS NOT NULL AND c.used_at < $3 THEN 1 ELSE 0 END), 0) AS BIGINT) AS redeemed, \
                     CAST(COALESCE(SUM(b.settlement), 0) AS BIGINT) AS owed \
                     FROM coupon_listings l JOIN coupon_buys b ON b.listing = l.id AND b.at >= $2 AND b.at < $3 \
                     JOIN coupon_codes c ON c.id = b.code WHERE l.partner = $1 GROUP BY l.id, l.spec ORDER BY l.id",
                )
                .bind(partner)
                .bind(from.unix_millis())
                .bind(until.unix_millis())
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|row| {
                        let spec: ListingSpec = serde_json::from_str(&row.try_get::<String, _>("spec")?).map_err(|e| corrupt("listing spec", e))?;
                        let sold = unsigned(row.try_get("sold")?, "sold")?;
                        let redeemed = unsigned(row.try_get("redeemed")?, "redeemed")?;
                        Ok(SettlementLine {
                            listing: row.try_get("id")?,
                            title_fa: spec.title_fa().as_str().to_owned(),
                            title_en: spec.title_en().as_str().to_owned(),
                            sold,
                            redeemed,
                            expired_unused: if spec.valid_until() <= until { sold - redeemed } else { 0 },
                            owed_minor: row.try_get("owed")?,
                        })
                    })
                    .collect()
            }
        }
    };
}

mod sqlite {
    use super::*;
    coupon_stores!(SqliteCoupons, SqlitePool, sqlx::Sqlite, ledger: SqliteLedger, write: "BEGIN IMMEDIATE", lock: "", lock_code: "");
}

mod postgres {
    use super::*;
    coupon_stores!(PgCoupons, PgPool, sqlx::Postgres, ledger: PgLedger, write: "BEGIN", lock: " FOR UPDATE", lock_code: " FOR UPDATE OF c");
}

pub use postgres::PgCoupons;
pub use sqlite::SqliteCoupons;
