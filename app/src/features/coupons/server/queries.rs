//! The marketplace's server functions: the market, the member's coupon wallet, a partner's own
//! page and the admin's list of partners.

use engine::access::{Area, Role};
use engine::coupon::CouponValue;
use engine::ledger::MemberId;
use engine::time::Timestamp;

use crate::features::accounts::server::card_art;
use crate::features::accounts::server::service::internal;
use crate::features::coupons::api::{CouponView, ListingView, MarketView, PartnerKeyView, PartnerPageView, PartnerRowView, SettlementView};
use crate::features::coupons::server::store::{Partner, SettlementLine, StoredListing};
use crate::platform::error::{AppError, ErrorCode};
use crate::platform::server::clock;
use crate::platform::server::queries::Ctx;
use crate::platform::server::store::AccountId;

/// A coupon good for at most this much longer is listed as expiring soon.
const EXPIRING_SOON_MS: i64 = 7 * 86_400_000;
/// The settlement report's default period: the last 30 days.
const DEFAULT_PERIOD_MS: i64 = 30 * 86_400_000;

fn value_texts(value: &CouponValue) -> (String, String) {
    match value {
        CouponValue::Percent { percent } => (format!("{percent}٪ تخفیف"), format!("{percent}% off")),
        CouponValue::Fixed { rials } => (format!("{rials} ریال تخفیف"), format!("{rials} rials off")),
        CouponValue::FreeItem { item_fa, item_en } => (format!("رایگان: {}", item_fa.as_str()), format!("Free: {}", item_en.as_str())),
        CouponValue::Text { text_fa, text_en } => (text_fa.as_str().to_owned(), text_en.as_str().to_owned()),
    }
}

/// `with_price`: show what the club owes the partner per sale (partners and admins).
pub(crate) fn listing_view(listing: &StoredListing, with_price: bool) -> ListingView {
    let spec = &listing.spec;
    let (value_fa, value_en) = value_texts(spec.value());
    ListingView {
        id: listing.id,
        partner_fa: listing.partner.name_fa.clone(),
        partner_en: listing.partner.name_en.clone(),
        title_fa: spec.title_fa().as_str().to_owned(),
        title_en: spec.title_en().as_str().to_owned(),
        terms_fa: spec.terms_fa().to_owned(),
        terms_en: spec.terms_en().to_owned(),
        category: spec.category().as_str().to_owned(),
        image_url: spec.image_url().to_owned(),
        price: spec.price().get(),
        value_fa,
        value_en,
        sale_until_ms: spec.sale_until().unix_millis(),
        valid_until_ms: spec.valid_until().unix_millis(),
        per_member_limit: spec.per_member_limit(),
        left: listing.left(),
        stock: listing.stock,
        sold: listing.sold,
        settlement_price: if with_price { spec.settlement_price().to_string() } else { String::new() },
    }
}

fn settlement_view(line: &SettlementLine) -> SettlementView {
    SettlementView {
        listing: line.listing,
        title_fa: line.title_fa.clone(),
        title_en: line.title_en.clone(),
        sold: line.sold,
        redeemed: line.redeemed,
        expired_unused: line.expired_unused,
        owed: engine::ledger::Money::from_minor(line.owed_minor).map(|m| m.to_string()).unwrap_or_default(),
    }
}

/// Whether a listing matches the search text: any word in its titles, terms or brand names.
fn matches(listing: &ListingView, query: &str) -> bool {
    let query = engine::text::ascii_digits(query.trim()).to_lowercase();
    if query.is_empty() {
        return true;
    }
    [&listing.title_fa, &listing.title_en, &listing.terms_fa, &listing.terms_en, &listing.partner_fa, &listing.partner_en]
        .iter()
        .any(|text| text.to_lowercase().contains(&query))
}

/// The listings on sale now, filtered by category and search text.
pub async fn market(category: String, query: String) -> Result<MarketView, AppError> {
    let ctx = Ctx::load()?;
    let account = ctx.require(Area::Member)?;
    let member = MemberId::new(account.id.0).map_err(|e| ctx.fail(internal(e)))?;
    let state = &ctx.state;
    let now = clock::now();
    let all = state.db.coupons.listings(None).await.map_err(|e| ctx.fail(internal(e)))?;
    let on_sale: Vec<&StoredListing> = all.iter().filter(|l| l.spec.sale_from() <= now && now < l.spec.sale_until()).collect();
    let mut categories: Vec<String> = on_sale.iter().map(|l| l.spec.category().as_str().to_owned()).collect();
    categories.sort();
    categories.dedup();
    let category = category.trim();
    let listings = on_sale
        .into_iter()
        .filter(|l| category.is_empty() || l.spec.category().as_str() == category)
        .map(|l| listing_view(l, false))
        .filter(|l| matches(l, &query))
        .collect();
    let points = state.db.ledger.balances(member).await.map_err(|e| ctx.fail(internal(e)))?.points.get();
    Ok(MarketView { listings, categories, points, key: clock::form_token() })
}

/// The member's coupons with their codes drawn as QR code and barcode.
pub async fn my_coupons() -> Result<Vec<CouponView>, AppError> {
    let ctx = Ctx::load()?;
    let account = ctx.require(Area::Member)?;
    let member = MemberId::new(account.id.0).map_err(|e| ctx.fail(internal(e)))?;
    let held = ctx.state.db.coupons.held(member).await.map_err(|e| ctx.fail(internal(e)))?;
    let now = clock::now().unix_millis();
    Ok(held
        .iter()
        .map(|coupon| {
            let valid_until = coupon.listing.spec.valid_until().unix_millis();
            let expired = now >= valid_until;
            CouponView {
                code: coupon.code.clone(),
                listing: listing_view(&coupon.listing, false),
                bought_at_ms: coupon.bought_at.unix_millis(),
                used_at_ms: coupon.used.as_ref().map(|(at, _)| at.unix_millis()),
                used_place: coupon.used.as_ref().map(|(_, place)| place.clone()).unwrap_or_default(),
                expired,
                expires_soon: coupon.used.is_none() && !expired && valid_until - now <= EXPIRING_SOON_MS,
                qr_svg: card_art::qr_of(&coupon.code),
                barcode_svg: card_art::coupon_barcode_svg(&coupon.code),
            }
        })
        .collect())
}

/// The brand a viewer of the partner area works on: a partner's user always their own; an
/// admin the one asked for (or the first), with every brand to switch between.
async fn scoped_partner(ctx: &Ctx, asked: i64) -> Result<(i64, Vec<Partner>), AppError> {
    let account = ctx.require(Area::Partner)?;
    let store = &ctx.state.db.coupons;
    if let Some(own) = store.partner_of(AccountId(account.id.0)).await.map_err(|e| ctx.fail(internal(e)))? {
        return Ok((own, Vec::new()));
    }
    if !account.roles.contains(Role::Admin) {
        return Err(ctx.fail(ErrorCode::NotAPartner));
    }
    let partners = store.partners().await.map_err(|e| ctx.fail(internal(e)))?;
    let id = partners.iter().find(|p| p.id == asked).or(partners.first()).map(|p| p.id).ok_or_else(|| ctx.fail(ErrorCode::NotFound))?;
    Ok((id, partners))
}

pub async fn partner_page(partner: i64) -> Result<PartnerPageView, AppError> {
    let ctx = Ctx::load()?;
    let (id, brands) = scoped_partner(&ctx, partner).await?;
    let store = &ctx.state.db.coupons;
    let fail = |e| ctx.fail(internal(e));
    let brand = store.partner(id).await.map_err(fail)?.ok_or_else(|| ctx.fail(ErrorCode::NotFound))?;
    let until = clock::now();
    let from = Timestamp::from_unix_millis(until.unix_millis() - DEFAULT_PERIOD_MS);
    let brands = brands.into_iter().map(|p| (p.id, p.name_fa, p.name_en)).collect();
    Ok(PartnerPageView {
        partner: id,
        name_fa: brand.name_fa,
        name_en: brand.name_en,
        listings: store.listings(Some(id)).await.map_err(fail)?.iter().map(|l| listing_view(l, true)).collect(),
        keys: store
            .keys(id)
            .await
            .map_err(fail)?
            .into_iter()
            .map(|k| PartnerKeyView { label: k.label, prefix: k.prefix, revoked: k.revoked })
            .collect(),
        settlement: store.settlement(id, from, until).await.map_err(fail)?.iter().map(settlement_view).collect(),
        from_ms: from.unix_millis(),
        until_ms: until.unix_millis(),
        brands,
    })
}

pub async fn admin_partners() -> Result<Vec<PartnerRowView>, AppError> {
    let ctx = Ctx::load()?;
    ctx.require(Area::Admin)?;
    let store = &ctx.state.db.coupons;
    let fail = |e| ctx.fail(internal(e));
    let mut rows = Vec::new();
    for p in store.partners().await.map_err(fail)? {
        rows.push(PartnerRowView {
            id: p.id,
            users: store.partner_users(p.id).await.map_err(fail)?.len(),
            listings: store.listings(Some(p.id)).await.map_err(fail)?.len(),
            name_fa: p.name_fa,
            name_en: p.name_en,
        });
    }
    Ok(rows)
}
