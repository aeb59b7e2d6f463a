//! The server-function surface: what the pages ask the server for. Each function is a public
//! HTTP endpoint under `/api/`; its body only authorises and delegates to `server::queries`.

mod error;

use engine::access::Role;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use error::{AppError, ErrorCode};

/// Who is looking at the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewerView {
    pub account_id: i64,
    pub display_name: String,
    pub roles: Vec<Role>,
}

impl ViewerView {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardView {
    pub holder: String,
    /// 16 ASCII digits.
    pub number: String,
    pub qr_svg: String,
    pub barcode_svg: String,
    pub member_since_ms: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileView {
    pub login: String,
    pub first_name: String,
    pub last_name: String,
    /// ISO `YYYY-MM-DD`, empty when not given.
    pub birthday_iso: String,
    pub city: String,
    /// `female`, `male`, `other`, or empty.
    pub gender: String,
}

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

/// A member's points and credit, what expires soon, and their history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WalletView {
    pub points: i64,
    pub pending_points: i64,
    pub owed_points: i64,
    /// Decimal strings in rials.
    pub credit: String,
    pub owed_credit: String,
    pub expiring_points: i64,
    pub expiring: Vec<ExpiringView>,
    pub history: Vec<HistoryRow>,
    pub tier: TierProgressView,
    /// The sign-up address with the member's invite code: `https://club.example/signup?ref=K7M2PQ9X`.
    pub invite_link: String,
}

/// The member's tier and how far the next one is, in the ladder's measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierProgressView {
    pub name_fa: String,
    pub name_en: String,
    /// `None` at the top of the ladder.
    pub next_fa: Option<String>,
    pub next_en: Option<String>,
    pub needed: u64,
    /// Thousandths of the way to the next tier.
    pub per_mille: u16,
    /// `points_earned`, `amount_spent` or `visits`.
    pub measure: String,
    pub multiplier: String,
    pub cashback_percent: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpiringView {
    pub points: i64,
    pub expires_at_ms: i64,
}

/// One movement as the member sees it: `signed` is `+12` or `-3.50`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryRow {
    pub at_ms: i64,
    pub kind: HistoryKind,
    pub credit: bool,
    pub signed: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HistoryKind {
    Earned,
    Unlocked,
    Spent,
    Expired,
    Returned,
    Settled,
    Gift,
    Adjusted,
}

impl HistoryKind {
    pub const ALL: [HistoryKind; 8] = [
        Self::Earned,
        Self::Unlocked,
        Self::Spent,
        Self::Expired,
        Self::Returned,
        Self::Settled,
        Self::Gift,
        Self::Adjusted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Earned => "earned",
            Self::Unlocked => "unlocked",
            Self::Spent => "spent",
            Self::Expired => "expired",
            Self::Returned => "returned",
            Self::Settled => "settled",
            Self::Gift => "gift",
            Self::Adjusted => "adjusted",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
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

/// What the till shows about a member, with what it needs to record a sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TillView {
    pub member: MemberRow,
    pub points: i64,
    pub pending_points: i64,
    pub credit: String,
    pub tier_fa: String,
    pub tier_en: String,
    /// `(id, name)` of every branch, for the cashier to say where they are.
    pub branches: Vec<(i64, String)>,
    /// A fresh idempotency token for the forms on this page: a double click records once.
    pub token: String,
}

#[server(endpoint = "viewer")]
pub async fn viewer() -> Result<Option<ViewerView>, AppError> {
    Ok(crate::server::queries::viewer()?)
}

#[server(endpoint = "my_card")]
pub async fn my_card() -> Result<CardView, AppError> {
    crate::server::queries::my_card().await
}

/// `kind` and `asset` filter the history; empty means all.
#[server(endpoint = "my_wallet")]
pub async fn my_wallet(kind: String, asset: String) -> Result<WalletView, AppError> {
    crate::server::wallet::my_wallet(kind, asset).await
}

#[server(endpoint = "my_profile")]
pub async fn my_profile() -> Result<ProfileView, AppError> {
    crate::server::queries::my_profile().await
}

#[server(endpoint = "search_members")]
pub async fn search_members(query: String) -> Result<Vec<MemberRow>, AppError> {
    crate::server::queries::search_members(query).await
}

#[server(endpoint = "member_detail")]
pub async fn member_detail(id: i64) -> Result<MemberDetailView, AppError> {
    crate::server::queries::member_detail(id).await
}

#[server(endpoint = "liability_report")]
pub async fn liability_report() -> Result<LiabilityView, AppError> {
    crate::server::wallet::liability_report().await
}

#[server(endpoint = "list_branches")]
pub async fn list_branches() -> Result<BranchesView, AppError> {
    crate::server::club_admin::branches_view().await
}

/// The rules in force; with an `amount`, also what such a purchase would earn at `tier`.
#[server(endpoint = "load_rules")]
pub async fn load_rules(amount: String, tier: String) -> Result<RulesView, AppError> {
    crate::server::club_admin::rules_view(amount, tier).await
}

#[server(endpoint = "till_lookup")]
pub async fn till_lookup(query: String) -> Result<Option<TillView>, AppError> {
    crate::server::queries::till_lookup(query).await
}
