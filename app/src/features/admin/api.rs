//! The admin area: members, roles, adjustments, the liability report, branches and rules.

use engine::access::Role;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::features::accounts::api::ProfileView;

use crate::platform::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub card_number: String,
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleChangeView {
    pub at_ms: i64,
    pub by_name: String,
    pub old: Vec<Role>,
    pub new: Vec<Role>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberDetailView {
    pub row: MemberRow,
    pub profile: ProfileView,
    pub created_at_ms: i64,
    pub role_changes: Vec<RoleChangeView>,
    pub points: i64,
    pub credit: String,
    pub adjustments: Vec<AdjustmentView>,
    /// A fresh idempotency token for the adjustment form.
    pub token: String,
    /// Every branch, and whether this account works there as a cashier.
    pub branches: Vec<BranchChoice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchChoice {
    pub id: i64,
    pub name: String,
    pub assigned: bool,
}

/// A manual correction, as the audit trail shows it: `signed` is e.g. `+50` or `-1200.00`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdjustmentView {
    pub at_ms: i64,
    pub by_name: String,
    pub reason: String,
    pub credit: bool,
    pub signed: String,
}

/// Outstanding points and credit across the club.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiabilityView {
    pub members: i64,
    pub points: i64,
    pub pending_points: i64,
    pub owed_points: i64,
    pub credit: String,
    pub owed_credit: String,
    pub expiring_points: i64,
    pub expiring_days: u32,
    /// Partner coupons sold, unused and still good, and their settlement value in rials.
    pub outstanding_coupons: u64,
    pub outstanding_coupons_value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyView {
    pub id: i64,
    /// The first characters only: the key itself is never stored.
    pub prefix: String,
    pub created_at_ms: i64,
    pub revoked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchView {
    pub id: i64,
    pub name: String,
    pub created_at_ms: i64,
    pub keys: Vec<KeyView>,
}

/// A key just made, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewKeyView {
    pub branch: String,
    pub secret: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchesView {
    pub branches: Vec<BranchView>,
    pub new_key: Option<NewKeyView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierRow {
    pub id: String,
    pub name_fa: String,
    pub name_en: String,
    pub threshold: u64,
    pub multiplier: String,
    pub cashback_percent: String,
}

/// What a purchase would earn, and why, line by line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DryRunView {
    pub points: i64,
    pub credit: String,
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesView {
    pub policy_json: String,
    pub version: u32,
    pub saved_at_ms: Option<i64>,
    pub tiers: Vec<TierRow>,
    pub dry_run: Option<DryRunView>,
}

#[server(endpoint = "search_members")]
pub async fn search_members(query: String) -> Result<Vec<MemberRow>, AppError> {
    crate::platform::server::queries::search_members(query).await
}

#[server(endpoint = "member_detail")]
pub async fn member_detail(id: i64) -> Result<MemberDetailView, AppError> {
    crate::platform::server::queries::member_detail(id).await
}

#[server(endpoint = "liability_report")]
pub async fn liability_report() -> Result<LiabilityView, AppError> {
    crate::features::wallet::server::liability_report().await
}

#[server(endpoint = "list_branches")]
pub async fn list_branches() -> Result<BranchesView, AppError> {
    crate::features::admin::server::club::branches_view().await
}

/// The rules in force; with an `amount`, also what such a purchase would earn at `tier`.
#[server(endpoint = "load_rules")]
pub async fn load_rules(amount: String, tier: String) -> Result<RulesView, AppError> {
    crate::features::admin::server::club::rules_view(amount, tier).await
}
