//! A stored RFC 6962 tree: every level kept once (2n hashes), so a server can hand out inclusion
//! and consistency proofs for a million-leaf draw in O(log² n) each instead of rehashing the
//! whole tree per request. Proofs equal RFC 6962 `PATH` and `PROOF` exactly.

use super::merkle::node_hash;
use super::{Hash, MerkleError, sha256};

/// All levels of the tree: `levels[0]` are the leaf hashes, the last level is the root.
/// Each level pairs the one below and carries an odd last node up unchanged, which is the
/// same tree as RFC 6962's split at the largest power of two.
#[derive(Debug, Clone)]
pub struct MerkleTree {
    levels: Vec<Vec<Hash>>,
}

impl MerkleTree {
    /// Builds every level from the leaf hashes in O(n).
    pub fn new(leaf_hashes: Vec<Hash>) -> Self {
        let mut levels = vec![leaf_hashes];
        while let Some(last) = levels.last().filter(|l| l.len() > 1) {
            let pairs = last.chunks_exact(2);
            let carried = pairs.remainder().first().copied();
            let mut next: Vec<Hash> = pairs.map(|p| node_hash(&p[0], &p[1])).collect();
            next.extend(carried);
            levels.push(next);
        }
        Self { levels }
    }

    /// Number of leaves.
    pub fn size(&self) -> usize {
        self.levels.first().map_or(0, Vec::len)
    }

    /// The leaf hashes.
    pub fn leaf_hashes(&self) -> &[Hash] {
        self.levels.first().map_or(&[], Vec::as_slice)
    }

    /// `MTH` of all leaves (the hash of the empty string for no leaves).
    pub fn root(&self) -> Hash {
        if self.size() == 0 {
            return sha256(&[]);
        }
        self.subtree_root(0, self.size())
    }

    /// `MTH(D[lo..hi])` for the ranges RFC 6962's recursion visits: an aligned power-of-two
    /// range is a stored node; any other range is split like the RFC does.
    fn subtree_root(&self, lo: usize, hi: usize) -> Hash {
        let n = hi - lo;
        if n.is_power_of_two() && lo.is_multiple_of(n) {
            let h = n.trailing_zeros() as usize;
            if let Some(node) = self.levels.get(h).and_then(|l| l.get(lo >> h)) {
                return *node;
            }
        }
        let k = split(n);
        node_hash(
            &self.subtree_root(lo, lo + k),
            &self.subtree_root(lo + k, hi),
        )
    }

    /// RFC 6962 `PATH(index, D[n])`.
    pub fn inclusion_proof(&self, index: usize) -> Result<Vec<Hash>, MerkleError> {
        let n = self.size();
        if index >= n {
            return Err(MerkleError::IndexOutOfRange {
                index: index as u64,
                size: n as u64,
            });
        }
        let mut out = Vec::new();
        self.path(index, 0, n, &mut out);
        Ok(out)
    }

    fn path(&self, m: usize, lo: usize, hi: usize, out: &mut Vec<Hash>) {
        let n = hi - lo;
        if n <= 1 {
            return;
        }
        let k = split(n);
        if m < k {
            self.path(m, lo, lo + k, out);
            out.push(self.subtree_root(lo + k, hi));
        } else {
            self.path(m - k, lo + k, hi, out);
            out.push(self.subtree_root(lo, lo + k));
        }
    }

    /// RFC 6962 `PROOF(old_size, D[n])`; empty when `old_size == n`, `old_size` in `1..=n`.
    pub fn consistency_proof(&self, old_size: usize) -> Result<Vec<Hash>, MerkleError> {
        let n = self.size();
        if old_size == 0 || old_size > n {
            return Err(MerkleError::BadSizes {
                old: old_size as u64,
                new: n as u64,
            });
        }
        let mut out = Vec::new();
        self.subproof(old_size, 0, n, true, &mut out);
        Ok(out)
    }

    fn subproof(&self, m: usize, lo: usize, hi: usize, complete: bool, out: &mut Vec<Hash>) {
        let n = hi - lo;
        if m == n {
            if !complete {
                out.push(self.subtree_root(lo, hi));
            }
            return;
        }
        let k = split(n);
        if m <= k {
            self.subproof(m, lo, lo + k, complete, out);
            out.push(self.subtree_root(lo + k, hi));
        } else {
            self.subproof(m - k, lo + k, hi, false, out);
            out.push(self.subtree_root(lo, lo + k));
        }
    }
}

/// Largest power of two strictly below `n` (n >= 2).
fn split(n: usize) -> usize {
    let k = n.next_power_of_two();
    if k == n { n / 2 } else { k / 2 }
}
