//! The server-function surface: what the pages ask the server for, by area. Each function is a
//! public HTTP endpoint under `/api/`; its body only delegates to `server`, which authorises.

mod admin;
mod audit;
mod error;
mod member;
mod till;
mod wallet;
mod wheels;

pub use admin::*;
pub use audit::*;
pub use error::{AppError, ErrorCode};
pub use member::*;
pub use till::*;
pub use wallet::*;
pub use wheels::*;
