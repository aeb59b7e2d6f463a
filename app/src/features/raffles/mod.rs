//! Raffles on `fairdraw/v1`: the admin opens one, members buy tickets with points, and the
//! scheduler closes, reveals, draws and pays it; everyone can verify the draw.

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
