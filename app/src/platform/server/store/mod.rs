//! Storage: one trait per area, implemented once in SQL that both SQLite and PostgreSQL accept
//! (`sql.rs`), over the pool the database URL selects (`connect.rs`).
//!
//! Architecture invariant: the SQL is portable because every stored value is an integer or text
//! (timestamps are Unix milliseconds), and placeholders are `$n`, which both drivers bind by
//! number.

pub mod connect;
pub mod ledger;
pub mod ledger_sql;
pub mod sql;

use async_trait::async_trait;
use engine::access::RoleSet;
use engine::card::CardNumber;
use engine::email::Email;
use engine::phone::PhoneNumber;
use engine::profile::{City, Gender, PersonName};
use engine::time::{GregorianDate, Timestamp};

pub use crate::features::admin::server::store::{Branch, BranchKey, ClubStore, KeyDigest, PolicyVersion};
pub use connect::{Backend, Database, redact};
pub use crate::features::fairness::server::store::{FairLogStore, LogEntry};
pub use ledger::{AdjustmentNote, LedgerAudit, LedgerStore, Liability, StoredAdjustment};
pub use crate::features::pos::server::store::{
    BalancesView, EventResult, EventWrite, ExternalId, Occasion, OwedAward, OwedPaid, PosKey, PosKind, PosRefusal, PosStore,
    PurchaseReceipt, PurchaseWrite, RedemptionReceipt, RedemptionWrite, Reply, ReturnReceipt, ReturnWrite, replay,
    two_places,
};
pub use crate::features::earning::server::store::ReferralStore;
pub use crate::features::wheels::server::store::{
    MemberWheel, RevealedPair, SeedPair, SpinEvidence, SpinReceipt, SpinRefusal, SpinRow, SpinWrite, StoredWheel, VerifiedRound,
    WheelStore,
};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} is already taken")]
    Duplicate(&'static str),
    #[error("not found")]
    NotFound,
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// A service beside the database (Redis) did not answer.
    #[error("{0}")]
    Unavailable(String),
}

impl StoreError {
    pub(crate) fn from_write(error: sqlx::Error, what: &'static str) -> Self {
        match error.as_database_error() {
            Some(db) if db.is_unique_violation() => Self::Duplicate(what),
            _ => Self::Database(error),
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A stored value the code cannot read back: `what` and the value, for the log.
pub(crate) fn corrupt(what: &str, value: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what} {value}"))
}

/// A stored integer that must not be negative (a count, an index, a round).
pub(crate) fn unsigned(value: i64, what: &str) -> StoreResult<u64> {
    u64::try_from(value).map_err(|_| corrupt(what, value))
}

/// An unsigned value as the integer columns store it.
pub(crate) fn signed(value: u64, what: &str) -> StoreResult<i64> {
    i64::try_from(value).map_err(|_| corrupt(what, value))
}

/// Longest idempotency key a client may send.
const MAX_CLIENT_KEY_LEN: usize = 64;

/// A client's idempotency key (a form's key, a partner's `external_id`), trimmed: 1 to 64
/// bytes without control characters; `None` for anything else.
pub(crate) fn client_key(text: &str) -> Option<&str> {
    let key = text.trim();
    (!key.is_empty() && key.len() <= MAX_CLIENT_KEY_LEN && !key.chars().any(char::is_control)).then_some(key)
}

/// The ledger client id of a member's charge in `scope` (`raffle`, `contest`, `coupon`) and its
/// `id`, under the member's own idempotency `key`: a digest of the key, so any key fits the
/// alphabet and a rerun maps to the same id.
pub(crate) fn keyed_client_id(scope: &str, id: i64, member: engine::ledger::MemberId, key: &str) -> StoreResult<engine::ledger::ClientId> {
    let digest = engine::fair::hexstr::encode(&engine::fair::sha256(format!("{scope}\n{id}\n{member}\n{key}").as_bytes()));
    let text = format!("{scope}:{id}:{}", digest.get(..40).unwrap_or(&digest));
    engine::ledger::ClientId::parse(&text).map_err(|_| corrupt(&format!("{scope} client id"), &text))
}

/// How often a write that lost a race on a unique key is run again; the rerun sees the winner.
pub(crate) const ATTEMPTS: usize = 3;

/// Runs a write future again while it loses races on unique keys (`StoreError::Duplicate`).
macro_rules! retried {
    ($call:expr) => {{
        let mut attempt = 1;
        loop {
            match $call.await {
                Err($crate::platform::server::store::StoreError::Duplicate(_))
                    if attempt < $crate::platform::server::store::ATTEMPTS => attempt += 1,
                result => break result,
            }
        }
    }};
}
pub(crate) use retried;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct AccountId(pub i64);

/// What a person signs in with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Login {
    Phone(PhoneNumber),
    Email(Email),
}

impl Login {
    /// A mobile number if it reads as one, else an email address.
    pub fn parse(input: &str) -> Option<Self> {
        if input.contains('@') {
            Email::parse(input).ok().map(Self::Email)
        } else {
            PhoneNumber::parse(input).ok().map(Self::Phone)
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Phone(phone) => phone.as_str(),
            Self::Email(email) => email.as_str(),
        }
    }
}

/// The stored profile. Birthdays are plain dates here: the age rule applies when one is entered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredProfile {
    pub first_name: Option<PersonName>,
    pub last_name: Option<PersonName>,
    pub birthday: Option<GregorianDate>,
    pub city: Option<City>,
    pub gender: Option<Gender>,
}

impl StoredProfile {
    pub fn display_name(&self) -> Option<String> {
        let parts: Vec<&str> = [&self.first_name, &self.last_name].into_iter().flatten().map(PersonName::as_str).collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: AccountId,
    pub phone: Option<PhoneNumber>,
    pub email: Option<Email>,
    pub password_hash: String,
    pub roles: RoleSet,
    pub profile: StoredProfile,
    /// The card in use; replaced cards stay on record but no longer identify anyone.
    pub card: CardNumber,
    pub created_at: Timestamp,
}

impl Account {
    /// A name for headers and lists: the person's name, else how they sign in.
    pub fn display_name(&self) -> String {
        self.profile.display_name().unwrap_or_else(|| self.login_text().to_owned())
    }

    pub fn login_text(&self) -> &str {
        self.phone.as_ref().map(PhoneNumber::as_str).or(self.email.as_ref().map(Email::as_str)).unwrap_or_default()
    }
}

#[derive(Debug, Clone)]
pub struct NewAccount {
    pub login: Login,
    pub password_hash: String,
    pub roles: RoleSet,
    pub profile: StoredProfile,
    pub card: CardNumber,
    pub now: Timestamp,
    /// Owe the member the sign-up bonus in the account's own transaction (`OwedAward`).
    pub owed_sign_up_award: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleChange {
    pub at: Timestamp,
    pub by: AccountId,
    pub by_name: String,
    pub old: RoleSet,
    pub new: RoleSet,
}

#[async_trait]
pub trait AccountStore: Send + Sync + 'static {
    /// Creates the account and its first card in one transaction.
    async fn create_account(&self, new: NewAccount) -> StoreResult<Account>;
    async fn account(&self, id: AccountId) -> StoreResult<Option<Account>>;
    async fn account_by_login(&self, login: &Login) -> StoreResult<Option<Account>>;
    /// Only the card in use identifies its holder.
    async fn account_by_card(&self, card: &CardNumber) -> StoreResult<Option<Account>>;
    async fn update_profile(&self, id: AccountId, profile: &StoredProfile) -> StoreResult<()>;
    /// Retires the card in use and makes `new` the one in use, atomically.
    async fn replace_card(&self, id: AccountId, new: &CardNumber, now: Timestamp) -> StoreResult<()>;
    /// Sets the roles and records who changed them from what, atomically.
    async fn set_roles(&self, id: AccountId, roles: RoleSet, by: AccountId, now: Timestamp) -> StoreResult<()>;
    async fn role_changes(&self, id: AccountId) -> StoreResult<Vec<RoleChange>>;
    /// Every account with a birthday on record.
    async fn accounts_with_birthday(&self) -> StoreResult<Vec<Account>>;
    /// Accounts whose name, phone, email or card in use contains `query` (a search key).
    async fn search(&self, query: &str, limit: i64) -> StoreResult<Vec<Account>>;
    async fn count_accounts(&self) -> StoreResult<i64>;
    /// Opens (or replaces) the claim of an account that has no password yet (one enrolled at a
    /// till): the password it will take and the digest of the claimant's code. False when the
    /// account has a password, or is gone.
    async fn open_claim(&self, id: AccountId, password_hash: &str, code_digest: &str, now: Timestamp) -> StoreResult<bool>;
    /// When the account's open claim was made, if it has one.
    async fn claim_opened_at(&self, id: AccountId) -> StoreResult<Option<Timestamp>>;
    /// Closes the open claim: with the right code the account takes the claimed password (true);
    /// with a wrong one nothing is set (false), so the claimant must claim again.
    async fn confirm_claim(&self, id: AccountId, code_digest: &str) -> StoreResult<bool>;
}

/// A stored session: opaque data the session layer serialises, when it lapses unless used
/// again (`expires_at`), and when it ends whatever happens (`ends_at`, fixed when it is made).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub data: String,
    pub expires_at: Timestamp,
    pub ends_at: Timestamp,
}

/// Sessions by the digest of their id: the caller never passes a plain session id.
#[async_trait]
pub trait SessionRecords: Send + Sync + 'static {
    /// Inserts unless the id exists; false on a collision.
    async fn insert_session(&self, id: &str, row: &SessionRow) -> StoreResult<bool>;
    /// Saves the data and expiry; a session that exists keeps its `ends_at`.
    async fn upsert_session(&self, id: &str, row: &SessionRow) -> StoreResult<()>;
    /// The session unless it has lapsed or ended by `now`.
    async fn load_session(&self, id: &str, now: Timestamp) -> StoreResult<Option<SessionRow>>;
    async fn delete_session(&self, id: &str) -> StoreResult<()>;
    async fn delete_expired_sessions(&self, now: Timestamp) -> StoreResult<u64>;
}
