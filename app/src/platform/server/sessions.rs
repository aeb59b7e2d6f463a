//! tower-sessions over our own `sessions` table, on either backend. The table holds the SHA-256
//! of each session id, never the id: a leaked copy of it (a backup, a replica) opens no session.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use engine::time::Timestamp;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use crate::platform::server::clock;
use crate::platform::server::store::{SessionRecords, SessionRow};

#[derive(Clone)]
pub struct DbSessionStore {
    records: Arc<dyn SessionRecords>,
}

impl DbSessionStore {
    pub fn new(records: Arc<dyn SessionRecords>) -> Self {
        Self { records }
    }
}

impl fmt::Debug for DbSessionStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DbSessionStore")
    }
}

fn backend(error: impl fmt::Display) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

/// How long a session may last from sign-in, however often it is used.
pub const ABSOLUTE_LIFETIME_MS: i64 = 30 * 24 * 60 * 60 * 1000;

/// The key a session is stored under.
fn digest(id: &Id) -> String {
    engine::fair::hexstr::encode(&engine::fair::hash::sha256(id.to_string().as_bytes()))
}

fn to_row(record: &Record) -> session_store::Result<SessionRow> {
    let data = serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))?;
    let ms = record.expiry_date.unix_timestamp_nanos() / 1_000_000;
    let expires_at = Timestamp::from_unix_millis(i64::try_from(ms).map_err(backend)?);
    let ends_at = Timestamp::from_unix_millis(clock::now().unix_millis().saturating_add(ABSOLUTE_LIFETIME_MS));
    Ok(SessionRow { data, expires_at: expires_at.min(ends_at), ends_at })
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // Ids are 128 random bits; a collision is all but impossible, but never overwrite one.
        while !self.records.insert_session(&digest(&record.id), &to_row(record)?).await.map_err(backend)? {
            record.id = Id::default();
        }
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.records.upsert_session(&digest(&record.id), &to_row(record)?).await.map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let Some(row) = self.records.load_session(&digest(id), clock::now()).await.map_err(backend)? else {
            return Ok(None);
        };
        let data = serde_json::from_str(&row.data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        // The cookie lapses no later than the session ends.
        let nanos = i128::from(row.expires_at.min(row.ends_at).unix_millis()) * 1_000_000;
        let expiry_date = time::OffsetDateTime::from_unix_timestamp_nanos(nanos).map_err(backend)?;
        Ok(Some(Record { id: *id, data, expiry_date }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.records.delete_session(&digest(id)).await.map_err(backend)
    }
}
