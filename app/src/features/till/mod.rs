//! The web till: find a member, record purchases, returns and credit payments.

pub mod errors;
pub mod api;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod server;
