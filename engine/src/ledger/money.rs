//! Member credit in rials: an exact decimal with at most two places, never negative.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::error::AmountError;

/// An amount of money, `0..=Money::MAX`, with at most two decimal places. Stored at scale 2 so
/// that equal amounts print and serialize the same way (`"12.50"`, never `"12.5"`).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(try_from = "Decimal", into = "Decimal")]
pub struct Money(Decimal);

/// Hundredths of a rial in `Money::MAX`; fits an `i64` column with room to spare.
const MAX_MINOR: i64 = 100_000_000_000_000_000;

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);
    pub const MAX: Money = Money(Decimal::from_parts(
        (MAX_MINOR & 0xFFFF_FFFF) as u32,
        (MAX_MINOR >> 32) as u32,
        0,
        false,
        2,
    ));

    /// The one checked constructor; every other constructor goes through it.
    pub fn new(value: Decimal) -> Result<Self, AmountError> {
        if value.is_sign_negative() && !value.is_zero() {
            return Err(AmountError::Negative);
        }
        if value.normalize().scale() > 2 {
            return Err(AmountError::TooManyDecimals);
        }
        if value > Self::MAX.0 {
            return Err(AmountError::TooLarge);
        }
        let mut scaled = value;
        scaled.rescale(2);
        // `-0` would print as "-0.00"; zero has one spelling.
        scaled.set_sign_positive(true);
        Ok(Money(scaled))
    }

    /// From hundredths of a rial, the unit the store keeps in an integer column.
    pub fn from_minor(minor: i64) -> Result<Self, AmountError> {
        Money::new(Decimal::new(minor, 2))
    }

    /// Hundredths of a rial. Exact: a `Money` has scale 2 and fits an `i64`.
    pub fn to_minor(self) -> i64 {
        // The mantissa at scale 2 is at most MAX_MINOR, so the conversion cannot fail.
        i64::try_from(self.0.mantissa()).unwrap_or(MAX_MINOR)
    }

    pub fn as_decimal(self) -> Decimal {
        self.0
    }

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    pub fn checked_add(self, other: Money) -> Result<Money, AmountError> {
        Money::from_minor(self.to_minor() + other.to_minor())
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, AmountError> {
        if other > self {
            return Err(AmountError::Underflow);
        }
        Money::from_minor(self.to_minor() - other.to_minor())
    }

    /// `self - other`, or zero when `other` is larger.
    pub fn saturating_sub(self, other: Money) -> Money {
        self.checked_sub(other).unwrap_or(Money::ZERO)
    }

    /// `floor(self * numerator / denominator)` to the hundredth, for `numerator <= denominator`.
    /// Rounding down means a partial return never takes back more than its share.
    pub fn share(self, numerator: Money, denominator: Money) -> Money {
        let (num, den) = (
            i128::from(numerator.to_minor()),
            i128::from(denominator.to_minor()),
        );
        if den == 0 || num >= den {
            return self;
        }
        let minor = i128::from(self.to_minor()) * num / den;
        // A fraction below one of a valid amount is a valid amount.
        i64::try_from(minor)
            .ok()
            .and_then(|m| Money::from_minor(m).ok())
            .unwrap_or(self)
    }
}

impl TryFrom<Decimal> for Money {
    type Error = AmountError;
    fn try_from(value: Decimal) -> Result<Self, Self::Error> {
        Money::new(value)
    }
}

impl From<Money> for Decimal {
    fn from(money: Money) -> Decimal {
        money.0
    }
}

impl FromStr for Money {
    type Err = AmountError;
    /// Plain decimal notation only (`1200000`, `12.50`): an exponent (`1e9`), a sign other than a
    /// leading minus, or anything else a person would not type on a receipt is not an amount.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        let unsigned = trimmed.strip_prefix('-').unwrap_or(trimmed);
        let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(fraction) || (unsigned.contains('.') && fraction.is_empty()) {
            return Err(AmountError::NotANumber(text.to_owned()));
        }
        let value = Decimal::from_str(trimmed).map_err(|_| AmountError::NotANumber(text.to_owned()))?;
        Money::new(value)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(text: &str) -> Money {
        text.parse().expect("valid money")
    }

    #[test]
    fn only_plain_decimal_notation_is_an_amount() {
        for text in ["1e9", "1E9", "1.5e2", "+5", "0x10", "1_000", "", ".5", "5.", "1.2.3", " - 1", "۱۲"] {
            assert!(matches!(text.parse::<Money>(), Err(AmountError::NotANumber(_))), "{text:?}");
        }
        assert_eq!(money(" 1200000 ").to_string(), "1200000.00");
    }

    #[test]
    fn the_constructor_checks_sign_scale_and_size() {
        assert_eq!("-1".parse::<Money>(), Err(AmountError::Negative));
        assert_eq!("1.005".parse::<Money>(), Err(AmountError::TooManyDecimals));
        assert!(
            "1.500".parse::<Money>().is_ok(),
            "trailing zeros are not extra precision"
        );
        assert_eq!(Money::from_minor(MAX_MINOR + 1), Err(AmountError::TooLarge));
        assert_eq!(Money::MAX.to_minor(), MAX_MINOR);
        assert!(matches!(
            "abc".parse::<Money>(),
            Err(AmountError::NotANumber(_))
        ));
    }

    #[test]
    fn amounts_have_one_spelling() {
        assert_eq!(money("12.5").to_string(), "12.50");
        assert_eq!(money("-0").to_string(), "0.00");
        assert_eq!(money("12.5"), money("12.50"));
        assert_eq!(
            serde_json::to_string(&money("3")).ok().as_deref(),
            Some("\"3.00\"")
        );
    }

    #[test]
    fn minor_units_round_trip() {
        assert_eq!(money("1234.56").to_minor(), 123_456);
        assert_eq!(Money::from_minor(123_456), Ok(money("1234.56")));
    }

    #[test]
    fn shares_round_down_to_the_hundredth() {
        assert_eq!(money("10").share(money("1"), money("3")), money("3.33"));
        assert_eq!(money("10").share(money("3"), money("3")), money("10"));
        assert_eq!(
            money("1").checked_sub(money("2")),
            Err(AmountError::Underflow)
        );
    }
}
