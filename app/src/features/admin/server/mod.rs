pub mod adjustments;
pub mod cashiers;
pub mod club;
pub mod store;
pub mod store_sql;
