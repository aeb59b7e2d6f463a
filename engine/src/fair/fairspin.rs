//! `fairspin/v1`: server commitment, wheel hash, spin seed and the segment it selects, plus a
//! check of a published spin.

use super::hash::Transcript;
use super::pick::{pick, total_weight};
use super::{Beacon, FairError, Hash, Stream, uniform};

const TAG_SERVER_SEED: &[u8] = b"fairspin/v1/server-seed";
const TAG_WHEEL: &[u8] = b"fairspin/v1/wheel";
const TAG_SEED: &[u8] = b"fairspin/v1/seed";

/// One wheel segment in display order; a prize out of stock has weight 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub id: String,
    pub weight: u64,
}

/// `server_commit = H("fairspin/v1/server-seed" ‖ server_seed)`.
pub fn server_commit(server_seed: &[u8; 32]) -> Hash {
    Transcript::new(TAG_SERVER_SEED).bytes(server_seed).finish()
}

/// `wheel_hash = H("fairspin/v1/wheel" ‖ u64(count) ‖ (lp(id) ‖ u64(weight))…)`.
pub fn wheel_hash(segments: &[Segment]) -> Result<Hash, FairError> {
    let mut t = Transcript::new(TAG_WHEEL).u64(segments.len() as u64);
    for s in segments {
        t = t.lp(s.id.as_bytes())?.u64(s.weight);
    }
    Ok(t.finish())
}

/// `seed = H("fairspin/v1/seed" ‖ wheel_hash ‖ server_seed ‖ lp(client_seed) ‖ u64(nonce) ‖
/// u64(R) ‖ ρ)`; the client seed must be 1..=64 bytes.
pub fn seed(
    wheel_hash: &Hash,
    server_seed: &[u8; 32],
    client_seed: &[u8],
    nonce: u64,
    beacon: &Beacon,
) -> Result<Hash, FairError> {
    if client_seed.is_empty() || client_seed.len() > 64 {
        return Err(FairError::ClientSeedLength {
            len: client_seed.len(),
        });
    }
    Ok(Transcript::new(TAG_SEED)
        .bytes(wheel_hash)
        .bytes(server_seed)
        .lp(client_seed)?
        .u64(nonce)
        .u64(beacon.round)
        .bytes(&beacon.rho)
        .finish())
}

/// `segment = pick(weights, uniform(Σ weights))` on the seed's stream.
pub fn segment(seed: &Hash, segments: &[Segment]) -> Result<usize, FairError> {
    let weights: Vec<u64> = segments.iter().map(|s| s.weight).collect();
    let total = total_weight(&weights)?;
    if total == 0 {
        return Err(FairError::NoWeight);
    }
    let r = uniform(&mut Stream::new(*seed), total)?;
    pick(&weights, r)
}

/// The inputs of one spin.
#[derive(Debug, Clone, Copy)]
pub struct Spin<'a> {
    pub segments: &'a [Segment],
    pub server_seed: [u8; 32],
    pub client_seed: &'a [u8],
    pub nonce: u64,
    pub beacon: Beacon,
}

/// What a spin record publishes about the outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpinOutcome {
    pub wheel_hash: Hash,
    pub seed: Hash,
    pub segment: usize,
}

/// Runs one spin.
pub fn spin(spin: &Spin<'_>) -> Result<SpinOutcome, FairError> {
    let wheel_hash = wheel_hash(spin.segments)?;
    let seed = seed(
        &wheel_hash,
        &spin.server_seed,
        spin.client_seed,
        spin.nonce,
        &spin.beacon,
    )?;
    let segment = segment(&seed, spin.segments)?;
    Ok(SpinOutcome {
        wheel_hash,
        seed,
        segment,
    })
}

/// Checks a published spin once its server seed is revealed; the error names the first
/// failed check.
pub fn verify(
    spin_in: &Spin<'_>,
    server_commit_claimed: &Hash,
    claimed: &SpinOutcome,
) -> Result<(), FairError> {
    if &server_commit(&spin_in.server_seed) != server_commit_claimed {
        return Err(FairError::CommitMismatch);
    }
    let actual = spin(spin_in)?;
    if actual.wheel_hash != claimed.wheel_hash {
        return Err(FairError::WheelHashMismatch);
    }
    if actual.seed != claimed.seed {
        return Err(FairError::SeedMismatch);
    }
    if actual.segment != claimed.segment {
        return Err(FairError::SegmentMismatch);
    }
    Ok(())
}

/// A member's client seed: 1 to 64 bytes of printable text, so it can be shown and typed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientSeed(String);

impl ClientSeed {
    pub fn parse(text: &str) -> Result<Self, FairError> {
        let text = text.trim();
        if text.is_empty() || text.len() > 64 || text.chars().any(char::is_control) {
            return Err(FairError::ClientSeedLength { len: text.len() });
        }
        Ok(Self(text.to_owned()))
    }

    /// 32 bytes as 64 lowercase hex characters: the default a browser makes.
    pub fn from_bytes(bytes: &[u8; 32]) -> Self {
        Self(super::hexstr::encode(bytes))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}
