//! bashgah's integration tests: one binary, run against SQLite and PostgreSQL.
//!
//! `BASHGAH_TEST_POSTGRES` names a PostgreSQL server whose role may create databases (the test
//! command sets it); every test gets a database of its own there, or a SQLite file of its own.

mod process;
mod support;

mod access_matrix;
mod adjustments_http;
mod accounts_http;
mod architecture;
mod browser;
mod club_admin_http;
mod contests;
mod coupons;
mod earning_events;
mod fairlog;
mod fairness_python;
mod instances;
mod ledger_store;
mod pos_api;
mod raffles;
mod security_http;
mod store_contract;
mod till_http;
mod verify_bundle;
mod wallet_http;
mod wheels;
mod witness;
