//! What every feature stands on. `error` and `i18n` are the cores of the wire error type and of
//! the texts; `ui` is the page shell and the widgets pages share; `server` (the `ssr` feature)
//! is the IO shell: configuration, the database and its ledger, sessions, the guard and the
//! route table, the clock, jobs and the demo.

pub mod error;
pub mod feature;
pub mod i18n;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod server;
