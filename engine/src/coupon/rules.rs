//! When a member may buy a coupon, and whether a code may be redeemed.

use crate::ledger::Points;
use crate::tiers::TierId;
use crate::time::Timestamp;

use super::ListingSpec;

/// Why a coupon cannot be bought; nothing is charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuyRefusal {
    NotOnSaleYet,
    SaleEnded,
    TierNotAdmitted,
    /// The member holds the listing's limit already.
    OverLimit,
}

/// What one coupon costs `tier`'s member who holds `held` of the listing, at `now`.
pub fn buy(spec: &ListingSpec, tier: &TierId, held: u32, now: Timestamp) -> Result<Points, BuyRefusal> {
    if now < spec.sale_from() {
        return Err(BuyRefusal::NotOnSaleYet);
    }
    if now >= spec.sale_until() {
        return Err(BuyRefusal::SaleEnded);
    }
    if !spec.admits(tier) {
        return Err(BuyRefusal::TierNotAdmitted);
    }
    if held >= spec.per_member_limit() {
        return Err(BuyRefusal::OverLimit);
    }
    Ok(spec.price())
}

/// A sold code as a redemption finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouponState {
    pub valid_until: Timestamp,
    /// When and where it was used, if it was.
    pub used: Option<(Timestamp, String)>,
}

/// Why a code cannot be redeemed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedeemRefusal {
    Used { at: Timestamp, place: String },
    Expired { at: Timestamp },
}

/// Whether a sold code may be redeemed at `now`: once, and before it expires.
pub fn redeem(state: &CouponState, now: Timestamp) -> Result<(), RedeemRefusal> {
    if let Some((at, place)) = &state.used {
        return Err(RedeemRefusal::Used { at: *at, place: place.clone() });
    }
    if now >= state.valid_until {
        return Err(RedeemRefusal::Expired { at: state.valid_until });
    }
    Ok(())
}
