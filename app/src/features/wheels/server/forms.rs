//! The wheel forms, answered with redirects so they work before the WebAssembly front end loads:
//! an admin's wheel editor and open/close switch; a member's spin, client seed and rotation.

use engine::access::Area;
use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use engine::ledger::{Amount, Money, Points};
use engine::tiers::TierId;
use engine::wheel::{FreeSpins, Prize, SegmentDraft, SpinPeriod, WheelDraft, WheelSpec};
use serde::Deserialize;

use crate::features::accounts::server::service::internal;
use crate::platform::server::clock;
use crate::features::accounts::server::forms::back_with_error;
use crate::platform::server::entered::{Admin, Entered, Member};
use crate::platform::server::routes::Routes;
use crate::platform::server::state::AppState;
use crate::features::wheels::server::service as wheels;
use crate::platform::error::ErrorCode;

/// Rows the editor offers for segments; empty rows are ignored.
pub const EDITOR_ROWS: usize = 12;

fn field<'a>(form: &'a HashMap<String, String>, name: &str) -> &'a str {
    form.get(name).map_or("", |v| v.trim())
}

/// Whole numbers as people type them: any digit script, with thousands separators.
fn number(text: &str) -> Option<u64> {
    engine::text::plain_number(text).parse().ok()
}

fn optional_number(text: &str, what: &str) -> Result<Option<u64>, String> {
    if text.is_empty() { Ok(None) } else { number(text).map(Some).ok_or_else(|| format!("{what}: {text:?} is not a whole number")) }
}

fn points(text: &str, what: &str) -> Result<Points, String> {
    number(text)
        .and_then(|n| i64::try_from(n).ok())
        .and_then(|n| Points::new(n).ok())
        .ok_or_else(|| format!("{what}: {text:?} is not a number of points"))
}

fn money(text: &str, what: &str) -> Result<Money, String> {
    engine::text::plain_number(text).parse().map_err(|_| format!("{what}: {text:?} is not an amount of rials"))
}

/// `gold=3, silver 2` → free spins per tier.
fn tier_spins(text: &str) -> Result<Vec<(TierId, u32)>, String> {
    text.split([',', '\n', '،'])
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (tier, count) = part.split_once(['=', ' ', ':']).ok_or_else(|| format!("free spins per tier: write tier=count, not {part:?}"))?;
            let tier = TierId::parse(tier.trim()).map_err(|e| e.to_string())?;
            let count = number(count.trim()).and_then(|n| u32::try_from(n).ok()).ok_or_else(|| format!("free spins per tier: {part:?}"))?;
            Ok((tier, count))
        })
        .collect()
}

/// Reads the editor into a draft; the engine then checks it whole.
fn draft(form: &HashMap<String, String>) -> Result<WheelDraft, String> {
    let mut segments = Vec::new();
    for row in 0..EDITOR_ROWS {
        let f = |name: &str| field(form, &format!("{name}_{row}"));
        if f("id").is_empty() && f("label_fa").is_empty() && f("label_en").is_empty() {
            continue;
        }
        let n = row + 1;
        let amount = f("amount");
        let prize = match f("prize") {
            "points" => Prize::Points { points: points(amount, &format!("segment {n} prize"))? },
            "credit" => Prize::Credit { credit: money(amount, &format!("segment {n} prize"))? },
            "extra_spin" => Prize::ExtraSpin,
            "coupon" => Prize::Coupon {
                listing: amount.trim().parse().map_err(|_| format!("segment {n} prize: the coupon's listing number"))?,
            },
            _ => Prize::Nothing,
        };
        let budget = match (f("budget"), &prize) {
            ("", _) => None,
            (text, Prize::Credit { .. }) => Some(Amount::Credit(money(text, &format!("segment {n} budget"))?)),
            (text, _) => Some(Amount::Points(points(text, &format!("segment {n} budget"))?)),
        };
        segments.push(SegmentDraft {
            id: f("id").to_owned(),
            label_fa: f("label_fa").to_owned(),
            label_en: f("label_en").to_owned(),
            colour: f("colour").to_owned(),
            prize,
            weight: number(f("weight")).ok_or_else(|| format!("segment {n}: weight {:?} is not a whole number", f("weight")))?,
            stock: optional_number(f("stock"), &format!("segment {n} stock"))?,
            budget,
        });
    }
    let everyone = optional_number(field(form, "free_everyone"), "free spins")?.unwrap_or(0);
    Ok(WheelDraft {
        name_fa: field(form, "name_fa").to_owned(),
        name_en: field(form, "name_en").to_owned(),
        segments,
        cost: points(field(form, "cost"), "cost per spin")?,
        free_spins: FreeSpins {
            period: SpinPeriod::parse(field(form, "free_period")).unwrap_or(SpinPeriod::Week),
            everyone: u32::try_from(everyone).map_err(|_| "free spins: too many".to_owned())?,
            by_tier: tier_spins(field(form, "free_tiers"))?.into_iter().collect(),
        },
        beacon: field(form, "beacon") == "on",
    })
}

fn spec(form: &HashMap<String, String>) -> Result<WheelSpec, String> {
    WheelSpec::parse(draft(form)?).map_err(|e| e.to_string())
}

fn refused(back: &str, detail: &str) -> Response {
    back_with_error(back, ErrorCode::BadWheel, &[("detail", detail)])
}

/// Spin wheels: the admin's editor, the member's wheels, seeds and spins.
pub fn routes() -> Routes {
    Routes::new()
        .page("/wheels", Area::Member)
        .page("/wheels/:id", Area::Member)
        .page("/fairness", Area::Member)
        .form("/wheels/{id}/spin", Area::Member, spin)
        .form("/fairness/client-seed", Area::Member, set_client_seed)
        .form("/fairness/rotate", Area::Member, rotate)
        .server_fn("live_wheels", Area::Member)
        .server_fn("wheel_page", Area::Member)
        .server_fn("spin_wheel", Area::Member)
        .server_fn("my_fairness", Area::Member)
        .page("/admin/wheels", Area::Admin)
        .page("/admin/wheels/:id", Area::Admin)
        .form("/admin/wheels", Area::Admin, create_wheel)
        .form("/admin/wheels/{id}", Area::Admin, update_wheel)
        .form("/admin/wheels/{id}/live", Area::Admin, set_live)
        .server_fn("admin_wheels", Area::Admin)
        .server_fn("admin_wheel", Area::Admin)
}

pub async fn create_wheel(State(state): State<AppState>, _: Entered<Admin>, Form(form): Form<HashMap<String, String>>) -> Response {
    let spec = match spec(&form) {
        Ok(spec) => spec,
        Err(detail) => return refused("/admin/wheels/new", &detail),
    };
    match state.db.wheels.create_wheel(&spec, clock::now()).await {
        Ok(id) => match crate::features::wheels::server::service::hold_coupons(&state, id).await {
            Ok(()) => Redirect::to(&format!("/admin/wheels/{id}?notice=saved")).into_response(),
            Err(code) => back_with_error(&format!("/admin/wheels/{id}"), code, &[]),
        },
        Err(e) => back_with_error("/admin/wheels/new", internal(e), &[]),
    }
}

pub async fn update_wheel(
    State(state): State<AppState>,
    _: Entered<Admin>,
    Path(id): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let back = format!("/admin/wheels/{id}");
    let spec = match spec(&form) {
        Ok(spec) => spec,
        Err(detail) => return refused(&back, &detail),
    };
    if spec.beacon() && state.beacon.is_none() {
        return back_with_error(&back, ErrorCode::BeaconOff, &[]);
    }
    match state.db.wheels.update_wheel(id, &spec, clock::now()).await {
        Ok(true) => match crate::features::wheels::server::service::hold_coupons(&state, id).await {
            Ok(()) => Redirect::to(&format!("{back}?notice=saved")).into_response(),
            Err(code) => back_with_error(&back, code, &[]),
        },
        Ok(false) => back_with_error("/admin/wheels", ErrorCode::NotFound, &[]),
        Err(e) => back_with_error(&back, internal(e), &[]),
    }
}

#[derive(Deserialize)]
pub struct LiveForm {
    #[serde(default)]
    live: String,
}

pub async fn set_live(State(state): State<AppState>, _: Entered<Admin>, Path(id): Path<i64>, Form(form): Form<LiveForm>) -> Response {
    let back = format!("/admin/wheels/{id}");
    let live = form.live == "1";
    if live && state.beacon.is_none() {
        match state.db.wheels.wheel(id).await {
            Ok(Some(w)) if w.spec.beacon() => return back_with_error(&back, ErrorCode::BeaconOff, &[]),
            Err(e) => return back_with_error(&back, internal(e), &[]),
            _ => {}
        }
    }
    match state.db.wheels.set_live(id, live, clock::now()).await {
        Ok(true) => Redirect::to(&format!("{back}?notice={}", if live { "opened" } else { "closed" })).into_response(),
        Ok(false) => back_with_error("/admin/wheels", ErrorCode::NotFound, &[]),
        Err(e) => back_with_error(&back, internal(e), &[]),
    }
}

#[derive(Deserialize)]
pub struct SpinForm {
    #[serde(default)]
    key: String,
}

/// A spin without JavaScript: the result is shown by the page the redirect leads to.
pub async fn spin(
    State(state): State<AppState>,
    member: Entered<Member>,
    Path(id): Path<i64>,
    Form(form): Form<SpinForm>,
) -> Response {
    let back = format!("/wheels/{id}");
    let account = member.account;
    match wheels::spin(&state, account.id, id, &form.key).await {
        Ok(outcome) => Redirect::to(&format!("{back}?spun={}", outcome.result().spin)).into_response(),
        Err(code) => back_with_error(&back, code, &[]),
    }
}

#[derive(Deserialize)]
pub struct SeedForm {
    #[serde(default)]
    client_seed: String,
}

pub async fn set_client_seed(
    State(state): State<AppState>,
    member: Entered<Member>,
    Form(form): Form<SeedForm>,
) -> Response {
    let account = member.account;
    match wheels::set_client_seed(&state, account.id, &form.client_seed).await {
        Ok(_) => Redirect::to("/fairness?notice=seed").into_response(),
        Err(code) => back_with_error("/fairness", code, &[]),
    }
}

pub async fn rotate(
    State(state): State<AppState>,
    member: Entered<Member>,
    Form(form): Form<SeedForm>,
) -> Response {
    let account = member.account;
    match wheels::rotate(&state, account.id, &form.client_seed).await {
        Ok(_) => Redirect::to("/fairness?notice=rotated").into_response(),
        Err(code) => back_with_error("/fairness", code, &[]),
    }
}
