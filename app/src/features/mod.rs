//! One folder per feature. Each has its server functions (`api`), pages, texts and, behind the
//! `ssr` feature, `server`: its routes with their areas, services, forms and store. Its
//! `mod.rs` ends with the [`Feature`] it hands the house. A new feature is a new folder and its
//! name in the one list below.

use crate::platform::feature::Feature;

macro_rules! features {
    ($($name:ident),* $(,)?) => {
        $(pub mod $name;)*

        /// Every registered feature.
        pub const ALL: &[&Feature] = &[$(&$name::FEATURE),*];
    };
}

features![accounts, admin, contests, coupons, earning, fairness, pos, raffles, till, wallet, wheels];

/// Every feature's routes, each with its area.
#[cfg(feature = "ssr")]
pub fn routes() -> crate::platform::server::Routes {
    ALL.iter().fold(crate::platform::server::Routes::new(), |routes, feature| routes.merge((feature.routes)()))
}
