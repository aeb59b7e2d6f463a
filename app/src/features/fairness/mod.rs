//! The fairness log: its public endpoints and bundles, the audit page that verifies in the
//! browser, and the offline verifier's report text.

pub mod api;
pub mod pages;
pub mod verify_text;

#[cfg(feature = "hydrate")]
mod draw_timing;

#[cfg(feature = "ssr")]
pub mod server;
