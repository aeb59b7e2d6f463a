//! The contest forms, answered with redirects so they work before the WebAssembly front end
//! loads: an admin sets a contest up; a member joins one.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use engine::access::Area;
use engine::contest::{ContestDraft, ContestSpec, Metric, PrizeMode, TieRule};
use engine::ledger::Points;
use serde::Deserialize;

use crate::features::accounts::server::forms::back_with_error;
use crate::features::contests::server::service as contests;
use crate::features::raffles::server::forms::{field, number, points, prizes, tehran_time};
use crate::features::raffles::server::service::client_seed;
use crate::platform::error::ErrorCode;
use crate::platform::server::entered::{Admin, Entered, Member};
use crate::platform::server::routes::Routes;
use crate::platform::server::state::AppState;

pub fn routes() -> Routes {
    Routes::new()
        .page("/contests", Area::Member)
        .page("/contests/:id", Area::Public)
        .form("/contests/{id}/join", Area::Member, join)
        .server_fn("contests_list", Area::Member)
        .server_fn("contest_page", Area::Public)
        .page("/admin/contests", Area::Admin)
        .form("/admin/contests", Area::Admin, create)
        .server_fn("admin_contests", Area::Admin)
        .server_fn("audit_contests", Area::Public)
        .server_fn("contest_bundle_text", Area::Public)
}

fn whole(text: &str, what: &str) -> Result<u64, String> {
    number(text).ok_or_else(|| format!("{what}: {text:?} is not a whole number"))
}

fn spec(form: &HashMap<String, String>) -> Result<ContestSpec, String> {
    let metric = Metric::parse(field(form, "metric")).ok_or_else(|| format!("metric: {:?} is not one of the metrics", field(form, "metric")))?;
    let tie_rule = TieRule::parse(field(form, "tie_rule")).ok_or_else(|| format!("tie rule: {:?} is not a tie rule", field(form, "tie_rule")))?;
    let prize_mode = match field(form, "prize_mode") {
        "by_rank" => PrizeMode::ByRank,
        "drawn" => PrizeMode::Drawn,
        other => return Err(format!("prize mode: {other:?} is neither by rank nor drawn")),
    };
    let draft = ContestDraft {
        title_fa: field(form, "title_fa").to_owned(),
        title_en: field(form, "title_en").to_owned(),
        description_fa: field(form, "description_fa").to_owned(),
        description_en: field(form, "description_en").to_owned(),
        metric,
        starts_at: tehran_time(field(form, "starts_date"), field(form, "starts_time"), "starts")?,
        ends_at: tehran_time(field(form, "ends_date"), field(form, "ends_time"), "ends")?,
        entry_fee: if field(form, "entry_fee").is_empty() { Points::ZERO } else { points(field(form, "entry_fee"), "entry fee")? },
        min_score: whole(field(form, "min_score"), "qualifying score")?,
        tie_rule,
        prize_mode,
        prizes: prizes(form)?,
        beacon: field(form, "beacon") == "on",
        board_size: u32::try_from(whole(field(form, "board_size"), "rows on the board")?).map_err(|_| "rows on the board: too many".to_owned())?,
    };
    ContestSpec::parse(draft).map_err(|e| e.to_string())
}

pub async fn create(State(state): State<AppState>, _: Entered<Admin>, Form(form): Form<HashMap<String, String>>) -> Response {
    let spec = match spec(&form) {
        Ok(spec) => spec,
        Err(detail) => return back_with_error("/admin/contests", ErrorCode::BadContest, &[("detail", &detail)]),
    };
    match contests::create(&state, spec).await {
        Ok(contest) => Redirect::to(&format!("/admin/contests?notice=created&contest={}", contest.id)).into_response(),
        Err(code) => back_with_error("/admin/contests", code, &[]),
    }
}

#[derive(Deserialize)]
pub struct JoinForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    client_seed: String,
}

pub async fn join(State(state): State<AppState>, member: Entered<Member>, Path(id): Path<i64>, Form(form): Form<JoinForm>) -> Response {
    let back = format!("/contests/{id}");
    let seed = match client_seed(&form.client_seed, &form.key) {
        Ok(seed) => seed,
        Err(code) => return back_with_error(&back, code, &[]),
    };
    let now = crate::platform::server::clock::now();
    match contests::join_at(&state, member.account.id, id, &seed, &form.key, now).await {
        Ok(_) => Redirect::to(&format!("{back}?notice=joined")).into_response(),
        Err(code) => back_with_error(&back, code, &[]),
    }
}
