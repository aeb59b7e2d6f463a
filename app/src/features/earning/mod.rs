//! Earning events besides purchases: sign-up, profile completion, birthdays and referrals, and
//! the owed awards that other writes commit.

#[cfg(feature = "ssr")]
pub mod server;

pub const FEATURE: crate::platform::feature::Feature = crate::platform::feature::Feature {
    error_texts: crate::platform::feature::owns_no_codes,
    #[cfg(feature = "ssr")]
    routes: crate::platform::server::Routes::new,
};
