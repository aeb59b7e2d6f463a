//! `FairLogStore` in SQL that SQLite and PostgreSQL both accept, one body expanded per backend.
//! The backends differ only in how an append locks the log: on SQLite the write transaction
//! (`BEGIN IMMEDIATE`) is the lock; PostgreSQL takes a transaction advisory lock. Either lock
//! is held until commit, so committed records always form a dense prefix of indices.


use async_trait::async_trait;
use engine::fair::{Hash, MerkleError, MerkleTree, Record, hexstr, merkle};
use engine::time::Timestamp;
use sqlx::{PgPool, Row, SqlitePool};
use tokio::sync::Mutex;

use crate::features::fairness::server::store::{FairLogStore, LogEntry, StoredCosignature};
use crate::platform::server::store::{StoreError, StoreResult};

fn corrupt(what: &str, value: impl std::fmt::Display) -> StoreError {
    crate::platform::server::store::corrupt(&format!("fairlog {what}"), value)
}

fn index_of(value: i64) -> StoreResult<u64> {
    u64::try_from(value).map_err(|_| corrupt("index", value))
}

fn hash_of(text: &str) -> StoreResult<Hash> {
    hexstr::decode32(text).ok_or_else(|| corrupt("leaf hash", text))
}

/// The tree of the committed log, kept per process with every level, so any checkpoint's root
/// and proofs come from stored nodes in O(log² n) and an append adds O(log n) work. Rows are only
/// ever added and commit as a dense prefix, so catching up is reading the rows past the cached
/// end, whoever appended them.
struct Leaves {
    tree: MerkleTree,
}

impl Default for Leaves {
    fn default() -> Self {
        Self { tree: MerkleTree::new(Vec::new()) }
    }
}

impl Leaves {
    fn extend(&mut self, rows: Vec<(i64, String)>) -> StoreResult<()> {
        let mut hashes = Vec::with_capacity(rows.len());
        for (offset, (index, hash)) in rows.into_iter().enumerate() {
            if index_of(index)? != (self.tree.size() + offset) as u64 {
                return Err(corrupt("gap before index", index));
            }
            hashes.push(hash_of(&hash)?);
        }
        self.tree.extend(hashes);
        Ok(())
    }

    fn size(&self) -> u64 {
        self.tree.size() as u64
    }
}

/// A tree size as an index type; one that does not fit is larger than any log.
fn prefix(size: u64, new: u64) -> Result<usize, MerkleError> {
    usize::try_from(size).map_err(|_| MerkleError::BadSizes { old: size, new })
}

macro_rules! fairlog_stores {
    ($store:ident, $pool:ty, $db:ty, write: $begin_write:literal, lock: $lock:expr) => {
        pub struct $store {
            pool: $pool,
            leaves: Mutex<Leaves>,
        }

        type Conn = <$db as sqlx::Database>::Connection;

        impl $store {
            pub fn new(pool: $pool) -> Self {
                Self { pool, leaves: Mutex::new(Leaves::default()) }
            }

            /// Appends `record` inside the caller's transaction and returns its leaf index; it is
            /// logged exactly when that transaction commits. On SQLite the transaction must hold
            /// the write lock (`BEGIN IMMEDIATE`, as every write here does); on PostgreSQL this
            /// takes the log's lock until the transaction ends, so append late in a long one.
            pub(crate) async fn append_in(
                conn: &mut Conn,
                record: &Record,
                now: Timestamp,
            ) -> StoreResult<u64> {
                if let Some(lock) = $lock {
                    sqlx::query(lock).execute(&mut *conn).await?;
                }
                let row = sqlx::query(
                    "INSERT INTO fairlog_records (leaf_index, kind, record, leaf_hash, at) \
                     SELECT COALESCE(MAX(leaf_index) + 1, 0), $1, $2, $3, $4 FROM fairlog_records \
                     RETURNING leaf_index",
                )
                .bind(record.kind())
                .bind(record.encode_string())
                .bind(hexstr::encode(&record.leaf_hash()))
                .bind(now.unix_millis())
                .fetch_one(&mut *conn)
                .await
                .map_err(|e| StoreError::from_write(e, "log index"))?;
                index_of(row.try_get("leaf_index")?)
            }

            /// Takes the log's lock inside the caller's transaction (held to its end), for a
            /// writer that must take it before other locks.
            pub(crate) async fn lock_in(conn: &mut Conn) -> StoreResult<()> {
                if let Some(lock) = $lock {
                    sqlx::query(lock).execute(&mut *conn).await?;
                }
                Ok(())
            }

            async fn catch_up(&self, leaves: &mut Leaves) -> StoreResult<()> {
                let from = i64::try_from(leaves.size()).map_err(|_| corrupt("size", leaves.size()))?;
                let rows = sqlx::query(
                    "SELECT leaf_index, leaf_hash FROM fairlog_records WHERE leaf_index >= $1 ORDER BY leaf_index",
                )
                .bind(from)
                .fetch_all(&self.pool)
                .await?;
                let rows = rows
                    .iter()
                    .map(|row| Ok((row.try_get("leaf_index")?, row.try_get("leaf_hash")?)))
                    .collect::<StoreResult<Vec<_>>>()?;
                leaves.extend(rows)
            }

            /// Runs `answer` on the tree of every committed record. The lock is held for one
            /// catch-up query and a proof of O(log² n) hashes, never a rebuild.
            async fn with_tree<T>(&self, answer: impl FnOnce(&MerkleTree) -> T) -> StoreResult<T> {
                let mut leaves = self.leaves.lock().await;
                self.catch_up(&mut leaves).await?;
                Ok(answer(&leaves.tree))
            }
        }

        #[async_trait]
        impl FairLogStore for $store {
            async fn append(&self, record: &Record, now: Timestamp) -> StoreResult<u64> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let index = Self::append_in(&mut tx, record, now).await?;
                tx.commit().await?;
                Ok(index)
            }

            async fn record(&self, index: u64) -> StoreResult<Option<LogEntry>> {
                let Ok(key) = i64::try_from(index) else { return Ok(None) };
                let row = sqlx::query("SELECT kind, record, leaf_hash, at FROM fairlog_records WHERE leaf_index = $1")
                    .bind(key)
                    .fetch_optional(&self.pool)
                    .await?;
                row.map(|row| {
                    let record: String = row.try_get("record")?;
                    let leaf_hash = hash_of(&row.try_get::<String, _>("leaf_hash")?)?;
                    // Proofs are built from the stored hash: a record that no longer hashes to
                    // it was altered, and serving it would only mislead.
                    if merkle::leaf_hash(record.as_bytes()) != leaf_hash {
                        return Err(corrupt("record does not match its leaf hash at index", index));
                    }
                    Ok(LogEntry {
                        index,
                        kind: row.try_get("kind")?,
                        record,
                        leaf_hash,
                        at: Timestamp::from_unix_millis(row.try_get("at")?),
                    })
                })
                .transpose()
            }

            async fn size(&self) -> StoreResult<u64> {
                self.with_tree(|tree| tree.size() as u64).await
            }

            async fn root(&self, size: u64) -> StoreResult<Result<Hash, MerkleError>> {
                self.with_tree(|tree| tree.root_at(prefix(size, size)?)).await
            }

            async fn inclusion_proof(&self, index: u64, size: u64) -> StoreResult<Result<Vec<Hash>, MerkleError>> {
                self.with_tree(|tree| {
                    let at = usize::try_from(index).map_err(|_| MerkleError::IndexOutOfRange { index, size })?;
                    tree.inclusion_proof_at(at, prefix(size, size)?)
                })
                .await
            }

            async fn consistency_proof(&self, old: u64, new: u64) -> StoreResult<Result<Vec<Hash>, MerkleError>> {
                self.with_tree(|tree| tree.consistency_proof_at(prefix(old, new)?, prefix(new, new)?)).await
            }

            async fn add_cosignature(&self, c: &StoredCosignature, now: Timestamp) -> StoreResult<bool> {
                let size = i64::try_from(c.size).map_err(|_| corrupt("cosigned size", c.size))?;
                let signed_at = i64::try_from(c.signed_at).map_err(|_| corrupt("cosignature time", c.signed_at))?;
                let done = sqlx::query(
                    "INSERT INTO log_cosignatures (witness, size, root, signed_at, note, received_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (witness, size) DO NOTHING",
                )
                .bind(&c.witness)
                .bind(size)
                .bind(hexstr::encode(&c.root))
                .bind(signed_at)
                .bind(&c.note)
                .bind(now.unix_millis())
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn latest_cosignatures(&self) -> StoreResult<Vec<StoredCosignature>> {
                let rows = sqlx::query(
                    "SELECT c.witness, c.size, c.root, c.signed_at, c.note FROM log_cosignatures c \
                     WHERE c.size = (SELECT MAX(l.size) FROM log_cosignatures l WHERE l.witness = c.witness) ORDER BY c.witness",
                )
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|row| {
                        Ok(StoredCosignature {
                            witness: row.try_get("witness")?,
                            size: index_of(row.try_get("size")?)?,
                            root: hash_of(&row.try_get::<String, _>("root")?)?,
                            signed_at: index_of(row.try_get("signed_at")?)?,
                            note: row.try_get("note")?,
                        })
                    })
                    .collect()
            }
        }
    };
}

mod sqlite {
    use super::*;
    fairlog_stores!(SqliteFairLog, SqlitePool, sqlx::Sqlite, write: "BEGIN IMMEDIATE", lock: None::<&'static str>);
}

mod postgres {
    use super::*;
    // The key is "fairlog" in ASCII, so no other advisory lock of the app collides with it.
    fairlog_stores!(PgFairLog, PgPool, sqlx::Postgres, write: "BEGIN",
        lock: Some("SELECT pg_advisory_xact_lock(28817553143656295)"));
}

pub use postgres::PgFairLog;
pub use sqlite::SqliteFairLog;
