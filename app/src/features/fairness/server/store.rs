//! The fairness log (`fairlog/v1`): one append-only RFC 6962 log of canonical records, with the
//! roots and proofs a verifier needs. Records are only ever appended; there is no way to change
//! or remove one, here or in the schema.

use async_trait::async_trait;
use engine::fair::{Hash, MerkleError, Record};
use engine::time::Timestamp;

use crate::platform::server::store::StoreResult;

/// A logged record as stored: its leaf index, kind, canonical text (the leaf) and leaf hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    pub index: u64,
    pub kind: String,
    /// The canonical record bytes, which are UTF-8.
    pub record: String,
    pub leaf_hash: Hash,
    pub at: Timestamp,
}

/// A witness's cosignature of one checkpoint, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCosignature {
    pub witness: String,
    pub size: u64,
    pub root: Hash,
    /// The witness's timestamp, POSIX seconds.
    pub signed_at: u64,
    /// The checkpoint with the log's and the witness's signature lines.
    pub note: String,
}

#[async_trait]
pub trait FairLogStore: Send + Sync + 'static {
    /// Appends a record in a transaction of its own and returns its leaf index. Concurrent
    /// appends queue on the log's lock, so indices are dense.
    async fn append(&self, record: &Record, now: Timestamp) -> StoreResult<u64>;
    /// The record at `index`, if the log has one there.
    async fn record(&self, index: u64) -> StoreResult<Option<LogEntry>>;
    /// Number of committed records.
    async fn size(&self) -> StoreResult<u64>;
    /// Root of the tree of the first `size` records (`size` up to the log's size).
    async fn root(&self, size: u64) -> StoreResult<Result<Hash, MerkleError>>;
    /// RFC 6962 `PATH(index, D[size])`.
    async fn inclusion_proof(&self, index: u64, size: u64) -> StoreResult<Result<Vec<Hash>, MerkleError>>;
    /// RFC 6962 `PROOF(old, D[new])`, `old` in `1..=new`.
    async fn consistency_proof(&self, old: u64, new: u64) -> StoreResult<Result<Vec<Hash>, MerkleError>>;
    /// Keeps a verified cosignature; `false` if this witness already cosigned that size.
    async fn add_cosignature(&self, cosignature: &StoredCosignature, now: Timestamp) -> StoreResult<bool>;
    /// Each witness's cosignature of the largest tree it cosigned.
    async fn latest_cosignatures(&self) -> StoreResult<Vec<StoredCosignature>>;
}
