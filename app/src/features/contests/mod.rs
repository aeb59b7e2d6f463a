//! Leaderboard contests: an admin sets one up with its metric, period, fee, qualification, tie
//! rule and prizes; members join; the live board shows the top and each member's rank; at the
//! end the standings are frozen and logged and the prizes paid once (or drawn by
//! `fairdraw/v1` among the qualifiers).

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
