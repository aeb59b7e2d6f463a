//! RFC 6962 Merkle tree hash (`MTH`) and proof construction (`PATH`, `PROOF`/`SUBPROOF`).
//! Leaf hash `H(0x00 ‖ leaf)`, node hash `H(0x01 ‖ left ‖ right)`, split at the largest power
//! of two below n. Proofs are served by [`MerkleTree`]; verification lives in
//! [`super::merkle_verify`].

use sha2::{Digest, Sha256};

use super::hash::{SHORT_MAX, sha256_short};
use super::merkle_tree::MerkleTree;
use super::{Hash, MerkleError, sha256};

/// `H(0x00 ‖ leaf)`.
pub fn leaf_hash(leaf: &[u8]) -> Hash {
    if leaf.len() < SHORT_MAX {
        let mut buf = [0u8; SHORT_MAX];
        buf[1..=leaf.len()].copy_from_slice(leaf);
        return sha256_short(&buf[..=leaf.len()]);
    }
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(leaf);
    h.finalize().into()
}

/// `H(0x01 ‖ left ‖ right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut buf = [0u8; 65];
    buf[0] = 1;
    buf[1..33].copy_from_slice(left);
    buf[33..].copy_from_slice(right);
    sha256_short(&buf)
}

/// `MTH` over already hashed leaves. Pairing level by level and carrying an odd last node up
/// gives the same tree as RFC 6962's recursive split, without recursion.
pub fn root(leaf_hashes: &[Hash]) -> Hash {
    if leaf_hashes.is_empty() {
        // MTH({}) is the hash of the empty string.
        return sha256(&[]);
    }
    let mut level = leaf_hashes.to_vec();
    while level.len() > 1 {
        let half = level.len().div_ceil(2);
        for i in 0..half {
            level[i] = match level.get(2 * i + 1) {
                Some(right) => node_hash(&level[2 * i], right),
                None => level[2 * i],
            };
        }
        level.truncate(half);
    }
    level[0]
}

/// `MTH` over raw leaves.
pub fn root_of_leaves<L: AsRef<[u8]>>(leaves: &[L]) -> Hash {
    let hashes: Vec<Hash> = leaves.iter().map(|l| leaf_hash(l.as_ref())).collect();
    root(&hashes)
}

/// RFC 6962 `PATH(index, D[n])`: audit path from the leaf up to the root. Builds the tree
/// once; keep a [`MerkleTree`] to serve many proofs.
pub fn inclusion_proof(leaf_hashes: &[Hash], index: usize) -> Result<Vec<Hash>, MerkleError> {
    MerkleTree::new(leaf_hashes.to_vec()).inclusion_proof(index)
}

/// RFC 6962 `PROOF(old_size, D[n])`: consistency of the first `old_size` leaves with all of
/// them. Empty when `old_size == n`; `old_size` must be in `1..=n`.
pub fn consistency_proof(leaf_hashes: &[Hash], old_size: usize) -> Result<Vec<Hash>, MerkleError> {
    MerkleTree::new(leaf_hashes.to_vec()).consistency_proof(old_size)
}
