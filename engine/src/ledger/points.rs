//! Whole loyalty points: a non-negative integer with checked arithmetic.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::error::AmountError;

/// A count of points, `0..=Points::MAX`. A value that exists is valid, so code holding one never
/// re-checks it; every operation that could leave the range returns an error instead.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(try_from = "i64", into = "i64")]
pub struct Points(i64);

impl Points {
    pub const ZERO: Points = Points(0);
    /// A quadrillion points: far above any real balance, and low enough that sums of many
    /// balances and products with money ratios stay exact in `i128`.
    pub const MAX: Points = Points(1_000_000_000_000_000);

    /// The one checked constructor.
    pub fn new(value: i64) -> Result<Self, AmountError> {
        if value < 0 {
            Err(AmountError::Negative)
        } else if value > Self::MAX.0 {
            Err(AmountError::TooLarge)
        } else {
            Ok(Points(value))
        }
    }

    pub const fn get(self) -> i64 {
        self.0
    }

    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    pub fn checked_add(self, other: Points) -> Result<Points, AmountError> {
        Points::new(self.0 + other.0)
    }

    pub fn checked_sub(self, other: Points) -> Result<Points, AmountError> {
        if other.0 > self.0 {
            Err(AmountError::Underflow)
        } else {
            Ok(Points(self.0 - other.0))
        }
    }

    /// `self - other`, or zero when `other` is larger.
    pub fn saturating_sub(self, other: Points) -> Points {
        Points((self.0 - other.0).max(0))
    }

    /// `floor(self * numerator / denominator)` for `numerator <= denominator`, exact in `i128`.
    /// Rounding down means a partial return never takes back more than its share.
    pub fn share(self, numerator: i64, denominator: i64) -> Points {
        if denominator <= 0 || numerator >= denominator {
            return self;
        }
        let value = i128::from(self.0) * i128::from(numerator.max(0)) / i128::from(denominator);
        // A fraction below one of a valid amount is a valid amount.
        Points(i64::try_from(value).unwrap_or(self.0))
    }

    /// Adds many amounts; an error if the total leaves the range.
    pub fn sum<I: IntoIterator<Item = Points>>(items: I) -> Result<Points, AmountError> {
        items
            .into_iter()
            .try_fold(Points::ZERO, Points::checked_add)
    }
}

impl TryFrom<i64> for Points {
    type Error = AmountError;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        Points::new(value)
    }
}

impl From<Points> for i64 {
    fn from(points: Points) -> i64 {
        points.0
    }
}

impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_constructor_checks_the_range() {
        assert_eq!(Points::new(-1), Err(AmountError::Negative));
        assert_eq!(
            Points::new(Points::MAX.get() + 1),
            Err(AmountError::TooLarge)
        );
        assert_eq!(Points::new(7).map(Points::get), Ok(7));
    }

    #[test]
    fn arithmetic_stays_in_range() {
        let three = Points::new(3).expect("valid");
        let five = Points::new(5).expect("valid");
        assert_eq!(three.checked_sub(five), Err(AmountError::Underflow));
        assert_eq!(Points::MAX.checked_add(three), Err(AmountError::TooLarge));
        assert_eq!(five.saturating_sub(three).get(), 2);
        assert_eq!(three.saturating_sub(five), Points::ZERO);
    }

    #[test]
    fn shares_round_down_and_a_whole_share_is_exact() {
        let ten = Points::new(10).expect("valid");
        assert_eq!(ten.share(1, 3).get(), 3);
        assert_eq!(ten.share(3, 3), ten);
        assert_eq!(ten.share(0, 3), Points::ZERO);
    }

    #[test]
    fn serde_refuses_invalid_values() {
        assert!(serde_json::from_str::<Points>("-4").is_err());
        assert_eq!(
            serde_json::from_str::<Points>("4").map(Points::get).ok(),
            Some(4)
        );
    }
}
