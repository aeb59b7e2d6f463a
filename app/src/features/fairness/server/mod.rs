pub mod key;
pub mod routes;
pub mod store;
pub mod store_sql;
pub mod witnesses;
pub mod witness_cli;
