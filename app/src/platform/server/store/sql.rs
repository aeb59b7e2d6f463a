//! The stores in SQL that SQLite and PostgreSQL both accept. One body, expanded once per
//! backend, so the two can never drift apart.

use async_trait::async_trait;
use engine::access::RoleSet;
use engine::card::CardNumber;
use engine::email::Email;
use engine::phone::PhoneNumber;
use engine::profile::{City, Gender, PersonName};
use engine::ledger::MemberId;
use engine::time::{GregorianDate, Timestamp};
use sqlx::{PgPool, Row, SqlitePool};

use crate::features::pos::server::store::{Occasion, OwedAward};
use crate::platform::server::store::{
    Account, AccountId, AccountStore, Login, NewAccount, RoleChange, SessionRecords, SessionRow, StoreError,
    StoreResult, StoredProfile,
};

/// Every account query reads these columns, joined to the card in use.
macro_rules! account_select {
    ($tail:literal) => {
        concat!(
            "SELECT a.id, a.phone, a.email, a.password_hash, a.roles, a.first_name, a.last_name, ",
            "a.birthday, a.city, a.gender, a.created_at, c.number AS card ",
            "FROM accounts a JOIN cards c ON c.account_id = a.id AND c.retired_at IS NULL ",
            $tail
        )
    };
}

use crate::platform::server::store::corrupt;

fn parse_optional<T, E>(value: Option<String>, what: &str, parse: impl Fn(&str) -> Result<T, E>) -> StoreResult<Option<T>> {
    value.map(|v| parse(&v).map_err(|_| corrupt(what, &v))).transpose()
}

/// The stored text of a profile field, `None` for an empty one.
fn name_text(name: &Option<PersonName>) -> Option<&str> {
    name.as_ref().map(PersonName::as_str)
}

/// What search matches an account by, besides its card.
fn account_search_key(profile: &StoredProfile, phone: Option<&str>, email: Option<&str>) -> String {
    let parts = [name_text(&profile.first_name), name_text(&profile.last_name), phone, email];
    engine::text::search_key(&parts.into_iter().flatten().collect::<Vec<_>>().join(" "))
}

/// `%query%` for LIKE, with the query's own wildcards taken literally.
fn like_pattern(query: &str) -> String {
    let escaped = query.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

macro_rules! sql_stores {
    ($store:ident, $pool:ty, $row:ty) => {
        pub struct $store {
            pool: $pool,
        }

        impl $store {
            pub fn new(pool: $pool) -> Self {
                Self { pool }
            }

            fn account_from_row(row: &$row) -> StoreResult<Account> {
                let roles: i64 = row.try_get("roles")?;
                let card: String = row.try_get("card")?;
                Ok(Account {
                    id: AccountId(row.try_get("id")?),
                    phone: parse_optional(row.try_get("phone")?, "phone", PhoneNumber::parse)?,
                    email: parse_optional(row.try_get("email")?, "email", Email::parse)?,
                    password_hash: row.try_get("password_hash")?,
                    roles: RoleSet::from_bits(roles).ok_or_else(|| corrupt("roles", &roles.to_string()))?,
                    profile: StoredProfile {
                        first_name: parse_optional(row.try_get("first_name")?, "first name", PersonName::parse)?,
                        last_name: parse_optional(row.try_get("last_name")?, "last name", PersonName::parse)?,
                        birthday: parse_optional(row.try_get("birthday")?, "birthday", |s| {
                            GregorianDate::parse_iso(s).ok_or(())
                        })?,
                        city: parse_optional(row.try_get("city")?, "city", City::parse)?,
                        gender: parse_optional(row.try_get("gender")?, "gender", Gender::parse)?,
                    },
                    card: CardNumber::parse(&card).map_err(|_| corrupt("card", &card))?,
                    created_at: Timestamp::from_unix_millis(row.try_get("created_at")?),
                })
            }

            async fn account_where(&self, query: &'static str, key: &str) -> StoreResult<Option<Account>> {
                let row = sqlx::query(query).bind(key).fetch_optional(&self.pool).await?;
                row.as_ref().map(Self::account_from_row).transpose()
            }
        }

        #[async_trait]
        impl AccountStore for $store {
            async fn create_account(&self, new: NewAccount) -> StoreResult<Account> {
                let (phone, email) = match &new.login {
                    Login::Phone(p) => (Some(p.clone()), None),
                    Login::Email(e) => (None, Some(e.clone())),
                };
                let phone_text = phone.as_ref().map(PhoneNumber::as_str);
                let email_text = email.as_ref().map(Email::as_str);
                let key = account_search_key(&new.profile, phone_text, email_text);
                let mut tx = self.pool.begin().await?;
                let id: i64 = sqlx::query(
                    "INSERT INTO accounts (phone, email, password_hash, roles, first_name, last_name, search_key, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(phone_text)
                .bind(email_text)
                .bind(&new.password_hash)
                .bind(new.roles.bits())
                .bind(name_text(&new.profile.first_name))
                .bind(name_text(&new.profile.last_name))
                .bind(&key)
                .bind(new.now.unix_millis())
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| StoreError::from_write(e, "login"))?
                .try_get("id")?;
                sqlx::query("INSERT INTO cards (number, account_id, issued_at) VALUES ($1, $2, $3)")
                    .bind(new.card.as_str())
                    .bind(id)
                    .bind(new.now.unix_millis())
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| StoreError::from_write(e, "card"))?;
                if new.owed_sign_up_award {
                    let member = MemberId::new(id).map_err(|_| StoreError::Corrupt(format!("account id {id}")))?;
                    let award = OwedAward::new(member, Occasion::SignUp)?;
                    sqlx::query(OwedAward::SQL)
                        .bind(award.client_id.as_str())
                        .bind(id)
                        .bind(award.occasion_json()?)
                        .bind(new.now.unix_millis())
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(Account {
                    id: AccountId(id),
                    phone,
                    email,
                    password_hash: new.password_hash,
                    roles: new.roles,
                    profile: StoredProfile { birthday: None, city: None, gender: None, ..new.profile },
                    card: new.card,
                    created_at: new.now,
                })
            }

            async fn account(&self, id: AccountId) -> StoreResult<Option<Account>> {
                let row = sqlx::query(account_select!("WHERE a.id = $1")).bind(id.0).fetch_optional(&self.pool).await?;
                row.as_ref().map(Self::account_from_row).transpose()
            }

            async fn account_by_login(&self, login: &Login) -> StoreResult<Option<Account>> {
                match login {
                    Login::Phone(p) => self.account_where(account_select!("WHERE a.phone = $1"), p.as_str()).await,
                    Login::Email(e) => self.account_where(account_select!("WHERE a.email = $1"), e.as_str()).await,
                }
            }

            async fn account_by_card(&self, card: &CardNumber) -> StoreResult<Option<Account>> {
                self.account_where(account_select!("WHERE c.number = $1"), card.as_str()).await
            }

            async fn update_profile(&self, id: AccountId, profile: &StoredProfile) -> StoreResult<()> {
                let current = self.account(id).await?.ok_or(StoreError::NotFound)?;
                let key = account_search_key(
                    profile,
                    current.phone.as_ref().map(PhoneNumber::as_str),
                    current.email.as_ref().map(Email::as_str),
                );
                sqlx::query(
                    "UPDATE accounts SET first_name = $2, last_name = $3, birthday = $4, city = $5, gender = $6, \
                     search_key = $7 WHERE id = $1",
                )
                .bind(id.0)
                .bind(name_text(&profile.first_name))
                .bind(name_text(&profile.last_name))
                .bind(profile.birthday.map(GregorianDate::to_iso))
                .bind(profile.city.as_ref().map(City::as_str))
                .bind(profile.gender.map(Gender::as_str))
                .bind(&key)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn replace_card(&self, id: AccountId, new: &CardNumber, now: Timestamp) -> StoreResult<()> {
                let mut tx = self.pool.begin().await?;
                let retired = sqlx::query("UPDATE cards SET retired_at = $2 WHERE account_id = $1 AND retired_at IS NULL")
                    .bind(id.0)
                    .bind(now.unix_millis())
                    .execute(&mut *tx)
                    .await?;
                if retired.rows_affected() != 1 {
                    return Err(StoreError::NotFound);
                }
                sqlx::query("INSERT INTO cards (number, account_id, issued_at) VALUES ($1, $2, $3)")
                    .bind(new.as_str())
                    .bind(id.0)
                    .bind(now.unix_millis())
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| StoreError::from_write(e, "card"))?;
                tx.commit().await?;
                Ok(())
            }

            async fn set_roles(&self, id: AccountId, roles: RoleSet, by: AccountId, now: Timestamp) -> StoreResult<()> {
                let mut tx = self.pool.begin().await?;
                // The history row is written first, from the row itself, so the transaction only
                // ever writes and SQLite never has to upgrade a read lock.
                let recorded = sqlx::query(
                    "INSERT INTO role_changes (account_id, by_account_id, old_roles, new_roles, at) \
                     SELECT id, $2, roles, $3, $4 FROM accounts WHERE id = $1 AND roles <> $3",
                )
                .bind(id.0)
                .bind(by.0)
                .bind(roles.bits())
                .bind(now.unix_millis())
                .execute(&mut *tx)
                .await?;
                if recorded.rows_affected() == 1 {
                    sqlx::query("UPDATE accounts SET roles = $2 WHERE id = $1")
                        .bind(id.0)
                        .bind(roles.bits())
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn role_changes(&self, id: AccountId) -> StoreResult<Vec<RoleChange>> {
                let rows = sqlx::query(
                    "SELECT r.at, r.by_account_id, r.old_roles, r.new_roles, \
                     COALESCE(b.first_name || ' ' || b.last_name, b.first_name, b.phone, b.email) AS by_name \
                     FROM role_changes r JOIN accounts b ON b.id = r.by_account_id \
                     WHERE r.account_id = $1 ORDER BY r.id DESC",
                )
                .bind(id.0)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|row| {
                        let roles = |column: &str| -> StoreResult<RoleSet> {
                            let bits: i64 = row.try_get(column)?;
                            RoleSet::from_bits(bits).ok_or_else(|| corrupt("roles", &bits.to_string()))
                        };
                        Ok(RoleChange {
                            at: Timestamp::from_unix_millis(row.try_get("at")?),
                            by: AccountId(row.try_get("by_account_id")?),
                            by_name: row.try_get::<Option<String>, _>("by_name")?.unwrap_or_default(),
                            old: roles("old_roles")?,
                            new: roles("new_roles")?,
                        })
                    })
                    .collect()
            }

            async fn accounts_with_birthday(&self) -> StoreResult<Vec<Account>> {
                let rows = sqlx::query(account_select!("WHERE a.birthday IS NOT NULL ORDER BY a.id"))
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(Self::account_from_row).collect()
            }

            async fn search(&self, query: &str, limit: i64) -> StoreResult<Vec<Account>> {
                let rows = sqlx::query(account_select!(
                    "WHERE a.search_key LIKE $1 ESCAPE '\\' OR c.number LIKE $1 ESCAPE '\\' ORDER BY a.id DESC LIMIT $2"
                ))
                .bind(like_pattern(query))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(Self::account_from_row).collect()
            }

            async fn open_claim(&self, id: AccountId, password_hash: &str, code_digest: &str, now: Timestamp) -> StoreResult<bool> {
                let done = sqlx::query(
                    "INSERT INTO account_claims (account_id, password_hash, code_digest, created_at) \
                     SELECT id, $2, $3, $4 FROM accounts WHERE id = $1 AND password_hash = '' \
                     ON CONFLICT (account_id) DO UPDATE SET password_hash = excluded.password_hash, \
                     code_digest = excluded.code_digest, created_at = excluded.created_at",
                )
                .bind(id.0)
                .bind(password_hash)
                .bind(code_digest)
                .bind(now.unix_millis())
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn claim_opened_at(&self, id: AccountId) -> StoreResult<Option<Timestamp>> {
                let at: Option<i64> = sqlx::query_scalar("SELECT created_at FROM account_claims WHERE account_id = $1")
                    .bind(id.0)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(at.map(Timestamp::from_unix_millis))
            }

            async fn confirm_claim(&self, id: AccountId, code_digest: &str) -> StoreResult<bool> {
                let mut tx = self.pool.begin().await?;
                let claim = sqlx::query("DELETE FROM account_claims WHERE account_id = $1 RETURNING password_hash, code_digest")
                    .bind(id.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(claim) = claim else {
                    tx.rollback().await?;
                    return Ok(false);
                };
                let stored: String = claim.try_get("code_digest")?;
                let matches = engine::fair::hash::sha256(stored.as_bytes()) == engine::fair::hash::sha256(code_digest.as_bytes());
                if matches {
                    let hash: String = claim.try_get("password_hash")?;
                    sqlx::query("UPDATE accounts SET password_hash = $2 WHERE id = $1 AND password_hash = ''")
                        .bind(id.0)
                        .bind(&hash)
                        .execute(&mut *tx)
                        .await?;
                }
                // A wrong code closes the claim too: the code cannot be guessed one try at a time.
                tx.commit().await?;
                Ok(matches)
            }

            async fn count_accounts(&self) -> StoreResult<i64> {
                Ok(sqlx::query("SELECT COUNT(*) AS n FROM accounts").fetch_one(&self.pool).await?.try_get("n")?)
            }
        }

        #[async_trait]
        impl SessionRecords for $store {
            async fn insert_session(&self, id: &str, row: &SessionRow) -> StoreResult<bool> {
                let done = sqlx::query(
                    "INSERT INTO sessions (id, data, expires_at, ends_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING",
                )
                .bind(id)
                .bind(&row.data)
                .bind(row.expires_at.unix_millis())
                .bind(row.ends_at.unix_millis())
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn upsert_session(&self, id: &str, row: &SessionRow) -> StoreResult<()> {
                sqlx::query(
                    "INSERT INTO sessions (id, data, expires_at, ends_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
                )
                .bind(id)
                .bind(&row.data)
                .bind(row.expires_at.unix_millis())
                .bind(row.ends_at.unix_millis())
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn load_session(&self, id: &str, now: Timestamp) -> StoreResult<Option<SessionRow>> {
                let row = sqlx::query(
                    "SELECT data, expires_at, ends_at FROM sessions WHERE id = $1 AND expires_at > $2 AND ends_at > $2",
                )
                    .bind(id)
                    .bind(now.unix_millis())
                    .fetch_optional(&self.pool)
                    .await?;
                row.map(|row| {
                    Ok(SessionRow {
                        data: row.try_get("data")?,
                        expires_at: Timestamp::from_unix_millis(row.try_get("expires_at")?),
                        ends_at: Timestamp::from_unix_millis(row.try_get("ends_at")?),
                    })
                })
                .transpose()
            }

            async fn delete_session(&self, id: &str) -> StoreResult<()> {
                sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id).execute(&self.pool).await?;
                Ok(())
            }

            async fn delete_expired_sessions(&self, now: Timestamp) -> StoreResult<u64> {
                let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR ends_at <= $1")
                    .bind(now.unix_millis())
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected())
            }
        }
    };
}

sql_stores!(SqliteStore, SqlitePool, sqlx::sqlite::SqliteRow);
sql_stores!(PgStore, PgPool, sqlx::postgres::PgRow);
