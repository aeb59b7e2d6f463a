//! One folder per feature. Each has its server functions (`api`), pages, texts and, behind the
//! `ssr` feature, `server`: its routes with their areas, services, forms and store. A new
//! feature is a new folder, a line here, and a line in `routes()` (and in `crate::api`).

pub mod accounts;
pub mod admin;
pub mod earning;
pub mod fairness;
pub mod pos;
pub mod till;
pub mod wallet;
pub mod wheels;

/// Every feature's routes, each with its area.
#[cfg(feature = "ssr")]
pub fn routes() -> crate::platform::server::Routes {
    crate::platform::server::Routes::new()
        .merge(accounts::server::forms::routes())
        .merge(wallet::server::routes())
        .merge(admin::server::adjustments::routes())
        .merge(admin::server::club::routes())
        .merge(till::server::routes())
        .merge(pos::server::routes())
        .merge(wheels::server::forms::routes())
        .merge(fairness::server::routes::routes())
}
