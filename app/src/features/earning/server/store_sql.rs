//! `ReferralStore` in SQL that SQLite and PostgreSQL both accept, one body expanded per backend.

use async_trait::async_trait;
use engine::referral::InviteCode;
use sqlx::{PgPool, Row, SqlitePool};

use crate::features::earning::server::store::ReferralStore;
use crate::platform::server::store::{AccountId, StoreError, StoreResult};

macro_rules! referral_stores {
    ($store:ident, $pool:ty) => {
        pub struct $store {
            pool: $pool,
        }

        impl $store {
            pub fn new(pool: $pool) -> Self {
                Self { pool }
            }
        }

        #[async_trait]
        impl ReferralStore for $store {
            async fn invite_code(&self, member: AccountId) -> StoreResult<Option<InviteCode>> {
                let row = sqlx::query("SELECT invite_code FROM accounts WHERE id = $1")
                    .bind(member.0)
                    .fetch_optional(&self.pool)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                let code: Option<String> = row.try_get("invite_code")?;
                code.map(|c| InviteCode::parse(&c).map_err(|_| StoreError::Corrupt(format!("invite code {c:?}"))))
                    .transpose()
            }

            async fn issue_invite_code(&self, member: AccountId, code: &InviteCode) -> StoreResult<bool> {
                let done = sqlx::query("UPDATE accounts SET invite_code = $2 WHERE id = $1 AND invite_code IS NULL")
                    .bind(member.0)
                    .bind(code.as_str())
                    .execute(&self.pool)
                    .await
                    .map_err(|e| StoreError::from_write(e, "invite code"))?;
                Ok(done.rows_affected() == 1)
            }

            async fn member_by_invite_code(&self, code: &InviteCode) -> StoreResult<Option<AccountId>> {
                let row = sqlx::query("SELECT id FROM accounts WHERE invite_code = $1")
                    .bind(code.as_str())
                    .fetch_optional(&self.pool)
                    .await?;
                row.map(|row| Ok(AccountId(row.try_get("id")?))).transpose()
            }

            async fn set_inviter(&self, invitee: AccountId, inviter: AccountId) -> StoreResult<bool> {
                let done = sqlx::query(
                    "UPDATE accounts SET referred_by = $2 WHERE id = $1 AND referred_by IS NULL AND id <> $2",
                )
                .bind(invitee.0)
                .bind(inviter.0)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn inviter(&self, invitee: AccountId) -> StoreResult<Option<AccountId>> {
                let row = sqlx::query("SELECT referred_by FROM accounts WHERE id = $1")
                    .bind(invitee.0)
                    .fetch_optional(&self.pool)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                Ok(row.try_get::<Option<i64>, _>("referred_by")?.map(AccountId))
            }
        }
    };
}

referral_stores!(SqliteReferrals, SqlitePool);
referral_stores!(PgReferrals, PgPool);
