//! The random stream: RFC 8439 ChaCha20 keystream with key = seed, nonce 0, block counter from 0,
//! read as consecutive little-endian u64 words. `chacha20::ChaCha20Rng` is exactly that (its
//! 64-bit counter equals RFC 8439's 32-bit counter plus zero nonce for the first 2^32 blocks).
//! Only raw words are used: no `rand` distribution may decide a result.

use chacha20::ChaCha20Rng;
use chacha20::rand_core::{Rng, SeedableRng};

/// A seeded word stream that also counts the words it has handed out.
pub struct Stream {
    rng: ChaCha20Rng,
    words: u64,
}

impl Stream {
    /// The stream for a 32-byte seed.
    pub fn new(seed: [u8; 32]) -> Self {
        Self {
            rng: ChaCha20Rng::from_seed(seed),
            words: 0,
        }
    }

    /// The next little-endian u64 word of the keystream.
    pub fn next_u64(&mut self) -> u64 {
        self.words = self.words.wrapping_add(1);
        self.rng.next_u64()
    }

    /// How many words have been read so far (published in vectors to pin rejections).
    pub fn words_consumed(&self) -> u64 {
        self.words
    }
}
