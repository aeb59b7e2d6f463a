//! Raffles: what members, admins and auditors see of them.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::platform::error::AppError;

/// Prize rows the admin form offers; empty rows are ignored.
pub const PRIZE_ROWS: usize = 5;

/// A prize line: `points`, `credit` or `item`, its amount, label and count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RafflePrizeView {
    pub kind: String,
    /// Points or rials as a decimal string; empty for an item.
    pub amount: String,
    pub label_fa: String,
    pub label_en: String,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RaffleView {
    pub id: i64,
    pub draw_id: String,
    pub title_fa: String,
    pub title_en: String,
    pub description_fa: String,
    pub description_en: String,
    pub prizes: Vec<RafflePrizeView>,
    /// `k`, every line together.
    pub prize_count: u64,
    pub ticket_price: i64,
    pub per_member_limit: u32,
    pub opens_at_ms: i64,
    pub closes_at_ms: i64,
    pub beacon: bool,
    /// The drand round the draw is pinned to; 0 without a beacon.
    pub round: u64,
    /// Tier ids that may enter, `gold, silver`; empty is everyone.
    pub tiers: String,
    /// Rials: every purchase of at least this much gives a free ticket; empty when none does.
    pub ticket_per_purchase: String,
    /// The draw of a contest: its tickets go to the contest's qualifiers and are not sold.
    pub by_contest: bool,
    /// `upcoming`, `open`, `closing` (past its close, not yet frozen), `closed` or `drawn`.
    pub phase: String,
    pub tickets: u64,
    pub entrants: u64,
    pub server_commit: String,
    pub open_leaf: u64,
}

/// One of the member's tickets. The inclusion proof exists once the entries are frozen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketView {
    pub leaf_index: u64,
    pub leaf_hash: String,
    /// A signed note of the log key naming the draw, the leaf index and the leaf hash.
    pub receipt: String,
    pub proof: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WinnerView {
    pub position: u64,
    pub leaf_index: u64,
    /// The winner's pseudonymous user commit in this draw.
    pub user_commit: String,
    pub prize: RafflePrizeView,
    /// The viewer is this winner.
    pub you: bool,
}

/// One raffle as its page shows it: to everyone, and more to a signed-in member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RafflePageView {
    pub raffle: RaffleView,
    /// The viewer is a signed-in member (who may buy and has tickets to show).
    pub member: bool,
    pub points: i64,
    pub held: u32,
    pub tickets: Vec<TicketView>,
    pub winners: Vec<WinnerView>,
    pub entries_root: String,
    /// A fresh key for this page's buy form: a double click or a resent form buys once.
    pub key: String,
}

#[server(endpoint = "raffles_list")]
pub async fn raffles_list() -> Result<Vec<RaffleView>, AppError> {
    crate::features::raffles::server::queries::raffles_list().await
}

#[server(endpoint = "raffle_page")]
pub async fn raffle_page(id: i64) -> Result<RafflePageView, AppError> {
    crate::features::raffles::server::queries::raffle_page(id).await
}

#[server(endpoint = "admin_raffles")]
pub async fn admin_raffles() -> Result<Vec<RaffleView>, AppError> {
    crate::features::raffles::server::queries::admin_raffles().await
}

/// The audit bundle of a drawn raffle as JSON text, for the browser to verify.
#[server(endpoint = "draw_bundle_text")]
pub async fn draw_bundle_text(raffle: i64) -> Result<String, AppError> {
    crate::features::raffles::server::queries::draw_bundle_text(raffle).await
}

/// Every raffle, for the audit page: anyone may see them and fetch a drawn one's bundle.
#[server(endpoint = "audit_draws")]
pub async fn audit_draws() -> Result<Vec<RaffleView>, AppError> {
    crate::features::raffles::server::queries::audit_draws().await
}
