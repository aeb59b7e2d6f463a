//! The marketplace on the server: partner brands and their people and keys, listings with
//! their codes, members' buys and partners' redemptions.

use engine::access::Role;
use engine::coupon::{BuyRefusal, CodePattern, CodeText, ListingSpec, MAX_STOCK, PoolError, RedeemRefusal, read_pool};
use engine::ledger::{LedgerError, MemberId, Outcome};
use engine::time::Timestamp;
use engine::wheel::Label;

use crate::features::accounts::server::service::internal;
use crate::features::coupons::server::store::{CouponBuy, CouponReceipt, CouponRefused, Partner, PartnerKey, Redeemed, RedeemRefused, StoredListing};
use crate::features::pos::server::{self as pos, keys, policy};
use crate::platform::error::ErrorCode;
use crate::platform::server::clock;
use crate::platform::server::state::AppState;
use crate::platform::server::store::{AccountId, Login, StoreError};

/// Partner API keys start with this.
const KEY_PREFIX: &str = "pk_";

pub async fn create_partner(state: &AppState, name_fa: &str, name_en: &str) -> Result<Partner, ErrorCode> {
    let (Some(fa), Some(en)) = (Label::parse(name_fa), Label::parse(name_en)) else {
        return Err(ErrorCode::BadPartner);
    };
    state.db.coupons.create_partner(fa.as_str(), en.as_str(), clock::now()).await.map_err(internal)
}

/// Makes the account signed in as `login` a user of `partner`, with the partner role.
pub async fn add_partner_user(state: &AppState, by: AccountId, partner: i64, login: &str) -> Result<AccountId, ErrorCode> {
    state.db.coupons.partner(partner).await.map_err(internal)?.ok_or(ErrorCode::NotFound)?;
    let login = Login::parse(login).ok_or(ErrorCode::UnknownMember)?;
    let account = state.db.accounts.account_by_login(&login).await.map_err(internal)?.ok_or(ErrorCode::UnknownMember)?;
    let now = clock::now();
    if !account.roles.contains(Role::Partner) {
        state.db.accounts.set_roles(account.id, account.roles.with(Role::Partner), by, now).await.map_err(internal)?;
    }
    state.db.coupons.set_partner_user(partner, account.id, now).await.map_err(internal)?;
    Ok(account.id)
}

/// A new API key for `partner`, labelled with where it is used (a branch, a till); the secret
/// is returned once.
pub async fn issue_key(state: &AppState, partner: i64, label: &str) -> Result<(String, PartnerKey), ErrorCode> {
    state.db.coupons.partner(partner).await.map_err(internal)?.ok_or(ErrorCode::NotFound)?;
    let label = Label::parse(label).ok_or(ErrorCode::BadPartner)?;
    let (secret, digest) = keys::new_key_with(KEY_PREFIX);
    let key = state.db.coupons.add_key(partner, label.as_str(), &digest.hash, &digest.prefix, clock::now()).await.map_err(internal)?;
    Ok((secret, key))
}

/// The key of an `Authorization: Bearer pk_…` header that is not revoked.
pub async fn authenticate(state: &AppState, authorization: Option<&str>) -> Result<PartnerKey, ErrorCode> {
    let secret = authorization
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|s| s.starts_with(KEY_PREFIX))
        .ok_or(ErrorCode::BadPartnerKey)?;
    state.db.coupons.key_by_digest(&keys::digest(secret)).await.map_err(internal)?.ok_or(ErrorCode::BadPartnerKey)
}

/// The partner an account acts for.
pub async fn partner_of(state: &AppState, account: AccountId) -> Result<i64, ErrorCode> {
    state.db.coupons.partner_of(account).await.map_err(internal)?.ok_or(ErrorCode::NotAPartner)
}

/// Where a listing's codes come from.
pub enum Codes<'a> {
    /// A CSV pool the partner uploaded.
    Pool(&'a str),
    /// `count` codes made from a pattern.
    Pattern { pattern: &'a str, charset: &'a str, count: u64 },
}

/// Why a listing's codes were refused: the reason, and every row at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodesRefused {
    pub code: ErrorCode,
    pub details: Vec<String>,
}

impl From<ErrorCode> for CodesRefused {
    fn from(code: ErrorCode) -> Self {
        Self { code, details: Vec::new() }
    }
}

/// Lists a coupon with its codes, all or nothing.
pub async fn create_listing(state: &AppState, partner: i64, spec: ListingSpec, codes: Codes<'_>) -> Result<StoredListing, CodesRefused> {
    let store = &state.db.coupons;
    store.partner(partner).await.map_err(internal)?.ok_or(ErrorCode::NotFound)?;
    let codes: Vec<CodeText> = match codes {
        Codes::Pool(text) => {
            let report = read_pool(text);
            if !report.errors.is_empty() {
                return Err(CodesRefused { code: ErrorCode::BadCodes, details: report.errors.iter().take(50).map(PoolError::to_string).collect() });
            }
            report.codes
        }
        Codes::Pattern { pattern, charset, count } => {
            if count == 0 || count > MAX_STOCK {
                return Err(CodesRefused { code: ErrorCode::BadCodes, details: vec![format!("stock must be 1 to {MAX_STOCK}")] });
            }
            let pattern = CodePattern::parse(pattern, charset).map_err(|e| CodesRefused { code: ErrorCode::BadCodes, details: vec![e.to_string()] })?;
            let taken = store.partner_codes(partner).await.map_err(internal)?.into_iter().collect();
            pattern.generate(count, clock::random_seed(), &taken).map_err(|e| CodesRefused { code: ErrorCode::BadCodes, details: vec![e.to_string()] })?
        }
    };
    if codes.is_empty() {
        return Err(CodesRefused { code: ErrorCode::BadCodes, details: vec!["no codes".into()] });
    }
    match store.create_listing(partner, &spec, &codes, clock::now()).await {
        Ok(listing) => Ok(listing),
        Err(StoreError::Duplicate("coupon code")) => {
            Err(CodesRefused { code: ErrorCode::BadCodes, details: vec!["a code of this file is already in another listing of the brand".into()] })
        }
        Err(e) => Err(internal(e).into()),
    }
}

/// One coupon of `listing` for `account` under the member's idempotency `key`.
pub async fn buy_at(state: &AppState, account: AccountId, listing: i64, key: &str, now: Timestamp) -> Result<Outcome<CouponReceipt>, ErrorCode> {
    let key = crate::platform::server::store::client_key(key).ok_or(ErrorCode::BadBuyKey)?;
    let member = MemberId::new(account.0).map_err(|_| ErrorCode::UnknownMember)?;
    let request = format!("coupon:{listing}");
    let store = &state.db.coupons;
    if let Some((stored, receipt)) = store.buy_answer(listing, member, key).await.map_err(internal)? {
        return if stored == request { Ok(Outcome::Replayed(receipt)) } else { Err(ErrorCode::IdempotencyConflict) };
    }
    let rules = policy::in_force(state).await.map_err(internal)?;
    let tier = pos::held_tier(state, member, rules.tiers()).await?;
    match store.buy(&CouponBuy { listing, member, client_key: key.to_owned(), tier }, &request, now).await.map_err(internal)? {
        Ok(outcome) => Ok(outcome),
        Err(CouponRefused::NoListing) => Err(ErrorCode::NotFound),
        Err(CouponRefused::SoldOut) => Err(ErrorCode::CouponSoldOut),
        Err(CouponRefused::Rules(BuyRefusal::OverLimit)) => Err(ErrorCode::CouponLimit),
        Err(CouponRefused::Rules(BuyRefusal::NotOnSaleYet)) => Err(ErrorCode::CouponNotOnSale),
        Err(CouponRefused::Rules(BuyRefusal::SaleEnded)) => Err(ErrorCode::CouponSaleEnded),
        Err(CouponRefused::Rules(BuyRefusal::TierNotAdmitted)) => Err(ErrorCode::CouponTier),
        Err(CouponRefused::KeyReused) => Err(ErrorCode::IdempotencyConflict),
        Err(CouponRefused::Ledger(LedgerError::InsufficientPoints { .. })) => Err(ErrorCode::InsufficientPoints),
        Err(CouponRefused::Ledger(other)) => Err(internal(other)),
    }
}

/// Why a redemption was refused, with what the partner's staff need to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotRedeemed {
    Error(ErrorCode),
    Used { at: Timestamp, place: String },
    Expired { at: Timestamp },
}

impl NotRedeemed {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Error(code) => *code,
            Self::Used { .. } => ErrorCode::CouponUsed,
            Self::Expired { .. } => ErrorCode::CouponExpired,
        }
    }
}

/// Redeems a code for `partner` at `place`, once; `external_id` is the partner's own id of
/// the request, so a retry gets the first answer.
pub async fn redeem_at(state: &AppState, partner: i64, place: &str, code: &str, external_id: &str, now: Timestamp) -> Result<Redeemed, NotRedeemed> {
    let external_id = crate::platform::server::store::client_key(external_id).ok_or(NotRedeemed::Error(ErrorCode::BadExternalId))?;
    let code = CodeText::parse(code).ok_or(NotRedeemed::Error(ErrorCode::UnknownCoupon))?;
    let body_hash = engine::fair::hexstr::encode(&engine::fair::sha256(code.as_str().as_bytes()));
    match state.db.coupons.redeem(partner, place, &code, external_id, &body_hash, now).await.map_err(|e| NotRedeemed::Error(internal(e)))? {
        Ok(redeemed) => Ok(redeemed),
        Err(RedeemRefused::Unknown) => Err(NotRedeemed::Error(ErrorCode::UnknownCoupon)),
        Err(RedeemRefused::Conflict) => Err(NotRedeemed::Error(ErrorCode::IdempotencyConflict)),
        Err(RedeemRefused::Refusal(RedeemRefusal::Used { at, place })) => Err(NotRedeemed::Used { at, place }),
        Err(RedeemRefused::Refusal(RedeemRefusal::Expired { at })) => Err(NotRedeemed::Expired { at }),
    }
}
