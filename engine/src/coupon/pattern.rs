//! Codes made from a pattern: a fixed prefix, then `#` positions each drawn from a charset.
//! The pattern must leave far more codes than the stock, so a code cannot be guessed from
//! another and making them needs few retries.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::CodeText;
use crate::fair::stream::Stream;
use crate::fair::uniform::uniform;

/// The pattern's space must hold at least this many codes per code made.
pub const MIN_SPACE_PER_CODE: u128 = 1_000;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PatternError {
    #[error("a pattern is a prefix and # positions, 4 to 40 characters of A-Z, 0-9, - and #")]
    Shape,
    #[error("the charset needs 2 to 36 different characters of A-Z and 0-9")]
    Charset,
    #[error("the pattern makes {space} codes; {stock} codes need at least {need}")]
    TooSmall { space: u128, stock: u64, need: u128 },
}

/// A checked pattern, e.g. `CAFE-####-####` over `ABCDEFGHJKMNPQRSTUVWXYZ23456789`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodePattern {
    pattern: String,
    charset: Vec<u8>,
}

impl CodePattern {
    pub fn parse(pattern: &str, charset: &str) -> Result<Self, PatternError> {
        let pattern = pattern.trim().to_ascii_uppercase();
        let filled = pattern.replace('#', "A");
        if !pattern.contains('#') || CodeText::parse(&filled).is_none() {
            return Err(PatternError::Shape);
        }
        let charset: BTreeSet<u8> = charset.trim().to_ascii_uppercase().bytes().collect();
        if !(2..=36).contains(&charset.len()) || !charset.iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
            return Err(PatternError::Charset);
        }
        Ok(Self { pattern, charset: charset.into_iter().collect() })
    }

    /// How many different codes the pattern makes (saturating).
    pub fn space(&self) -> u128 {
        let positions = self.pattern.bytes().filter(|&b| b == b'#').count() as u32;
        (self.charset.len() as u128).checked_pow(positions).unwrap_or(u128::MAX)
    }

    /// Refuses a stock the pattern is too small for.
    pub fn check_stock(&self, stock: u64) -> Result<(), PatternError> {
        let need = u128::from(stock).saturating_mul(MIN_SPACE_PER_CODE);
        if self.space() < need {
            return Err(PatternError::TooSmall { space: self.space(), stock, need });
        }
        Ok(())
    }

    /// `count` different codes drawn from the ChaCha20 stream of `seed` (fresh CSPRNG bytes
    /// from the caller), skipping any in `taken`.
    pub fn generate(&self, count: u64, seed: [u8; 32], taken: &BTreeSet<CodeText>) -> Result<Vec<CodeText>, PatternError> {
        self.check_stock(count)?;
        let mut stream = Stream::new(seed);
        let mut made = BTreeSet::new();
        let mut codes = Vec::with_capacity(usize::try_from(count).unwrap_or(0));
        while (codes.len() as u64) < count {
            let text: String = self
                .pattern
                .bytes()
                .map(|b| {
                    if b == b'#' {
                        let at = uniform(&mut stream, self.charset.len() as u64).unwrap_or(0) as usize;
                        char::from(self.charset[at])
                    } else {
                        char::from(b)
                    }
                })
                .collect();
            let code = CodeText::parse(&text).ok_or(PatternError::Shape)?;
            if !taken.contains(&code) && made.insert(code.clone()) {
                codes.push(code);
            }
        }
        Ok(codes)
    }

    pub fn as_str(&self) -> &str {
        &self.pattern
    }
}
