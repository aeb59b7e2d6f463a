//! Partner coupons: a listing's rules checked whole ([`ListingSpec::parse`]), coupon codes
//! (a [`CodeText`] that exists is a valid code; a pool read from CSV row by row; codes made
//! from a [`CodePattern`] with entropy the caller passes in), who may buy when ([`buy`]) and
//! whether a code may be redeemed ([`redeem`]).

mod codes;
mod pattern;
mod rules;
mod spec;
#[cfg(test)]
mod tests;

pub use codes::{CodeText, MAX_POOL_ROWS, PoolError, PoolReport, read_pool};
pub use pattern::{CodePattern, MIN_SPACE_PER_CODE, PatternError};
pub use rules::{BuyRefusal, CouponState, RedeemRefusal, buy, redeem};
pub use spec::{CategoryId, CouponValue, ListingDraft, ListingError, ListingSpec, MAX_STOCK};
