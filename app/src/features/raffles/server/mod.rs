//! Raffles on the server: routes and forms, server functions, the service the scheduler runs,
//! and the store.

pub mod forms;
pub mod queries;
pub mod service;
pub mod store;
pub mod store_sql;
