//! The member's wallet and the club's liability.

pub mod api;
pub mod pages;
pub mod texts;

#[cfg(feature = "ssr")]
pub mod server;

pub const FEATURE: crate::platform::feature::Feature = crate::platform::feature::Feature {
    error_texts: crate::platform::feature::owns_no_codes,
    #[cfg(feature = "ssr")]
    routes: server::routes,
};
