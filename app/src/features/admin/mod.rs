//! The admin's members (search, roles, manual adjustments) and club settings (branches and keys, earning rules, liability).

pub mod errors;
pub mod api;
pub mod pages;
pub mod texts;

#[cfg(feature = "ssr")]
pub mod server;

pub const FEATURE: crate::platform::feature::Feature = crate::platform::feature::Feature {
    error_texts: errors::text,
    #[cfg(feature = "ssr")]
    routes: server::routes,
};
