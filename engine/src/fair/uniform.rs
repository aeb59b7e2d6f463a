//! `uniform(n)`: an exact uniform integer in `0..n` (Lemire's multiply-shift with rejection).
//! Words whose low product half falls below `t = (2^64 − n) mod n` are rejected, which removes
//! the bias a plain modulo or float mapping would have.

use super::{FairError, Stream};

/// Draws a uniform value in `0..n` from the stream; `n` must be at least 1.
pub fn uniform(stream: &mut Stream, n: u64) -> Result<u64, FairError> {
    if n == 0 {
        return Err(FairError::EmptyRange);
    }
    // (2^64 − n) mod n, computed in u64 without overflow.
    let t = n.wrapping_neg() % n;
    loop {
        let m = u128::from(stream.next_u64()) * u128::from(n);
        // Truncations are the definition: low64(m) and high64(m).
        #[allow(clippy::cast_possible_truncation)]
        let (low, high) = (m as u64, (m >> 64) as u64);
        if low >= t {
            return Ok(high);
        }
    }
}
