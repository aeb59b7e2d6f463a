pub mod key;
pub mod routes;
pub mod store;
pub mod store_sql;
