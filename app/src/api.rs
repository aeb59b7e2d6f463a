//! The server-function surface: what the pages ask the server for. Each function is a public
//! HTTP endpoint under `/api/`, declared with its area in its feature's routes; its body only
//! delegates to the feature's server code, which authorises. One line per feature.

pub use crate::features::accounts::api::*;
pub use crate::features::admin::api::*;
pub use crate::features::fairness::api::*;
pub use crate::features::till::api::*;
pub use crate::features::wallet::api::*;
pub use crate::features::wheels::api::*;
pub use crate::platform::error::{AppError, ErrorCode};
