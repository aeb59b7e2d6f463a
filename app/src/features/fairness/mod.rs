//! The fairness log: its public endpoints and bundles, the audit page that verifies in the
//! browser, and the offline verifier's report text.

pub mod errors;
pub mod api;
pub mod pages;
pub mod report;

/// The offline report text of `bashgah verify`.
#[cfg(feature = "ssr")]
pub mod verify_text;

/// Loads the verifier module (`app/verifier`) when the audit page first needs it.
#[cfg(feature = "hydrate")]
mod loader;

#[cfg(feature = "ssr")]
pub mod server;
