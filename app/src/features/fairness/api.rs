//! The public audit surface: what anyone may ask without signing in.

use leptos::prelude::*;

use crate::platform::error::AppError;

/// The fairness log's verifier key (`name+keyid+key`), to pin when verifying a bundle.
#[server(endpoint = "log_public_key")]
pub async fn log_public_key() -> Result<String, AppError> {
    crate::platform::server::queries::log_public_key().await
}
