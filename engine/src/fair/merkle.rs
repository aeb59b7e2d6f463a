//! RFC 6962 Merkle tree hash (`MTH`) and proof construction (`PATH`, `PROOF`/`SUBPROOF`).
//! Leaf hash `H(0x00 ‖ leaf)`, node hash `H(0x01 ‖ left ‖ right)`, split at the largest power
//! of two below n. Verification lives in [`super::merkle_verify`].

use sha2::{Digest, Sha256};

use super::{Hash, MerkleError, sha256};

/// `H(0x00 ‖ leaf)`.
pub fn leaf_hash(leaf: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(leaf);
    h.finalize().into()
}

/// `H(0x01 ‖ left ‖ right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
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

/// Largest power of two strictly below `n` (n >= 2).
fn split(n: usize) -> usize {
    let k = n.next_power_of_two();
    if k == n { n / 2 } else { k / 2 }
}

/// RFC 6962 `PATH(index, D[n])`: audit path from the leaf up to the root.
pub fn inclusion_proof(leaf_hashes: &[Hash], index: usize) -> Result<Vec<Hash>, MerkleError> {
    if index >= leaf_hashes.len() {
        return Err(MerkleError::IndexOutOfRange {
            index: index as u64,
            size: leaf_hashes.len() as u64,
        });
    }
    let mut proof = Vec::new();
    path(leaf_hashes, index, &mut proof);
    Ok(proof)
}

fn path(d: &[Hash], m: usize, out: &mut Vec<Hash>) {
    let n = d.len();
    if n <= 1 {
        return;
    }
    let k = split(n);
    if m < k {
        path(&d[..k], m, out);
        out.push(root(&d[k..]));
    } else {
        path(&d[k..], m - k, out);
        out.push(root(&d[..k]));
    }
}

/// RFC 6962 `PROOF(old_size, D[n])`: consistency of the first `old_size` leaves with all of
/// them. Empty when `old_size == n`; `old_size` must be in `1..=n`.
pub fn consistency_proof(leaf_hashes: &[Hash], old_size: usize) -> Result<Vec<Hash>, MerkleError> {
    let n = leaf_hashes.len();
    if old_size == 0 || old_size > n {
        return Err(MerkleError::BadSizes { old: old_size as u64, new: n as u64 });
    }
    let mut proof = Vec::new();
    subproof(leaf_hashes, old_size, true, &mut proof);
    Ok(proof)
}

fn subproof(d: &[Hash], m: usize, complete: bool, out: &mut Vec<Hash>) {
    let n = d.len();
    if m == n {
        if !complete {
            out.push(root(d));
        }
        return;
    }
    let k = split(n);
    if m <= k {
        subproof(&d[..k], m, complete, out);
        out.push(root(&d[k..]));
    } else {
        subproof(&d[k..], m - k, false, out);
        out.push(root(&d[..k]));
    }
}
