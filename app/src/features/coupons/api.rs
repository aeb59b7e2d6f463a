//! The marketplace: what members, partners and admins see of it.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::platform::error::AppError;

/// A coupon listing as the pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingView {
    pub id: i64,
    pub partner_fa: String,
    pub partner_en: String,
    pub title_fa: String,
    pub title_en: String,
    pub terms_fa: String,
    pub terms_en: String,
    pub category: String,
    pub image_url: String,
    pub price: i64,
    pub value_fa: String,
    pub value_en: String,
    pub sale_until_ms: i64,
    pub valid_until_ms: i64,
    pub per_member_limit: u32,
    pub left: u64,
    pub stock: u64,
    pub sold: u64,
    /// Rials the club owes the partner per sale (partners and admins only; empty for members).
    pub settlement_price: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketView {
    pub listings: Vec<ListingView>,
    /// Every category on offer, for the filter.
    pub categories: Vec<String>,
    pub points: i64,
    /// A fresh key for this page's buy forms.
    pub key: String,
}

/// A coupon the member holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouponView {
    pub code: String,
    pub listing: ListingView,
    pub bought_at_ms: i64,
    pub used_at_ms: Option<i64>,
    pub used_place: String,
    pub expired: bool,
    /// Good for at most a week more, and not used.
    pub expires_soon: bool,
    pub qr_svg: String,
    pub barcode_svg: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettlementView {
    pub listing: i64,
    pub title_fa: String,
    pub title_en: String,
    pub sold: u64,
    pub redeemed: u64,
    pub expired_unused: u64,
    /// Rials.
    pub owed: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerKeyView {
    pub label: String,
    pub prefix: String,
    pub revoked: bool,
}

/// A partner brand's own page: its listings, keys and the settlement of a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerPageView {
    pub partner: i64,
    pub name_fa: String,
    pub name_en: String,
    pub listings: Vec<ListingView>,
    pub keys: Vec<PartnerKeyView>,
    pub settlement: Vec<SettlementView>,
    pub from_ms: i64,
    pub until_ms: i64,
    /// The brands an admin may switch between (empty for a partner's own user).
    pub brands: Vec<(i64, String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerRowView {
    pub id: i64,
    pub name_fa: String,
    pub name_en: String,
    pub users: usize,
    pub listings: usize,
}

#[server(endpoint = "market")]
pub async fn market(category: String, query: String) -> Result<MarketView, AppError> {
    crate::features::coupons::server::queries::market(category, query).await
}

#[server(endpoint = "my_coupons")]
pub async fn my_coupons() -> Result<Vec<CouponView>, AppError> {
    crate::features::coupons::server::queries::my_coupons().await
}

#[server(endpoint = "partner_page")]
pub async fn partner_page(partner: i64) -> Result<PartnerPageView, AppError> {
    crate::features::coupons::server::queries::partner_page(partner).await
}

#[server(endpoint = "admin_partners")]
pub async fn admin_partners() -> Result<Vec<PartnerRowView>, AppError> {
    crate::features::coupons::server::queries::admin_partners().await
}
