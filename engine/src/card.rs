//! Membership card numbers: 16 digits whose last is a Luhn check digit, so a mistyped digit or
//! two swapped neighbours are caught at the till before any lookup.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Every card of the club starts with these digits; payment networks do not issue under 98.
const ISSUER_PREFIX: &str = "9800";
const RANDOM_DIGITS: u32 = 11;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CardError {
    #[error("a card number has 16 digits")]
    WrongLength,
    #[error("this card number has a typing mistake (check digit does not match)")]
    BadCheckDigit,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CardNumber(String);

impl CardNumber {
    /// Accepts the digits in any script, with spaces or dashes between groups.
    pub fn parse(input: &str) -> Result<Self, CardError> {
        let ascii = crate::text::ascii_digits(input);
        if !ascii.chars().all(|c| c.is_ascii_digit() || c == ' ' || c == '-') {
            return Err(CardError::WrongLength);
        }
        let digits: String = ascii.chars().filter(char::is_ascii_digit).collect();
        if digits.len() != 16 {
            return Err(CardError::WrongLength);
        }
        let (body, check) = digits.split_at(15);
        if luhn_check_digit(body).to_string() != check {
            return Err(CardError::BadCheckDigit);
        }
        Ok(Self(digits))
    }

    /// A new number from caller-supplied randomness (the engine has none of its own).
    pub fn issue(random: u64) -> Self {
        let body = format!("{ISSUER_PREFIX}{:011}", random % 10u64.pow(RANDOM_DIGITS));
        let check = luhn_check_digit(&body);
        Self(format!("{body}{check}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `9800 1234 5678 9012`.
    pub fn grouped(&self) -> String {
        let mut out = String::with_capacity(19);
        for (i, c) in self.0.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                out.push(' ');
            }
            out.push(c);
        }
        out
    }
}

/// The digit that makes the Luhn sum of `body ‖ digit` a multiple of ten.
fn luhn_check_digit(body: &str) -> u32 {
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    (10 - sum % 10) % 10
}

impl fmt::Display for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CardNumber {
    type Error = CardError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CardNumber> for String {
    fn from(value: CardNumber) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_luhn_numbers() {
        assert!(CardNumber::parse("4539 1488 0343 6467").is_ok());
        assert_eq!(CardNumber::parse("4539148803436468"), Err(CardError::BadCheckDigit));
        assert_eq!(CardNumber::parse("453914880343646"), Err(CardError::WrongLength));
        assert_eq!(CardNumber::parse("4539x48803436467"), Err(CardError::WrongLength));
        assert_eq!(CardNumber::parse("۴۵۳۹-۱۴۸۸-۰۳۴۳-۶۴۶۷").map(String::from).as_deref(), Ok("4539148803436467"));
    }

    proptest! {
        #[test]
        fn issued_numbers_parse_and_catch_single_digit_typos(random: u64, position in 0usize..16, delta in 1u8..10) {
            let card = CardNumber::issue(random);
            prop_assert_eq!(card.as_str().len(), 16);
            prop_assert_eq!(CardNumber::parse(&card.grouped()), Ok(card.clone()));
            let mut typo = card.as_str().as_bytes().to_vec();
            typo[position] = b'0' + (typo[position] - b'0' + delta) % 10;
            let typo = String::from_utf8(typo).expect("ascii");
            prop_assert!(CardNumber::parse(&typo).is_err());
        }
    }
}
