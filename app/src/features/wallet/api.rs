//! The member's wallet: balances, tier progress, points expiring soon and history.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::platform::error::AppError;

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

/// `kind` and `asset` filter the history; empty means all.
#[server(endpoint = "my_wallet")]
pub async fn my_wallet(kind: String, asset: String) -> Result<WalletView, AppError> {
    crate::features::wallet::server::my_wallet(kind, asset).await
}
