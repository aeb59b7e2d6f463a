//! The till's services and the POS REST API under `/api/v1` with branch keys.

pub mod errors;
#[cfg(feature = "ssr")]
pub mod server;

pub const FEATURE: crate::platform::feature::Feature = crate::platform::feature::Feature {
    error_texts: errors::text,
    #[cfg(feature = "ssr")]
    routes: server::routes,
};
