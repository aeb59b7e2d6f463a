//! Joining, signing in and out, the language, the member's own card and profile.

pub mod errors;
pub mod api;
pub mod pages;
pub mod texts;

#[cfg(feature = "ssr")]
pub mod server;

pub const FEATURE: crate::platform::feature::Feature = crate::platform::feature::Feature {
    error_texts: errors::text,
    #[cfg(feature = "ssr")]
    routes: server::forms::routes,
};
