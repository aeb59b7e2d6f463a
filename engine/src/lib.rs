//! Deterministic reward logic for bashgah.
//!
//! Architecture invariant: nothing in this crate performs IO, reads a clock, touches OS randomness
//! or is async. Time and entropy are arguments, so every result can be recomputed anywhere —
//! including in the browser, where this crate runs compiled to WebAssembly to verify draws.

pub mod access;
pub mod card;
pub mod contest;
pub mod coupon;
pub mod earn;
pub mod email;
pub mod fair;
pub mod jalali;
pub mod ledger;
pub mod password;
pub mod phone;
pub mod profile;
pub mod raffle;
pub mod referral;
pub mod text;
pub mod tiers;
pub mod time;
pub mod wheel;
