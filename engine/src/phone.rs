//! Iranian mobile numbers, accepted in every format people type and kept in one canonical form.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PhoneError {
    #[error("a mobile number is 11 digits starting with 09")]
    NotAMobileNumber,
}

/// An Iranian mobile number, stored as `09xxxxxxxxx`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Accepts `09…`, `9…`, `+989…`, `989…` and `00989…`, in any digit script, with spaces,
    /// dashes, dots or parentheses between the digits.
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        let ascii = crate::text::ascii_digits(input.trim());
        let (plus, rest) = match ascii.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, ascii.as_str()),
        };
        if !rest.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')')) {
            return Err(PhoneError::NotAMobileNumber);
        }
        let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
        let national = if plus {
            digits.strip_prefix("98")
        } else {
            digits
                .strip_prefix("0098")
                .or_else(|| digits.strip_prefix("98").filter(|d| d.len() == 10))
                .or_else(|| digits.strip_prefix('0'))
                .or(Some(digits.as_str()))
        }
        .ok_or(PhoneError::NotAMobileNumber)?;
        if national.len() == 10 && national.starts_with('9') {
            Ok(Self(format!("0{national}")))
        } else {
            Err(PhoneError::NotAMobileNumber)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `+989121234567`, for SMS gateways.
    pub fn e164(&self) -> String {
        format!("+98{}", &self.0[1..])
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = PhoneError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PhoneNumber> for String {
    fn from(value: PhoneNumber) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_common_format_normalises_to_one_number() {
        for input in [
            "09121234567",
            "9121234567",
            "+989121234567",
            "989121234567",
            "00989121234567",
            "۰۹۱۲۱۲۳۴۵۶۷",
            "٠٩١٢١٢٣٤٥٦٧",
            "+98 912 123 4567",
            "0912-123-4567",
            "(0912) 123.45.67",
        ] {
            assert_eq!(PhoneNumber::parse(input).map(|p| p.to_string()).as_deref(), Ok("09121234567"), "{input}");
        }
    }

    #[test]
    fn landlines_short_numbers_and_junk_are_refused() {
        for input in ["02188776655", "0912123456", "091212345678", "+18005551234", "0912abc4567", "", "+", "98"] {
            assert_eq!(PhoneNumber::parse(input), Err(PhoneError::NotAMobileNumber), "{input}");
        }
    }

    proptest! {
        #[test]
        fn canonical_form_parses_to_itself(n in 0u64..1_000_000_000) {
            let phone = PhoneNumber::parse(&format!("09{n:09}")).expect("valid");
            prop_assert_eq!(PhoneNumber::parse(phone.as_str()), Ok(phone.clone()));
            prop_assert_eq!(PhoneNumber::parse(&phone.e164()), Ok(phone));
        }
    }
}
