//! Joining, signing in and out, the language, the member's own card and profile.

pub mod errors;
pub mod api;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod server;
