//! The marketplace's storage. A buy is one transaction (the listing locked, stock and the
//! member's limit checked, points charged, one free code assigned, the answer stored); a
//! redemption is one (the code locked, checked and marked used, the answer stored), so a code
//! goes to one member and is used once whatever runs concurrently.

use async_trait::async_trait;
use engine::coupon::{BuyRefusal, CodeText, ListingSpec, RedeemRefusal};
use engine::ledger::{Balances, LedgerError, MemberId, Outcome};
use engine::tiers::TierId;
use engine::time::Timestamp;
use serde::{Deserialize, Serialize};

use crate::platform::server::store::{AccountId, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partner {
    pub id: i64,
    pub name_fa: String,
    pub name_en: String,
}

/// A partner API key: where it is used, and what is shown of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerKey {
    pub id: i64,
    pub partner: i64,
    pub label: String,
    pub prefix: String,
    pub revoked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredListing {
    pub id: i64,
    pub partner: Partner,
    pub spec: ListingSpec,
    /// Codes loaded.
    pub stock: u64,
    pub sold: u64,
    /// Codes set aside as prizes of raffles not yet drawn.
    pub held: u64,
}

impl StoredListing {
    /// Codes on sale.
    pub fn left(&self) -> u64 {
        self.stock.saturating_sub(self.sold).saturating_sub(self.held)
    }
}

/// One buy request.
#[derive(Debug, Clone)]
pub struct CouponBuy {
    pub listing: i64,
    pub member: MemberId,
    pub client_key: String,
    pub tier: TierId,
}

/// What a buy did, as a retry gets it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouponReceipt {
    pub listing: i64,
    pub code: String,
    pub points_charged: i64,
    pub valid_until_ms: i64,
    pub balances: Balances,
}

/// Why a buy was refused; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CouponRefused {
    NoListing,
    Rules(BuyRefusal),
    SoldOut,
    KeyReused,
    Ledger(LedgerError),
}

/// A coupon a member holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldCoupon {
    pub code: String,
    pub listing: StoredListing,
    pub bought_at: Timestamp,
    pub used: Option<(Timestamp, String)>,
}

/// A redemption's answer, as a retry of the same `external_id` gets it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redeemed {
    pub code: String,
    pub listing: i64,
    pub title_fa: String,
    pub title_en: String,
    pub used_at_ms: i64,
    pub place: String,
}

/// Why a code was not redeemed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedeemRefused {
    /// No code of this partner, or one nobody bought.
    Unknown,
    Refusal(RedeemRefusal),
    /// The `external_id` was used for another request.
    Conflict,
}

/// One listing's line of a settlement report over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettlementLine {
    pub listing: i64,
    pub title_fa: String,
    pub title_en: String,
    pub sold: u64,
    pub redeemed: u64,
    /// Sold in the period, expired by the report's end and never used.
    pub expired_unused: u64,
    /// Rials, hundredths: the settlement price of every coupon sold in the period.
    pub owed_minor: i64,
}

#[async_trait]
pub trait CouponStore: Send + Sync + 'static {
    async fn create_partner(&self, name_fa: &str, name_en: &str, now: Timestamp) -> StoreResult<Partner>;
    async fn partners(&self) -> StoreResult<Vec<Partner>>;
    async fn partner(&self, id: i64) -> StoreResult<Option<Partner>>;
    /// Makes `account` act for `partner` (moving it from another partner, if any).
    async fn set_partner_user(&self, partner: i64, account: AccountId, now: Timestamp) -> StoreResult<()>;
    async fn partner_of(&self, account: AccountId) -> StoreResult<Option<i64>>;
    async fn partner_users(&self, partner: i64) -> StoreResult<Vec<AccountId>>;
    async fn add_key(&self, partner: i64, label: &str, digest: &str, prefix: &str, now: Timestamp) -> StoreResult<PartnerKey>;
    async fn keys(&self, partner: i64) -> StoreResult<Vec<PartnerKey>>;
    /// The partner and the key's label of a key that is not revoked.
    async fn key_by_digest(&self, digest: &str) -> StoreResult<Option<PartnerKey>>;
    /// Stores a listing with its codes, all or nothing; a code the partner already has anywhere
    /// is `Duplicate("coupon code")`.
    async fn create_listing(&self, partner: i64, spec: &ListingSpec, codes: &[CodeText], now: Timestamp) -> StoreResult<StoredListing>;
    /// Every listing, newest first; only `partner`'s when given.
    async fn listings(&self, partner: Option<i64>) -> StoreResult<Vec<StoredListing>>;
    async fn listing(&self, id: i64) -> StoreResult<Option<StoredListing>>;
    /// Every code a partner has, for generating new ones that differ.
    async fn partner_codes(&self, partner: i64) -> StoreResult<Vec<CodeText>>;
    async fn buy_answer(&self, listing: i64, member: MemberId, client_key: &str) -> StoreResult<Option<(String, CouponReceipt)>>;
    async fn buy(&self, write: &CouponBuy, request: &str, now: Timestamp) -> StoreResult<Result<Outcome<CouponReceipt>, CouponRefused>>;
    /// The member's coupons, newest first.
    async fn held(&self, member: MemberId) -> StoreResult<Vec<HeldCoupon>>;
    /// The stored answer of a redemption id: the request's digest, the status and the answer.
    async fn redemption_answer(&self, partner: i64, external_id: &str) -> StoreResult<Option<(String, u16, String)>>;
    /// Redeems `code` of `partner` at `place` under the partner's `external_id`.
    async fn redeem(&self, partner: i64, place: &str, code: &CodeText, external_id: &str, body_hash: &str, now: Timestamp) -> StoreResult<Result<Redeemed, RedeemRefused>>;
    /// Remembers the answer of a refused redemption, so its retry answers the same.
    async fn remember_refusal(&self, partner: i64, external_id: &str, body_hash: &str, status: u16, answer: &str, now: Timestamp) -> StoreResult<()>;
    /// Per listing of `partner`: coupons sold in `[from, until)`, how many of them were
    /// redeemed and how many expired unused by `until`, and the amount owed for them.
    async fn settlement(&self, partner: i64, from: Timestamp, until: Timestamp) -> StoreResult<Vec<SettlementLine>>;
    /// Sets `count` free codes of `listing` aside for `holder` (a raffle's prizes), so no sale
    /// takes them; `false`, and nothing held, when fewer are left.
    async fn hold(&self, listing: i64, count: u32, holder: &str) -> StoreResult<bool>;
    /// Puts back on sale what is still held for `holder`.
    async fn release(&self, holder: &str) -> StoreResult<()>;
    /// Coupons sold, not used and still good at `now`, and the settlement price of them all
    /// (hundredths of a rial): what the club still stands behind.
    async fn outstanding(&self, now: Timestamp) -> StoreResult<(u64, i64)>;
}
