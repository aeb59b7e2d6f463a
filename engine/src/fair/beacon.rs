//! drand quicknet: pinned chain constants, round timing, and the beacon input `(R, ρ)` of a seed.
//! `time(R) = genesis + period·(R − 1)`; round 0 means "no beacon" (ρ = 32 zero bytes).
//! Signature verification is in [`super::drand`]; `ρ` is always `H(signature)`, never a relay's
//! `randomness` field.

use super::{FairError, Hash, sha256};

/// Chain hash of drand quicknet.
pub const QUICKNET_CHAIN_HASH: &str =
    "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971";
/// Public key of drand quicknet (G2, compressed, hex).
pub const QUICKNET_PUBLIC_KEY: &str = "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a";
/// Scheme of drand quicknet.
pub const QUICKNET_SCHEME: &str = "bls-unchained-g1-rfc9380";
/// Unix time of round 1.
pub const QUICKNET_GENESIS: u64 = 1_692_803_367;
/// Seconds between rounds.
pub const QUICKNET_PERIOD: u64 = 3;

/// `time(R)`, the Unix time at which round `R >= 1` is published.
pub fn round_time(round: u64) -> Result<u64, FairError> {
    let steps = round.checked_sub(1).ok_or(FairError::NoRound)?;
    steps
        .checked_mul(QUICKNET_PERIOD)
        .and_then(|s| s.checked_add(QUICKNET_GENESIS))
        .ok_or(FairError::TimeOverflow)
}

/// The first round `R` with `time(R) >= t` (Unix seconds).
pub fn first_round_at_or_after(t: u64) -> Result<u64, FairError> {
    let after = t.saturating_sub(QUICKNET_GENESIS);
    after
        .div_ceil(QUICKNET_PERIOD)
        .checked_add(1)
        .ok_or(FairError::TimeOverflow)
}

/// The round to pin for a deadline `t + delta` (draw close + Δ, or spin request + Δ).
pub fn pin_round(t: u64, delta: u64) -> Result<u64, FairError> {
    first_round_at_or_after(t.checked_add(delta).ok_or(FairError::TimeOverflow)?)
}

/// `ρ = H(signature)` of a beacon round.
pub fn rho_from_signature(signature: &[u8]) -> Hash {
    sha256(signature)
}

/// The beacon part of a seed: round `R` and its randomness `ρ`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Beacon {
    pub round: u64,
    pub rho: Hash,
}

impl Beacon {
    /// `beacon = none`: `R = 0`, `ρ` = 32 zero bytes. P3 and P4 do not hold for such a draw.
    pub const NONE: Self = Self {
        round: 0,
        rho: [0u8; 32],
    };

    /// A drand round from its (already verified) signature.
    pub fn from_signature(round: u64, signature: &[u8]) -> Self {
        Self {
            round,
            rho: rho_from_signature(signature),
        }
    }

    /// True for `beacon = none`.
    pub fn is_none(&self) -> bool {
        self.round == 0
    }
}
