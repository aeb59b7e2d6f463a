//! The fairness log: its public endpoints and bundles, the audit page that verifies in the
//! browser, and the offline verifier's report text.

pub mod errors;
pub mod api;
pub mod pages;
pub mod texts;
pub mod report;

/// The offline report text of `bashgah verify`.
#[cfg(feature = "ssr")]
pub mod verify_text;

/// Loads the verifier module (`app/verifier`) when the audit page first needs it.
#[cfg(feature = "hydrate")]
mod loader;

#[cfg(feature = "ssr")]
pub mod server;

pub const FEATURE: crate::platform::feature::Feature = crate::platform::feature::Feature {
    error_texts: errors::text,
    #[cfg(feature = "ssr")]
    routes: server::routes::routes,
};
