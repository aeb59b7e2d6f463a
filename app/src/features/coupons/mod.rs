//! The partner coupon marketplace: partner brands list coupons (codes from an uploaded pool or
//! a pattern), members buy them with points into their coupon wallet, partners redeem them
//! once (page or REST API) and are settled by the agreed price per sale.

pub mod api;
pub mod errors;
pub mod pages;
pub mod texts;

#[cfg(feature = "ssr")]
pub mod server;

pub const FEATURE: crate::platform::feature::Feature = crate::platform::feature::Feature {
    error_texts: errors::text,
    #[cfg(feature = "ssr")]
    routes: server::forms::routes,
};
