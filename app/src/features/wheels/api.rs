//! Spin wheels: what members, admins and auditors see of them.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::platform::error::AppError;

/// A prize as pages show it: `points`, `credit`, `extra_spin` or `nothing`, with its amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrizeView {
    pub kind: String,
    /// Points or rials as a decimal string; empty for an extra spin or nothing.
    pub amount: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentView {
    pub id: String,
    pub label_fa: String,
    pub label_en: String,
    pub colour: String,
    pub prize: PrizeView,
    pub weight: u64,
    /// 0 once stock or budget cannot pay the prize again.
    pub weight_in_force: u64,
    /// `None` is unlimited.
    pub stock_left: Option<u64>,
    pub stock: Option<u64>,
    pub budget: String,
    pub budget_left: String,
    /// Chance under the configured weights and under those in force, percent with two decimals.
    pub chance: String,
    pub chance_in_force: String,
}

/// The odds of a wheel: expected payout per spin against its price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OddsView {
    pub points_per_spin: String,
    pub credit_per_spin: String,
    pub extra_spin_percent: String,
    /// Expected points paid per point charged, percent.
    pub return_percent: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WheelView {
    pub id: i64,
    pub name_fa: String,
    pub name_en: String,
    pub cost: i64,
    pub beacon: bool,
    pub live: bool,
    pub segments: Vec<SegmentView>,
    /// `day`, `week` or `jalali_month`.
    pub free_period: String,
    pub free_everyone: u32,
    /// `gold=3, silver=2`.
    pub free_tiers: String,
    pub odds: Option<OddsView>,
    pub odds_in_force: Option<OddsView>,
}

/// A spin as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpinRowView {
    pub id: i64,
    pub wheel: i64,
    pub member: String,
    pub segment: usize,
    pub nonce: u64,
    pub round: u64,
    pub leaf_index: u64,
    /// The server seed is public: the spin's bundle can be verified.
    pub revealed: bool,
    pub at_ms: i64,
}

/// What one spin did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpinView {
    pub spin: i64,
    pub segment: usize,
    pub prize: PrizeView,
    /// `bonus`, `free` or `points`.
    pub paid_with: String,
    pub nonce: u64,
    pub round: u64,
    pub points: i64,
    pub credit: String,
    pub bonus_spins: u64,
    pub replayed: bool,
}

/// A member's seed pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedPairView {
    pub server_commit: String,
    pub client_seed: String,
    pub next_nonce: u64,
}

/// The wheel page of a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WheelPageView {
    pub wheel: WheelView,
    pub points: i64,
    pub free_left: u32,
    pub bonus_spins: u64,
    pub pair: SeedPairView,
    /// False when the deployment runs with `beacon = none`.
    pub deployment_beacon: bool,
    /// A fresh key for this page's spins: a double click or a resent form spins once.
    pub key: String,
    /// The member's latest spin on this wheel.
    pub last: Option<SpinRowView>,
}

/// The member's fairness page: the seed pair and their spins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FairnessView {
    pub pair: SeedPairView,
    pub spins: Vec<SpinRowView>,
}

/// The public audit list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditListView {
    pub spins: Vec<SpinRowView>,
    pub log_size: u64,
    /// False when the deployment runs with `beacon = none`.
    pub deployment_beacon: bool,
}

#[server(endpoint = "live_wheels")]
pub async fn live_wheels() -> Result<Vec<WheelView>, AppError> {
    crate::features::wheels::server::queries::live_wheels().await
}

#[server(endpoint = "wheel_page")]
pub async fn wheel_page(id: i64) -> Result<WheelPageView, AppError> {
    crate::features::wheels::server::queries::wheel_page(id).await
}

#[server(endpoint = "spin_wheel")]
pub async fn spin_wheel(wheel: i64, key: String) -> Result<SpinView, AppError> {
    crate::features::wheels::server::queries::spin_wheel(wheel, key).await
}

#[server(endpoint = "my_fairness")]
pub async fn my_fairness() -> Result<FairnessView, AppError> {
    crate::features::wheels::server::queries::my_fairness().await
}

#[server(endpoint = "admin_wheels")]
pub async fn admin_wheels() -> Result<Vec<WheelView>, AppError> {
    crate::features::wheels::server::queries::admin_wheels().await
}

#[server(endpoint = "admin_wheel")]
pub async fn admin_wheel(id: i64) -> Result<Option<WheelView>, AppError> {
    crate::features::wheels::server::queries::admin_wheel(id).await
}

#[server(endpoint = "recent_spins")]
pub async fn recent_spins() -> Result<AuditListView, AppError> {
    crate::features::wheels::server::queries::recent_spins().await
}

/// The audit bundle of a spin as JSON text, for the browser to verify.
#[server(endpoint = "spin_bundle_text")]
pub async fn spin_bundle_text(spin: i64) -> Result<String, AppError> {
    crate::features::wheels::server::queries::spin_bundle_text(spin).await
}
