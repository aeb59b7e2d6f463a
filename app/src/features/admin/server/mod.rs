pub mod adjustments;
pub mod cashiers;
pub mod club;
pub mod store;
pub mod store_sql;

/// The admin's member and club routes.
pub fn routes() -> crate::platform::server::Routes {
    adjustments::routes().merge(club::routes())
}
