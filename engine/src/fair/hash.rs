//! SHA-256 and the spec's byte encodings: `u64(n)` is 8 bytes big-endian, `lp(x)` is a 2-byte
//! big-endian length then `x`. Hashing goes through [`Transcript`] so no message buffer is built.

use sha2::{Digest, Sha256};

use super::FairError;

/// A SHA-256 digest.
pub type Hash = [u8; 32];

/// `H(x)`.
pub fn sha256(data: &[u8]) -> Hash {
    Sha256::digest(data).into()
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
