//! Spin wheels: the admin's editor, the member's wheels, seed pairs and spins, the fairness page.

pub mod errors;
pub mod api;
pub mod texts;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod server;

pub const FEATURE: crate::platform::feature::Feature = crate::platform::feature::Feature {
    error_texts: errors::text,
    #[cfg(feature = "ssr")]
    routes: server::forms::routes,
};
