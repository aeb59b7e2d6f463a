//! SHA-256 and the spec's byte encodings: `u64(n)` is 8 bytes big-endian, `lp(x)` is a 2-byte
//! big-endian length then `x`. Hashing goes through [`Transcript`] so no message buffer is built.

use sha2::{Digest, Sha256};

use super::FairError;

/// A SHA-256 digest.
pub type Hash = [u8; 32];

/// `H(x)`.
pub fn sha256(data: &[u8]) -> Hash {
    if data.len() <= SHORT_MAX {
        return sha256_short(data);
    }
    Sha256::digest(data).into()
}

/// Longest message hashed by [`sha256_short`]: two blocks minus padding.
pub const SHORT_MAX: usize = 2 * 64 - 9;

const H0: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// SHA-256 of a message of at most [`SHORT_MAX`] bytes, padded by hand (FIPS 180-4 5.1.1) and
/// fed to the raw compression function. Merkle nodes and draw leaves are this short; skipping
/// the streaming hasher's buffering per call speeds up million-leaf trees. Longer input falls
/// back to the streaming hasher. Checked against `Sha256::digest` for every length in tests.
pub fn sha256_short(data: &[u8]) -> Hash {
    if data.len() > SHORT_MAX {
        return Sha256::digest(data).into();
    }
    let mut blocks = [[0u8; 64]; 2];
    let used = if data.len() + 9 <= 64 { 1 } else { 2 };
    let flat = blocks.as_flattened_mut();
    flat[..data.len()].copy_from_slice(data);
    flat[data.len()] = 0x80;
    let bits = (data.len() as u64) * 8;
    flat[used * 64 - 8..used * 64].copy_from_slice(&bits.to_be_bytes());
    let mut state = H0;
    sha2::block_api::compress256(&mut state, &blocks[..used]);
    let mut out = [0u8; 32];
    for (o, w) in out.chunks_exact_mut(4).zip(state) {
        o.copy_from_slice(&w.to_be_bytes());
    }
    out
}

/// Incremental `H(tag ‖ …)`: each method appends one encoded field.
#[derive(Clone)]
pub struct Transcript(Sha256);

impl Transcript {
    /// Starts `H(tag ‖ …)`; tags are ASCII without terminator.
    pub fn new(tag: &[u8]) -> Self {
        let mut h = Sha256::new();
        h.update(tag);
        Self(h)
    }

    /// Appends raw bytes.
    #[must_use]
    pub fn bytes(mut self, data: &[u8]) -> Self {
        self.0.update(data);
        self
    }

    /// Appends `u64(n)`.
    #[must_use]
    pub fn u64(self, n: u64) -> Self {
        self.bytes(&n.to_be_bytes())
    }

    /// Appends `lp(x)`; fails if `x` is longer than 65535 bytes.
    pub fn lp(self, data: &[u8]) -> Result<Self, FairError> {
        let len = lp_len(data)?;
        Ok(self.bytes(&len).bytes(data))
    }

    /// The digest.
    pub fn finish(self) -> Hash {
        self.0.finalize().into()
    }
}

/// The 2-byte big-endian length prefix of `lp(x)`.
pub fn lp_len(data: &[u8]) -> Result<[u8; 2], FairError> {
    u16::try_from(data.len())
        .map(u16::to_be_bytes)
        .map_err(|_| FairError::TooLong { len: data.len() })
}

/// Appends `lp(x)` to a byte buffer (for leaves, which are published as bytes).
pub fn push_lp(out: &mut Vec<u8>, data: &[u8]) -> Result<(), FairError> {
    out.extend_from_slice(&lp_len(data)?);
    out.extend_from_slice(data);
    Ok(())
}
