//! An admin's manual correction of a member's points or credit, always with a written reason.

use engine::access::Area;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use engine::ledger::{Adjustment, ClientId, LedgerError, MemberId, Money, Points, Request};
use serde::Deserialize;

use crate::features::accounts::server::service::internal;
use crate::platform::server::clock;
use crate::features::accounts::server::forms::back_with_error;
use crate::platform::server::entered::{Admin, Entered};
use crate::platform::server::routes::Routes;
use crate::features::pos::server as pos;
use crate::platform::server::state::AppState;
use crate::platform::server::store::{AccountId, AdjustmentNote};
use crate::platform::error::ErrorCode;

const MAX_REASON_CHARS: usize = 500;

#[derive(Deserialize)]
pub struct AdjustForm {
    /// `points` or `credit`.
    #[serde(default)]
    asset: String,
    /// `grant` or `deduct`.
    #[serde(default)]
    direction: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    reason: String,
    /// From the page, so a resent form adjusts once.
    #[serde(default)]
    token: String,
}

impl AdjustForm {
    fn change(&self, state_expiry: engine::ledger::ExpiryPolicy) -> Result<Adjustment, ErrorCode> {
        let amount = engine::text::plain_number(&self.amount);
        let points = || amount.parse::<i64>().ok().and_then(|n| Points::new(n).ok()).filter(|p| !p.is_zero());
        let credit = || amount.parse::<Money>().ok().filter(|m| !m.is_zero());
        match (self.asset.as_str(), self.direction.as_str()) {
            ("points", "grant") => Ok(Adjustment::GrantPoints { points: points().ok_or(ErrorCode::BadAmount)?, policy: state_expiry }),
            ("points", "deduct") => Ok(Adjustment::DeductPoints { points: points().ok_or(ErrorCode::BadAmount)? }),
            ("credit", "grant") => Ok(Adjustment::GrantCredit { credit: credit().ok_or(ErrorCode::BadAmount)? }),
            ("credit", "deduct") => Ok(Adjustment::DeductCredit { credit: credit().ok_or(ErrorCode::BadAmount)? }),
            _ => Err(ErrorCode::BadRequest),
        }
    }

    fn reason(&self) -> Result<String, ErrorCode> {
        let reason = self.reason.split_whitespace().collect::<Vec<_>>().join(" ");
        let len = reason.chars().count();
        if (1..=MAX_REASON_CHARS).contains(&len) { Ok(reason) } else { Err(ErrorCode::ReasonRequired) }
    }
}

fn refusal(error: LedgerError) -> ErrorCode {
    match error {
        LedgerError::InsufficientPoints { .. } => ErrorCode::InsufficientPoints,
        LedgerError::InsufficientCredit { .. } => ErrorCode::InsufficientCredit,
        LedgerError::IdempotencyConflict(_) => ErrorCode::IdempotencyConflict,
        other => internal(other),
    }
}

async fn adjust(state: &AppState, member: i64, admin: AccountId, form: &AdjustForm) -> Result<(), ErrorCode> {
    let reason = form.reason()?;
    let policy = pos::policy::active(state).await?;
    let change = form.change(policy.expiry())?;
    state.db.accounts.account(AccountId(member)).await.map_err(internal)?.ok_or(ErrorCode::NotFound)?;
    let member = MemberId::new(member).map_err(|_| ErrorCode::NotFound)?;
    let client_id = ClientId::parse(&format!("adjust-{}", form.token.trim())).map_err(|_| ErrorCode::BadRequest)?;
    let note = AdjustmentNote { member, by: admin.0, reason };
    let request = Request::Adjust { member, change };
    match state.db.ledger.adjust(client_id, request, note, clock::now()).await.map_err(internal)? {
        Ok(_) => Ok(()),
        Err(refused) => Err(refusal(refused)),
    }
}

/// The admin's members: search, a member's page, roles and manual adjustments.
pub fn routes() -> Routes {
    Routes::new()
        .page("/admin", Area::Admin)
        .page("/admin/members/:id", Area::Admin)
        .form("/admin/members/{id}/roles", Area::Admin, crate::features::accounts::server::forms::set_roles)
        .form("/admin/members/{id}/adjust", Area::Admin, adjust_member)
        .form("/admin/members/{id}/branches", Area::Admin, crate::features::admin::server::cashiers::set_branches)
        .server_fn("search_members", Area::Admin)
        .server_fn("member_detail", Area::Admin)
}

pub async fn adjust_member(
    State(state): State<AppState>,
    admin: Entered<Admin>,
    Path(member): Path<i64>,
    Form(form): Form<AdjustForm>,
) -> Response {
    let page = format!("/admin/members/{member}");
    let admin = &admin.account;
    if form.token.trim().is_empty() {
        return back_with_error(&page, ErrorCode::BadRequest, &[]);
    }
    match adjust(&state, member, admin.id, &form).await {
        Ok(()) => Redirect::to(&format!("{page}?notice=adjusted")).into_response(),
        Err(code) => back_with_error(&page, code, &[("reason", &form.reason), ("amount", &form.amount)]),
    }
}
