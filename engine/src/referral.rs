//! Invite codes: what a member shares (`/signup?ref=CODE`) so the club knows who brought whom.
//! Eight characters from an alphabet without look-alikes (no 0/O, 1/I/L), so a code read aloud
//! or typed from a screenshot still works; about 8.5 × 10¹¹ codes, so guessing one is hopeless.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
pub const INVITE_CODE_CHARS: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("not an invite code")]
pub struct InviteCodeError;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct InviteCode(String);

impl InviteCode {
    /// Case-insensitive, digits in any script, surrounding spaces ignored.
    pub fn parse(input: &str) -> Result<Self, InviteCodeError> {
        let code = crate::text::ascii_digits(input.trim()).to_ascii_uppercase();
        let valid = code.len() == INVITE_CODE_CHARS && code.bytes().all(|b| ALPHABET.contains(&b));
        if valid { Ok(Self(code)) } else { Err(InviteCodeError) }
    }

    /// A new code from caller-supplied randomness (the engine has none of its own).
    pub fn issue(random: u64) -> Self {
        let base = ALPHABET.len() as u64;
        let mut rest = random;
        let code = (0..INVITE_CODE_CHARS)
            .map(|_| {
                let at = (rest % base) as usize;
                rest /= base;
                char::from(ALPHABET[at])
            })
            .collect();
        Self(code)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for InviteCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for InviteCode {
    type Error = InviteCodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<InviteCode> for String {
    fn from(value: InviteCode) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn look_alikes_and_wrong_lengths_are_refused() {
        assert_eq!(InviteCode::parse(" k7m2pq9x ").map(String::from).as_deref(), Ok("K7M2PQ9X"));
        assert_eq!(InviteCode::parse("K7M2PQ9۹").map(String::from).as_deref(), Ok("K7M2PQ99"));
        for bad in ["K7M2PQ9O", "K7M2PQ91", "K7M2PQ9", "K7M2PQ9XY", "", "K7M2-Q9X"] {
            assert_eq!(InviteCode::parse(bad), Err(InviteCodeError), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn issued_codes_parse(random: u64) {
            let code = InviteCode::issue(random);
            prop_assert_eq!(InviteCode::parse(code.as_str()), Ok(code.clone()));
        }
    }
}
