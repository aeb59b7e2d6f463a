//! An in-memory `fairlog/v1` log: canonical record bytes in append order, with the RFC 6962
//! root, inclusion proofs and checkpoints of any prefix. The app stores leaves in its
//! database; this type lets the app and tests build checkpoints and bundles from values.

use super::checkpoint::Checkpoint;
use super::log::Record;
use super::{Hash, MerkleError, MerkleTree, merkle};

/// Leaves of a log in index order.
#[derive(Debug, Clone, Default)]
pub struct MemoryLog {
    leaves: Vec<Vec<u8>>,
}

impl MemoryLog {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a record's canonical bytes and returns its leaf index.
    pub fn append(&mut self, record: &Record) -> u64 {
        self.append_leaf(record.encode())
    }

    /// Appends raw leaf bytes (as loaded from storage) and returns the leaf index.
    pub fn append_leaf(&mut self, leaf: Vec<u8>) -> u64 {
        self.leaves.push(leaf);
        self.leaves.len() as u64 - 1
    }

    pub fn size(&self) -> u64 {
        self.leaves.len() as u64
    }

    pub fn leaf(&self, index: u64) -> Option<&[u8]> {
        self.leaves
            .get(usize::try_from(index).ok()?)
            .map(Vec::as_slice)
    }

    /// The stored tree of the first `size` leaves.
    pub fn tree(&self, size: u64) -> Result<MerkleTree, MerkleError> {
        let n = usize::try_from(size)
            .ok()
            .filter(|&n| n <= self.leaves.len())
            .ok_or(MerkleError::BadSizes {
                old: size,
                new: self.size(),
            })?;
        Ok(MerkleTree::new(
            self.leaves[..n]
                .iter()
                .map(|l| merkle::leaf_hash(l))
                .collect(),
        ))
    }

    /// Root of the first `size` leaves.
    pub fn root(&self, size: u64) -> Result<Hash, MerkleError> {
        Ok(self.tree(size)?.root())
    }

    /// The (unsigned) checkpoint of the whole log.
    pub fn checkpoint(&self, origin: &str) -> Result<Checkpoint, MerkleError> {
        Ok(Checkpoint::new(
            origin,
            self.size(),
            self.root(self.size())?,
        ))
    }
}
