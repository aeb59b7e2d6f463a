//! The odds of a wheel and what a spin costs the club on average, shown to an admin before a
//! wheel is published. Exact decimal arithmetic: no float decides or displays a chance.

use rust_decimal::Decimal;

use super::spec::{Prize, WheelSpec};

/// Chances and expected payout of a wheel under some weights.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Odds {
    pub total_weight: u64,
    /// The chance of each segment, a fraction in `0..=1`, in display order.
    pub chances: Vec<Decimal>,
    /// The chance that a spin wins another spin.
    pub extra_spin_chance: Decimal,
    /// Expected points paid out per spin bought, the extra spins it leads to included.
    pub points_per_spin: Decimal,
    /// Expected credit (rials) paid out per spin bought, likewise.
    pub credit_per_spin: Decimal,
    /// Expected points paid out per point charged, in percent (the return to player).
    pub points_return_percent: Decimal,
}

/// The odds of `spec` with `weights` (the configured ones, or those in force), `None` when no
/// segment can be won or every winnable segment is an extra spin.
pub fn odds(spec: &WheelSpec, weights: &[u64]) -> Option<Odds> {
    let total_weight: u64 = weights.iter().sum();
    if total_weight == 0 || weights.len() != spec.segments().len() {
        return None;
    }
    let total = Decimal::from(total_weight);
    let chances: Vec<Decimal> = weights.iter().map(|&w| Decimal::from(w) / total).collect();
    let (mut extra, mut points, mut credit) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for (segment, chance) in spec.segments().iter().zip(&chances) {
        match &segment.prize {
            Prize::Points { points: p } => points += chance * Decimal::from(p.get()),
            Prize::Credit { credit: c } => credit += chance * c.as_decimal(),
            Prize::ExtraSpin => extra += chance,
            // Paid by the partner's settlement price, in rials the engine does not know.
            Prize::Nothing | Prize::Coupon { .. } => {}
        }
    }
    // A spin is worth its direct payout plus, with chance `extra`, another spin:
    // V = E + extra·V, so V = E / (1 − extra).
    let rest = Decimal::ONE - extra;
    if rest.is_zero() {
        return None;
    }
    let points_per_spin = points / rest;
    let credit_per_spin = credit / rest;
    let points_return_percent = points_per_spin * Decimal::ONE_HUNDRED / Decimal::from(spec.cost().get());
    Some(Odds { total_weight, chances, extra_spin_chance: extra, points_per_spin, credit_per_spin, points_return_percent })
}
