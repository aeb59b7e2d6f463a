//! Spin wheels: the admin's editor, the member's wheels, seed pairs and spins, the fairness page.

pub mod errors;
pub mod api;
pub mod texts;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod server;
