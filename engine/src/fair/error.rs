//! Error types of the fairness core. Every failure is a value; nothing here panics on input.

use thiserror::Error;

/// Why a Merkle proof was refused or could not be built.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MerkleError {
    #[error("leaf index {index} is outside a tree of size {size}")]
    IndexOutOfRange { index: u64, size: u64 },
    #[error("old size {old} is not in 1..={new}")]
    BadSizes { old: u64, new: u64 },
    #[error("proof has the wrong number of hashes")]
    WrongProofLength,
    #[error("proof does not lead to the expected root")]
    RootMismatch,
}

/// Why a fairness computation or check failed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FairError {
    #[error("uniform(n) needs n >= 1")]
    EmptyRange,
    #[error("field is {len} bytes, lp() allows at most 65535")]
    TooLong { len: usize },
    #[error("client seed must be 1..=64 bytes, got {len}")]
    ClientSeedLength { len: usize },
    #[error("sum of weights does not fit in u64")]
    WeightOverflow,
    #[error("all weights are zero")]
    NoWeight,
    #[error("r = {r} is not below the total weight {total}")]
    PickOutOfRange { r: u64, total: u64 },
    #[error("index {index} is outside {len} weights")]
    IndexOutOfRange { index: usize, len: usize },
    #[error("drand round 0 has no time (it means: no beacon)")]
    NoRound,
    #[error("beacon signature does not verify against the pinned drand quicknet key")]
    BadBeacon,
    #[error("time arithmetic overflowed")]
    TimeOverflow,
    #[error("server seed does not match the published commitment")]
    CommitMismatch,
    #[error("entries root does not match")]
    RootMismatch,
    #[error("entry count or total weight does not match")]
    TotalsMismatch,
    #[error("seed does not match")]
    SeedMismatch,
    #[error("winners do not match")]
    WinnersMismatch,
    #[error("wheel hash does not match")]
    WheelHashMismatch,
    #[error("segment does not match")]
    SegmentMismatch,
    #[error("merkle: {0}")]
    Merkle(#[from] MerkleError),
}
