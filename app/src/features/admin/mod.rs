//! The admin's members (search, roles, manual adjustments) and club settings (branches and keys, earning rules, liability).

pub mod errors;
pub mod api;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod server;
