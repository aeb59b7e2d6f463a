//! Contests on the server: routes and forms, server functions, the service the scheduler runs,
//! the store and the live leaderboard.

pub mod board;
pub mod forms;
pub mod queries;
pub mod service;
pub mod store;
pub mod store_sql;
