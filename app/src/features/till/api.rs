//! The till: a member as the cashier sees them.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::platform::error::AppError;
use crate::features::admin::api::MemberRow;

/// What the till shows about a member, with what it needs to record a sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TillView {
    pub member: MemberRow,
    pub points: i64,
    pub pending_points: i64,
    pub credit: String,
    pub tier_fa: String,
    pub tier_en: String,
    /// `(id, name)` of the branches this cashier records at.
    pub branches: Vec<(i64, String)>,
    /// When the member asked to sign in on the web (a claim a cashier confirms), if they did.
    pub claim_opened_ms: Option<i64>,
    /// A fresh idempotency token for the forms on this page: a double click records once.
    pub token: String,
}

#[server(endpoint = "till_lookup")]
pub async fn till_lookup(query: String) -> Result<Option<TillView>, AppError> {
    crate::platform::server::queries::till_lookup(query).await
}
