pub mod forms;
pub mod queries;
pub mod service;
pub mod store;
pub mod store_sql;
