//! The raffle forms, answered with redirects so they work before the WebAssembly front end
//! loads: an admin opens a raffle; a member buys tickets.

use std::collections::{BTreeSet, HashMap};

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use engine::access::Area;
use engine::ledger::{Money, Points};
use engine::raffle::{RaffleDraft, RafflePrize, RafflePrizeKind, RaffleSpec};
use engine::tiers::TierId;
use engine::time::{GregorianDate, Timestamp};
use serde::Deserialize;

use crate::features::accounts::server::forms::back_with_error;
use crate::features::raffles::api::PRIZE_ROWS;
use crate::features::raffles::server::service as raffles;
use crate::platform::error::ErrorCode;
use crate::platform::server::entered::{Admin, Entered, Member};
use crate::platform::server::routes::Routes;
use crate::platform::server::state::AppState;

pub fn routes() -> Routes {
    Routes::new()
        .page("/raffles", Area::Member)
        .page("/raffles/:id", Area::Public)
        .form("/raffles/{id}/tickets", Area::Member, buy)
        .server_fn("raffles_list", Area::Member)
        .server_fn("raffle_page", Area::Public)
        .page("/admin/raffles", Area::Admin)
        .form("/admin/raffles", Area::Admin, open)
        .server_fn("admin_raffles", Area::Admin)
        .server_fn("draw_bundle_text", Area::Public)
        .server_fn("audit_draws", Area::Public)
}

pub(crate) fn field<'a>(form: &'a HashMap<String, String>, name: &str) -> &'a str {
    form.get(name).map_or("", |v| v.trim())
}

pub(crate) fn number(text: &str) -> Option<u64> {
    engine::text::plain_number(text).parse().ok()
}

pub(crate) fn points(text: &str, what: &str) -> Result<Points, String> {
    number(text)
        .and_then(|n| i64::try_from(n).ok())
        .and_then(|n| Points::new(n).ok())
        .ok_or_else(|| format!("{what}: {text:?} is not a number of points"))
}

/// A date (Jalali `1405/09/12` or ISO `2026-12-03`, any digit script) and a time `HH:MM`,
/// Tehran time.
pub(crate) fn tehran_time(date: &str, time: &str, what: &str) -> Result<Timestamp, String> {
    let day = GregorianDate::parse_any_calendar(date).ok_or_else(|| format!("{what}: {date:?} is not a date"))?;
    let clock = engine::text::ascii_digits(time);
    let (hours, minutes) = clock.split_once(':').ok_or_else(|| format!("{what}: {time:?} is not a time like 20:30"))?;
    let hours: u32 = hours.trim().parse().map_err(|_| format!("{what}: {time:?} is not a time like 20:30"))?;
    let minutes: u32 = minutes.trim().parse().map_err(|_| format!("{what}: {time:?} is not a time like 20:30"))?;
    if hours > 23 || minutes > 59 {
        return Err(format!("{what}: {time:?} is not a time of day"));
    }
    Ok(Timestamp::from_tehran(day.to_jalali(), hours * 60 + minutes))
}

fn tiers(text: &str) -> Result<BTreeSet<TierId>, String> {
    text.split([',', '،', ' ', '\n'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| TierId::parse(t).map_err(|e| format!("tiers: {e}")))
        .collect()
}

pub(crate) fn prizes(form: &HashMap<String, String>) -> Result<Vec<RafflePrize>, String> {
    let mut prizes = Vec::new();
    for row in 0..PRIZE_ROWS {
        let f = |name: &str| field(form, &format!("{name}_{row}"));
        let n = row + 1;
        if f("prize_amount").is_empty() && f("prize_label_fa").is_empty() && f("prize_label_en").is_empty() {
            continue;
        }
        let kind = match f("prize_kind") {
            "points" => RafflePrizeKind::Points { points: points(f("prize_amount"), &format!("prize {n}"))? },
            "credit" => RafflePrizeKind::Credit {
                credit: engine::text::plain_number(f("prize_amount"))
                    .parse::<Money>()
                    .map_err(|_| format!("prize {n}: {:?} is not an amount of rials", f("prize_amount")))?,
            },
            "coupon" => RafflePrizeKind::Coupon {
                listing: number(f("prize_amount")).and_then(|n| i64::try_from(n).ok()).ok_or_else(|| format!("prize {n}: the coupon's listing number"))?,
            },
            _ => RafflePrizeKind::Item,
        };
        let count = number(f("prize_count")).and_then(|c| u32::try_from(c).ok()).unwrap_or(1);
        prizes.push(RafflePrize { kind, count, label_fa: f("prize_label_fa").to_owned(), label_en: f("prize_label_en").to_owned() });
    }
    Ok(prizes)
}

fn spec(form: &HashMap<String, String>) -> Result<RaffleSpec, String> {
    let limit = number(field(form, "per_member_limit")).and_then(|n| u32::try_from(n).ok());
    let draft = RaffleDraft {
        title_fa: field(form, "title_fa").to_owned(),
        title_en: field(form, "title_en").to_owned(),
        description_fa: field(form, "description_fa").to_owned(),
        description_en: field(form, "description_en").to_owned(),
        prizes: prizes(form)?,
        ticket_price: if field(form, "ticket_price").is_empty() { Points::ZERO } else { points(field(form, "ticket_price"), "ticket price")? },
        per_member_limit: limit.ok_or_else(|| format!("per-member limit: {:?} is not a whole number", field(form, "per_member_limit")))?,
        opens_at: tehran_time(field(form, "opens_date"), field(form, "opens_time"), "opens")?,
        closes_at: tehran_time(field(form, "closes_date"), field(form, "closes_time"), "closes")?,
        beacon: field(form, "beacon") == "on",
        tiers: tiers(field(form, "tiers"))?,
        ticket_per_purchase: match field(form, "ticket_per_purchase") {
            "" => None,
            text => Some(
                engine::text::plain_number(text).parse::<Money>().map_err(|_| format!("ticket per purchase: {text:?} is not an amount of rials"))?,
            ),
        },
        by_contest: false,
    };
    RaffleSpec::parse(draft).map_err(|e| e.to_string())
}

pub async fn open(State(state): State<AppState>, _: Entered<Admin>, Form(form): Form<HashMap<String, String>>) -> Response {
    let spec = match spec(&form) {
        Ok(spec) => spec,
        Err(detail) => return back_with_error("/admin/raffles", ErrorCode::BadRaffle, &[("detail", &detail)]),
    };
    match raffles::open(&state, spec).await {
        Ok(raffle) => Redirect::to(&format!("/admin/raffles?notice=opened&raffle={}", raffle.id)).into_response(),
        Err(code) => back_with_error("/admin/raffles", code, &[]),
    }
}

#[derive(Deserialize)]
pub struct BuyForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    count: String,
    #[serde(default)]
    client_seed: String,
}

/// Buys tickets; the page the redirect leads to shows them with their receipts.
pub async fn buy(State(state): State<AppState>, member: Entered<Member>, Path(id): Path<i64>, Form(form): Form<BuyForm>) -> Response {
    let back = format!("/raffles/{id}");
    let Some(count) = number(&form.count).and_then(|n| u32::try_from(n).ok()).filter(|&n| n > 0) else {
        return back_with_error(&back, ErrorCode::BadTicketCount, &[]);
    };
    let seed = match raffles::client_seed(&form.client_seed, &form.key) {
        Ok(seed) => seed,
        Err(code) => return back_with_error(&back, code, &[]),
    };
    let now = crate::platform::server::clock::now();
    match raffles::buy_at(&state, member.account.id, id, count, &seed, &form.key, now).await {
        Ok(outcome) => Redirect::to(&format!("{back}?notice=bought&tickets={}", outcome.result().count)).into_response(),
        Err(code) => back_with_error(&back, code, &[]),
    }
}
