//! The spin wheel (`product.md` item 6) around the draw of [`crate::fair::fairspin`]:
//!
//! - [`spec`]: a wheel's checked configuration (segments, prizes, cost, free spins, beacon mode).
//! - [`odds`]: the chance of each segment and the expected cost per spin against its price, as
//!   an admin sees them before publishing.
//! - [`play`]: the weights in force given what stock and budget remain, how a spin is paid for,
//!   and what a won prize takes from stock and budget.

pub mod odds;
pub mod play;
pub mod spec;

pub use odds::{Odds, odds};
pub use play::{Left, Payment, carried_left, consume, in_force, payment};
pub use spec::{
    Colour, FreeSpins, Label, Prize, SegmentDraft, SegmentId, SegmentSpec, SpinPeriod, WheelDraft, WheelError, WheelSpec,
};

#[cfg(test)]
mod tests;
