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

    /// Appends leaves, recomputing only the nodes they change: O(k log n) for k new leaves, so a
    /// growing log keeps one tree instead of rebuilding it after every append.
    pub fn extend(&mut self, leaf_hashes: impl IntoIterator<Item = Hash>) {
        let mut changed = self.size();
        self.levels[0].extend(leaf_hashes);
        let mut h = 0;
        while self.levels[h].len() > 1 {
            let below = &self.levels[h];
            let first = changed / 2;
            let parents: Vec<Hash> = (first..below.len().div_ceil(2))
                .map(|j| match below.get(2 * j + 1) {
                    Some(right) => node_hash(&below[2 * j], right),
                    None => below[2 * j],
                })
                .collect();
            if self.levels.len() == h + 1 {
                self.levels.push(Vec::new());
            }
            let above = &mut self.levels[h + 1];
            above.truncate(first);
            above.extend(parents);
            changed = first;
            h += 1;
        }
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

    /// `MTH` of the first `size` leaves, from the stored nodes: a log's earlier checkpoint.
    pub fn root_at(&self, size: usize) -> Result<Hash, MerkleError> {
        self.check_size(size)?;
        Ok(if size == 0 { sha256(&[]) } else { self.subtree_root(0, size) })
    }

    fn check_size(&self, size: usize) -> Result<(), MerkleError> {
        if size > self.size() {
            return Err(MerkleError::BadSizes { old: size as u64, new: self.size() as u64 });
        }
        Ok(())
    }

    /// RFC 6962 `PATH(index, D[n])`.
    pub fn inclusion_proof(&self, index: usize) -> Result<Vec<Hash>, MerkleError> {
        self.inclusion_proof_at(index, self.size())
    }

    /// `PATH(index, D[size])` in the tree of the first `size` leaves, from the stored nodes.
    pub fn inclusion_proof_at(&self, index: usize, n: usize) -> Result<Vec<Hash>, MerkleError> {
        self.check_size(n)?;
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
        self.consistency_proof_at(old_size, self.size())
    }

    /// `PROOF(old_size, D[n])` between two earlier sizes, from the stored nodes.
    pub fn consistency_proof_at(&self, old_size: usize, n: usize) -> Result<Vec<Hash>, MerkleError> {
        self.check_size(n)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fair::merkle;

    fn leaves(n: usize) -> Vec<Hash> {
        (0..n).map(|i| merkle::leaf_hash(&i.to_le_bytes())).collect()
    }

    #[test]
    fn a_grown_tree_equals_one_built_whole() {
        let all = leaves(70);
        for cut in [0, 1, 2, 3, 31, 32, 33, 64, 69] {
            let mut grown = MerkleTree::new(all[..cut].to_vec());
            grown.extend(all[cut..40.max(cut)].iter().copied());
            grown.extend(all[40.max(cut)..].iter().copied());
            assert_eq!(grown.levels, MerkleTree::new(all.clone()).levels, "cut at {cut}");
        }
    }

    #[test]
    fn prefix_proofs_equal_those_of_the_smaller_tree() {
        let all = leaves(45);
        let big = MerkleTree::new(all.clone());
        for size in 1..=all.len() {
            let small = MerkleTree::new(all[..size].to_vec());
            assert_eq!(big.root_at(size), Ok(small.root()));
            for index in 0..size {
                assert_eq!(big.inclusion_proof_at(index, size), small.inclusion_proof(index), "{index} of {size}");
            }
            for old in 1..=size {
                assert_eq!(big.consistency_proof_at(old, size), small.consistency_proof(old), "{old} to {size}");
            }
        }
        assert!(big.root_at(46).is_err());
        assert!(big.inclusion_proof_at(3, 46).is_err());
    }
}
