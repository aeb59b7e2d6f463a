//! Exact arithmetic on factors and percentages with at most two decimal places. Everything rounds
//! down, so a member is never paid a fraction the club did not promise.

use rust_decimal::Decimal;

use crate::ledger::{Money, Points};

/// The largest multiplier a rule or tier may have; a typo like `150` for `1.50` is refused.
pub const MAX_FACTOR: Decimal = Decimal::from_parts(100, 0, 0, false, 0);

/// `value` in hundredths, when it has at most two decimal places and fits.
pub(crate) fn hundredths(value: Decimal) -> Option<i128> {
    let normal = value.normalize();
    if normal.scale() > 2 {
        return None;
    }
    let mut scaled = normal;
    scaled.rescale(2);
    Some(scaled.mantissa())
}

/// A multiplier: positive, at most two decimals, at most `MAX_FACTOR`.
pub(crate) fn is_factor(value: Decimal) -> bool {
    value > Decimal::ZERO && value <= MAX_FACTOR && hundredths(value).is_some()
}

/// A percentage: 0 to 100 with at most two decimals.
pub(crate) fn is_percent(value: Decimal) -> bool {
    value >= Decimal::ZERO && value <= Decimal::ONE_HUNDRED && hundredths(value).is_some()
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.abs().max(1)
}

/// `floor(base × f1 × f2 × …)`, exact: the factors are multiplied first and rounded once, so
/// the order of multipliers cannot change the result. Saturates at `Points::MAX` (which any limit
/// then caps), since a product beyond it cannot be paid anyway.
pub(crate) fn scale_points(base: Points, factors: &[Decimal]) -> Points {
    let mut num = i128::from(base.get());
    let mut den: i128 = 1;
    for &factor in factors {
        // Factors in a parsed policy are checked; an unchecked one counts as 1.
        let Some(h) = hundredths(factor).filter(|h| *h > 0) else {
            continue;
        };
        let (Some(n), Some(d)) = (num.checked_mul(h), den.checked_mul(100)) else {
            return Points::MAX;
        };
        let g = gcd(n, d);
        (num, den) = (n / g, d / g);
    }
    i64::try_from(num / den)
        .ok()
        .and_then(|v| Points::new(v).ok())
        .unwrap_or(Points::MAX)
}

/// `floor(amount × percent / 100)` to the hundredth of a rial.
pub(crate) fn percent_of(amount: Money, percent: Decimal) -> Money {
    let Some(p) = hundredths(percent).filter(|p| (0..=10_000).contains(p)) else {
        return Money::ZERO;
    };
    let minor = i128::from(amount.to_minor()) * p / 10_000;
    // At most 100% of a valid amount is a valid amount.
    i64::try_from(minor)
        .ok()
        .and_then(|m| Money::from_minor(m).ok())
        .unwrap_or(Money::ZERO)
}

/// `floor(amount / per) × points`, saturating at `Points::MAX`.
pub(crate) fn per_step(amount: Money, per: Money, points: Points) -> Points {
    let per_minor = i128::from(per.to_minor());
    if per_minor <= 0 {
        return Points::ZERO;
    }
    let steps = i128::from(amount.to_minor()) / per_minor;
    steps
        .checked_mul(i128::from(points.get()))
        .and_then(|v| i64::try_from(v).ok())
        .and_then(|v| Points::new(v).ok())
        .unwrap_or(Points::MAX)
}

/// `1.50` → `1.5`, `2.00` → `2`, for explanations.
pub(crate) fn short(value: Decimal) -> Decimal {
    value.normalize()
}
