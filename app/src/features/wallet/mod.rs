//! The member's wallet and the club's liability.

pub mod api;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod server;
