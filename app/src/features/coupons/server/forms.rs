//! The marketplace's forms, answered with redirects so they work before the WebAssembly front
//! end loads, and the settlement report as CSV.

use std::collections::{BTreeSet, HashMap};

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use engine::access::{Area, Role};
use engine::coupon::{CategoryId, CouponValue, ListingDraft, ListingSpec};
use engine::ledger::Money;
use engine::tiers::TierId;
use engine::time::Timestamp;
use engine::wheel::Label;

use crate::features::accounts::server::forms::back_with_error;
use crate::features::accounts::server::service::internal;
use crate::features::coupons::server::service::{self as coupons, Codes, NotRedeemed};
use crate::features::raffles::server::forms::{field, number, points, tehran_time};
use crate::platform::error::ErrorCode;
use crate::platform::server::clock;
use crate::platform::server::entered::{Admin, Entered, Member, Partner};
use crate::platform::server::routes::Routes;
use crate::platform::server::state::AppState;
use crate::platform::server::store::AccountId;

pub fn routes() -> Routes {
    Routes::new()
        .page("/market", Area::Member)
        .form("/market/{id}/buy", Area::Member, buy)
        .page("/coupons", Area::Member)
        .server_fn("market", Area::Member)
        .server_fn("my_coupons", Area::Member)
        .page("/partner", Area::Partner)
        .form("/partner/listings", Area::Partner, create_listing)
        .form("/partner/redeem", Area::Partner, redeem)
        .get("/partner/settlement.csv", Area::Partner, settlement_csv)
        .server_fn("partner_page", Area::Partner)
        .page("/admin/partners", Area::Admin)
        .form("/admin/partners", Area::Admin, create_partner)
        .form("/admin/partners/{id}/users", Area::Admin, add_user)
        .server_fn("admin_partners", Area::Admin)
        .merge(crate::features::coupons::server::partner_api::routes())
}

pub async fn buy(State(state): State<AppState>, member: Entered<Member>, Path(id): Path<i64>, Form(form): Form<HashMap<String, String>>) -> Response {
    match coupons::buy_at(&state, member.account.id, id, field(&form, "key"), clock::now()).await {
        Ok(_) => Redirect::to("/coupons?notice=bought").into_response(),
        Err(code) => back_with_error("/market", code, &[]),
    }
}

pub async fn create_partner(State(state): State<AppState>, _: Entered<Admin>, Form(form): Form<HashMap<String, String>>) -> Response {
    match coupons::create_partner(&state, field(&form, "name_fa"), field(&form, "name_en")).await {
        Ok(_) => Redirect::to("/admin/partners?notice=created").into_response(),
        Err(code) => back_with_error("/admin/partners", code, &[]),
    }
}

pub async fn add_user(State(state): State<AppState>, admin: Entered<Admin>, Path(id): Path<i64>, Form(form): Form<HashMap<String, String>>) -> Response {
    match coupons::add_partner_user(&state, admin.account.id, id, field(&form, "login")).await {
        Ok(_) => Redirect::to("/admin/partners?notice=added").into_response(),
        Err(code) => back_with_error("/admin/partners", code, &[]),
    }
}

/// The brand a signed-in partner user works for; an admin names it in the form.
async fn brand_of(state: &AppState, account: &crate::platform::server::store::Account, asked: &str) -> Result<i64, ErrorCode> {
    if let Some(own) = state.db.coupons.partner_of(AccountId(account.id.0)).await.map_err(internal)? {
        return Ok(own);
    }
    if account.roles.contains(Role::Admin) {
        return number(asked).and_then(|n| i64::try_from(n).ok()).ok_or(ErrorCode::NotFound);
    }
    Err(ErrorCode::NotAPartner)
}

fn listing_spec(form: &HashMap<String, String>) -> Result<ListingSpec, String> {
    let label = |name: &str| Label::parse(field(form, name)).ok_or_else(|| format!("{name}: 1 to 40 characters"));
    let value = match field(form, "value_kind") {
        "percent" => CouponValue::Percent {
            percent: number(field(form, "value_amount")).and_then(|n| u8::try_from(n).ok()).ok_or("percent: a whole number from 1 to 100")?,
        },
        "fixed" => CouponValue::Fixed {
            rials: engine::text::plain_number(field(form, "value_amount")).parse::<Money>().map_err(|_| "discount: an amount of rials")?,
        },
        "free_item" => CouponValue::FreeItem { item_fa: label("value_fa")?, item_en: label("value_en")? },
        _ => CouponValue::Text { text_fa: label("value_fa")?, text_en: label("value_en")? },
    };
    let tiers: BTreeSet<TierId> = field(form, "tiers")
        .split([',', '،', ' '])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| TierId::parse(t).map_err(|e| format!("tiers: {e}")))
        .collect::<Result<_, _>>()?;
    let draft = ListingDraft {
        title_fa: field(form, "title_fa").to_owned(),
        title_en: field(form, "title_en").to_owned(),
        terms_fa: field(form, "terms_fa").to_owned(),
        terms_en: field(form, "terms_en").to_owned(),
        category: CategoryId::parse(field(form, "category")).ok_or("category: 1 to 30 of a-z, 0-9 and -")?,
        image_url: field(form, "image_url").to_owned(),
        price: if field(form, "price").is_empty() { engine::ledger::Points::ZERO } else { points(field(form, "price"), "price")? },
        value,
        settlement_price: engine::text::plain_number(field(form, "settlement_price")).parse::<Money>().map_err(|_| "settlement price: an amount of rials")?,
        sale_from: tehran_time(field(form, "sale_from_date"), field(form, "sale_from_time"), "sale starts")?,
        sale_until: tehran_time(field(form, "sale_until_date"), field(form, "sale_until_time"), "sale ends")?,
        valid_until: tehran_time(field(form, "valid_until_date"), field(form, "valid_until_time"), "valid until")?,
        per_member_limit: number(field(form, "per_member_limit")).and_then(|n| u32::try_from(n).ok()).ok_or("per-member limit: a whole number")?,
        tiers,
    };
    ListingSpec::parse(draft).map_err(|e| e.to_string())
}

pub async fn create_listing(State(state): State<AppState>, user: Entered<Partner>, Form(form): Form<HashMap<String, String>>) -> Response {
    let back = "/partner";
    let partner = match brand_of(&state, &user.account, field(&form, "partner")).await {
        Ok(partner) => partner,
        Err(code) => return back_with_error(back, code, &[]),
    };
    let spec = match listing_spec(&form) {
        Ok(spec) => spec,
        Err(detail) => return back_with_error(back, ErrorCode::BadListing, &[("detail", &detail)]),
    };
    let codes = match field(&form, "codes_from") {
        "pool" => Codes::Pool(form.get("pool").map_or("", String::as_str)),
        _ => Codes::Pattern {
            pattern: field(&form, "pattern"),
            charset: field(&form, "charset"),
            count: number(field(&form, "stock")).unwrap_or(0),
        },
    };
    match coupons::create_listing(&state, partner, spec, codes).await {
        Ok(listing) => Redirect::to(&format!("/partner?notice=listed&partner={partner}&stock={}", listing.stock)).into_response(),
        Err(refused) => back_with_error(back, refused.code, &[("detail", &refused.details.join("\n"))]),
    }
}

pub async fn redeem(State(state): State<AppState>, user: Entered<Partner>, Form(form): Form<HashMap<String, String>>) -> Response {
    let back = "/partner";
    let partner = match brand_of(&state, &user.account, field(&form, "partner")).await {
        Ok(partner) => partner,
        Err(code) => return back_with_error(back, code, &[]),
    };
    let place = user.account.display_name();
    match coupons::redeem_at(&state, partner, &place, field(&form, "code"), field(&form, "key"), clock::now()).await {
        Ok(done) => Redirect::to(&format!("/partner?notice=redeemed&partner={partner}&code={}", done.code)).into_response(),
        Err(NotRedeemed::Used { at, place }) => {
            back_with_error(back, ErrorCode::CouponUsed, &[("used_at", &at.unix_millis().to_string()), ("place", &place)])
        }
        Err(refused) => back_with_error(back, refused.code(), &[]),
    }
}

/// `from` and `until` as dates (Jalali or ISO), Tehran time; the last 30 days by default.
fn period(query: &HashMap<String, String>) -> Result<(Timestamp, Timestamp), String> {
    let until = match field(query, "until") {
        "" => clock::now(),
        date => tehran_time(date, "23:59", "until")?,
    };
    let from = match field(query, "from") {
        "" => Timestamp::from_unix_millis(until.unix_millis() - 30 * 86_400_000),
        date => tehran_time(date, "00:00", "from")?,
    };
    Ok((from, until))
}

/// The settlement of a period as CSV: per listing, sold, redeemed, expired unused and owed.
pub async fn settlement_csv(State(state): State<AppState>, user: Entered<Partner>, Query(query): Query<HashMap<String, String>>) -> Response {
    let partner = match brand_of(&state, &user.account, field(&query, "partner")).await {
        Ok(partner) => partner,
        Err(code) => return back_with_error("/partner", code, &[]),
    };
    let (from, until) = match period(&query) {
        Ok(period) => period,
        Err(detail) => return back_with_error("/partner", ErrorCode::BadListing, &[("detail", &detail)]),
    };
    let lines = match state.db.coupons.settlement(partner, from, until).await {
        Ok(lines) => lines,
        Err(e) => return back_with_error("/partner", internal(e), &[]),
    };
    let mut csv = csv::Writer::from_writer(Vec::new());
    let mut rows = vec![vec!["listing".to_owned(), "title_fa".into(), "title_en".into(), "sold".into(), "redeemed".into(), "expired_unused".into(), "owed_rials".into()]];
    for l in &lines {
        let owed = Money::from_minor(l.owed_minor).map(|m| m.to_string()).unwrap_or_default();
        rows.push(vec![l.listing.to_string(), l.title_fa.clone(), l.title_en.clone(), l.sold.to_string(), l.redeemed.to_string(), l.expired_unused.to_string(), owed]);
    }
    for row in rows {
        if let Err(e) = csv.write_record(&row) {
            return back_with_error("/partner", internal(e), &[]);
        }
    }
    let body = match csv.into_inner() {
        Ok(bytes) => bytes,
        Err(e) => return back_with_error("/partner", internal(e.to_string()), &[]),
    };
    let name = format!("attachment; filename=\"settlement-{partner}-{}-{}.csv\"", from.tehran_date().to_slashed().replace('/', "-"), until.tehran_date().to_slashed().replace('/', "-"));
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, name)], body).into_response()
}
