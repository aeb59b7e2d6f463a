//! The marketplace on the server: routes and forms, the partner REST API, server functions,
//! the service and the store.

pub mod forms;
pub mod partner_api;
pub mod queries;
pub mod service;
pub mod store;
pub mod store_sql;
