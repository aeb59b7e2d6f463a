//! Contests: what members, admins and auditors see of them.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::features::raffles::api::RafflePrizeView;
use crate::platform::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContestView {
    pub id: i64,
    pub contest_id: String,
    pub title_fa: String,
    pub title_en: String,
    pub description_fa: String,
    pub description_en: String,
    /// `points_earned`, `purchase_count`, `amount_spent`, `referrals` or `spins`.
    pub metric: String,
    /// `shared_rank` or `first_to_reach`.
    pub tie_rule: String,
    /// `by_rank` or `drawn`.
    pub prize_mode: String,
    pub prizes: Vec<RafflePrizeView>,
    pub entry_fee: i64,
    pub min_score: u64,
    pub starts_at_ms: i64,
    pub ends_at_ms: i64,
    /// `upcoming`, `running`, `finishing` (over, standings not yet frozen) or `finished`.
    pub phase: String,
    pub entrants: u64,
    pub board_size: u32,
    pub rules_hash: String,
    pub open_leaf: u64,
    pub result_leaf: Option<u64>,
    /// The draw of a drawn contest.
    pub raffle: Option<i64>,
    pub beacon: bool,
}

/// One row of the leaderboard. Members are shown by their pseudonym in this contest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardEntryView {
    pub rank: u64,
    pub pseudonym: String,
    pub score: u64,
    pub you: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwardView {
    pub rank: u64,
    pub pseudonym: String,
    pub score: u64,
    pub prize: RafflePrizeView,
    pub you: bool,
}

/// One contest as its page shows it: to everyone, and more to a signed-in member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContestPageView {
    pub contest: ContestView,
    /// The viewer is a signed-in member (who may join).
    pub member: bool,
    pub joined: bool,
    pub points: i64,
    /// The viewer's row, once their score is above zero.
    pub you: Option<BoardEntryView>,
    pub top: Vec<BoardEntryView>,
    /// Members on the board (score above zero).
    pub on_board: u64,
    /// `redis` or `sql` while live; `frozen` once finished.
    pub board_source: String,
    pub board_at_ms: Option<i64>,
    pub awards: Vec<AwardView>,
    /// A fresh key for this page's join form.
    pub key: String,
}

#[server(endpoint = "contests_list")]
pub async fn contests_list() -> Result<Vec<ContestView>, AppError> {
    crate::features::contests::server::queries::contests_list().await
}

#[server(endpoint = "contest_page")]
pub async fn contest_page(id: i64) -> Result<ContestPageView, AppError> {
    crate::features::contests::server::queries::contest_page(id).await
}

#[server(endpoint = "admin_contests")]
pub async fn admin_contests() -> Result<Vec<ContestView>, AppError> {
    crate::features::contests::server::queries::admin_contests().await
}

/// Every contest, for the audit page: anyone may see them and fetch a finished one's bundle.
#[server(endpoint = "audit_contests")]
pub async fn audit_contests() -> Result<Vec<ContestView>, AppError> {
    crate::features::contests::server::queries::audit_contests().await
}

/// The audit bundle of a finished contest as JSON text, for the browser to verify.
#[server(endpoint = "contest_bundle_text")]
pub async fn contest_bundle_text(contest: i64) -> Result<String, AppError> {
    crate::features::contests::server::queries::contest_bundle_text(contest).await
}
