//! The public audit surface: what anyone may ask without signing in.

use leptos::prelude::*;

use serde::{Deserialize, Serialize};

use crate::platform::error::AppError;

/// A witness's latest cosignature of the log (C2SP tlog-cosignature/v1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CosignatureView {
    pub witness: String,
    pub size: u64,
    /// The witness's timestamp, POSIX seconds.
    pub signed_at: u64,
    /// The checkpoint with the log's and the witness's signature lines.
    pub note: String,
}

/// The fairness log's verifier key (`name+keyid+key`), to pin when verifying a bundle.
#[server(endpoint = "log_public_key")]
pub async fn log_public_key() -> Result<String, AppError> {
    crate::platform::server::queries::log_public_key().await
}

/// Each accepted witness's latest cosignature of the log.
#[server(endpoint = "log_cosignatures")]
pub async fn log_cosignatures() -> Result<Vec<CosignatureView>, AppError> {
    crate::features::fairness::server::witnesses::latest_view().await
}
