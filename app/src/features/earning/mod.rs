//! Earning events besides purchases: sign-up, profile completion, birthdays and referrals, and
//! the owed awards that other writes commit.

#[cfg(feature = "ssr")]
pub mod server;
