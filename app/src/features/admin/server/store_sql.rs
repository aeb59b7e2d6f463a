//! `ClubStore` in SQL that SQLite and PostgreSQL both accept, one body expanded per backend.

use async_trait::async_trait;
use engine::earn::{BranchId, Policy};
use engine::time::Timestamp;
use sqlx::{PgPool, Row, SqlitePool};

use crate::features::admin::server::store::{Branch, BranchKey, ClubStore, KeyDigest, PolicyVersion};
use crate::platform::server::store::{AccountId, StoreError, StoreResult};

use crate::platform::server::store::corrupt;

pub(crate) fn branch_id(value: i64) -> StoreResult<BranchId> {
    BranchId::new(value).map_err(|_| corrupt("branch id", value))
}

macro_rules! club_stores {
    ($store:ident, $pool:ty, $db:ty, $row:ty) => {
        pub struct $store {
            pool: $pool,
        }

        impl $store {
            pub fn new(pool: $pool) -> Self {
                Self { pool }
            }

            fn policy_from_row(row: &$row) -> StoreResult<PolicyVersion> {
                let document: String = row.try_get("document")?;
                Ok(PolicyVersion {
                    id: row.try_get("id")?,
                    policy: Policy::from_json(&document).map_err(|e| corrupt("policy:", e))?,
                    created_by: row.try_get::<Option<i64>, _>("created_by")?.map(AccountId),
                    created_at: Timestamp::from_unix_millis(row.try_get("created_at")?),
                })
            }

            fn branch_from_row(row: &$row) -> StoreResult<Branch> {
                Ok(Branch {
                    id: branch_id(row.try_get("id")?)?,
                    name: row.try_get("name")?,
                    created_at: Timestamp::from_unix_millis(row.try_get("created_at")?),
                })
            }

            fn key_from_row(row: &$row) -> StoreResult<BranchKey> {
                Ok(BranchKey {
                    id: row.try_get("id")?,
                    branch: branch_id(row.try_get("branch_id")?)?,
                    prefix: row.try_get("prefix")?,
                    created_at: Timestamp::from_unix_millis(row.try_get("created_at")?),
                    revoked_at: row.try_get::<Option<i64>, _>("revoked_at")?.map(Timestamp::from_unix_millis),
                })
            }

            async fn insert_key<'c, E>(conn: E, branch: BranchId, key: &KeyDigest, now: Timestamp) -> StoreResult<BranchKey>
            where
                E: sqlx::Executor<'c, Database = $db>,
            {
                let row = sqlx::query(
                    "INSERT INTO branch_keys (branch_id, key_hash, prefix, created_at) VALUES ($1, $2, $3, $4) \
                     RETURNING id, branch_id, prefix, created_at, revoked_at",
                )
                .bind(branch.get())
                .bind(&key.hash)
                .bind(&key.prefix)
                .bind(now.unix_millis())
                .fetch_one(conn)
                .await
                .map_err(|e| match e.as_database_error() {
                    Some(db) if db.is_foreign_key_violation() => StoreError::NotFound,
                    _ => StoreError::from_write(e, "key"),
                })?;
                Self::key_from_row(&row)
            }
        }

        #[async_trait]
        impl ClubStore for $store {
            async fn active_policy(&self) -> StoreResult<Option<PolicyVersion>> {
                let row = sqlx::query(
                    "SELECT id, document, created_by, created_at FROM club_policies ORDER BY id DESC LIMIT 1",
                )
                .fetch_optional(&self.pool)
                .await?;
                row.as_ref().map(Self::policy_from_row).transpose()
            }

            async fn save_policy(&self, policy: &Policy, by: Option<AccountId>, now: Timestamp) -> StoreResult<PolicyVersion> {
                let id: i64 = sqlx::query(
                    "INSERT INTO club_policies (document, created_by, created_at) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(policy.to_json())
                .bind(by.map(|a| a.0))
                .bind(now.unix_millis())
                .fetch_one(&self.pool)
                .await?
                .try_get("id")?;
                Ok(PolicyVersion { id, policy: policy.clone(), created_by: by, created_at: now })
            }

            async fn policy_history(&self, limit: i64) -> StoreResult<Vec<PolicyVersion>> {
                let rows = sqlx::query(
                    "SELECT id, document, created_by, created_at FROM club_policies ORDER BY id DESC LIMIT $1",
                )
                .bind(limit.max(0))
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(Self::policy_from_row).collect()
            }

            async fn create_branch(&self, name: &str, key: &KeyDigest, now: Timestamp) -> StoreResult<(Branch, BranchKey)> {
                let mut tx = self.pool.begin().await?;
                let row = sqlx::query("INSERT INTO branches (name, created_at) VALUES ($1, $2) RETURNING id, name, created_at")
                    .bind(name)
                    .bind(now.unix_millis())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| StoreError::from_write(e, "branch"))?;
                let branch = Self::branch_from_row(&row)?;
                let key = Self::insert_key(&mut *tx, branch.id, key, now).await?;
                tx.commit().await?;
                Ok((branch, key))
            }

            async fn branches(&self) -> StoreResult<Vec<Branch>> {
                let rows = sqlx::query("SELECT id, name, created_at FROM branches ORDER BY id").fetch_all(&self.pool).await?;
                rows.iter().map(Self::branch_from_row).collect()
            }

            async fn add_key(&self, branch: BranchId, key: &KeyDigest, now: Timestamp) -> StoreResult<BranchKey> {
                Self::insert_key(&self.pool, branch, key, now).await
            }

            async fn keys(&self, branch: BranchId) -> StoreResult<Vec<BranchKey>> {
                let rows = sqlx::query(
                    "SELECT id, branch_id, prefix, created_at, revoked_at FROM branch_keys WHERE branch_id = $1 \
                     ORDER BY id DESC",
                )
                .bind(branch.get())
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(Self::key_from_row).collect()
            }

            async fn revoke_key(&self, key: i64, now: Timestamp) -> StoreResult<()> {
                let done = sqlx::query("UPDATE branch_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
                    .bind(key)
                    .bind(now.unix_millis())
                    .execute(&self.pool)
                    .await?;
                if done.rows_affected() == 1 { Ok(()) } else { Err(StoreError::NotFound) }
            }

            async fn branch_by_key(&self, hash: &str) -> StoreResult<Option<BranchId>> {
                let row = sqlx::query("SELECT branch_id FROM branch_keys WHERE key_hash = $1 AND revoked_at IS NULL")
                    .bind(hash)
                    .fetch_optional(&self.pool)
                    .await?;
                row.map(|row| branch_id(row.try_get("branch_id")?)).transpose()
            }

            async fn cashier_branches(&self, account: AccountId) -> StoreResult<Vec<BranchId>> {
                let rows = sqlx::query("SELECT branch_id FROM cashier_branches WHERE account_id = $1 ORDER BY branch_id")
                    .bind(account.0)
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(|row| branch_id(row.try_get("branch_id")?)).collect()
            }

            async fn set_cashier_branches(&self, account: AccountId, branches: &[BranchId], now: Timestamp) -> StoreResult<()> {
                let mut tx = self.pool.begin().await?;
                sqlx::query("DELETE FROM cashier_branches WHERE account_id = $1").bind(account.0).execute(&mut *tx).await?;
                for branch in branches {
                    sqlx::query(
                        "INSERT INTO cashier_branches (account_id, branch_id, assigned_at) VALUES ($1, $2, $3) \
                         ON CONFLICT (account_id, branch_id) DO NOTHING",
                    )
                    .bind(account.0)
                    .bind(branch.get())
                    .bind(now.unix_millis())
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| if e.as_database_error().is_some_and(|d| d.is_foreign_key_violation()) { StoreError::NotFound } else { e.into() })?;
                }
                tx.commit().await?;
                Ok(())
            }
        }
    };
}

club_stores!(SqliteClub, SqlitePool, sqlx::Sqlite, sqlx::sqlite::SqliteRow);
club_stores!(PgClub, PgPool, sqlx::Postgres, sqlx::postgres::PgRow);
