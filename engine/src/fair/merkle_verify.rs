//! RFC 9162 proof verification (sections 2.1.3.2 and 2.1.4.2), written from the RFC's steps so
//! a verifier needs nothing but the proof, the sizes and the roots.

use super::merkle::node_hash;
use super::{Hash, MerkleError};

/// Checks that `leaf_hash` is leaf `index` of the tree of `size` leaves with root `root`.
pub fn verify_inclusion(
    leaf_hash: &Hash,
    index: u64,
    size: u64,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), MerkleError> {
    if &root_from_inclusion(leaf_hash, index, size, proof)? == root {
        Ok(())
    } else {
        Err(MerkleError::RootMismatch)
    }
}

/// The root that an inclusion proof leads to (RFC 9162 2.1.3.2 steps 1–4).
pub fn root_from_inclusion(
    leaf_hash: &Hash,
    index: u64,
    size: u64,
    proof: &[Hash],
) -> Result<Hash, MerkleError> {
    if index >= size {
        return Err(MerkleError::IndexOutOfRange { index, size });
    }
    let (mut f, mut s) = (index, size - 1);
    let mut r = *leaf_hash;
    for p in proof {
        if s == 0 {
            return Err(MerkleError::WrongProofLength);
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(MerkleError::WrongProofLength);
    }
    Ok(r)
}

/// Checks that the tree of `old_size` leaves with `old_root` is a prefix of the tree of
/// `new_size` leaves with `new_root`.
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> Result<(), MerkleError> {
    if old_size > new_size {
        return Err(MerkleError::BadSizes {
            old: old_size,
            new: new_size,
        });
    }
    if old_size == new_size {
        // Same tree: nothing to prove but equal roots.
        if !proof.is_empty() {
            return Err(MerkleError::WrongProofLength);
        }
        return if old_root == new_root {
            Ok(())
        } else {
            Err(MerkleError::RootMismatch)
        };
    }
    if old_size == 0 {
        // Every tree extends the empty one; a proof has nothing to say.
        return if proof.is_empty() {
            Ok(())
        } else {
            Err(MerkleError::WrongProofLength)
        };
    }
    let (first, rest) = proof.split_first().ok_or(MerkleError::WrongProofLength)?;
    // RFC 9162 2.1.4.2 step 2: a power-of-two old tree is itself the first node of the path.
    let (start, path) = if old_size.is_power_of_two() {
        (old_root, proof)
    } else {
        (first, rest)
    };
    let (mut f, mut s) = (old_size - 1, new_size - 1);
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let (mut fr, mut sr) = (*start, *start);
    for c in path {
        if s == 0 {
            return Err(MerkleError::WrongProofLength);
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(MerkleError::WrongProofLength);
    }
    if &fr == old_root && &sr == new_root {
        Ok(())
    } else {
        Err(MerkleError::RootMismatch)
    }
}
