//! The till's services and the POS REST API under `/api/v1` with branch keys.

pub mod errors;
#[cfg(feature = "ssr")]
pub mod server;
