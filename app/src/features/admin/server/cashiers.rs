//! Which branches a cashier works at: the admin assigns them on the member's page, and the web
//! till records at these only.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use engine::earn::BranchId;

use crate::platform::error::ErrorCode;
use crate::features::accounts::server::forms::back_with_error;
use crate::features::accounts::server::service::internal;
use crate::platform::server::clock;
use crate::platform::server::entered::{Admin, Entered};
use crate::platform::server::state::AppState;
use crate::platform::server::store::{AccountId, StoreError};

/// `branch_<id>` for each checked branch.
fn checked(form: &HashMap<String, String>) -> Result<Vec<BranchId>, ErrorCode> {
    form.keys()
        .filter_map(|name| name.strip_prefix("branch_"))
        .map(|id| id.parse::<i64>().ok().and_then(|id| BranchId::new(id).ok()).ok_or(ErrorCode::NotFound))
        .collect()
}

pub async fn set_branches(
    State(state): State<AppState>,
    _: Entered<Admin>,
    Path(id): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let page = format!("/admin/members/{id}");
    let saved = async {
        let branches = checked(&form)?;
        state.db.accounts.account(AccountId(id)).await.map_err(internal)?.ok_or(ErrorCode::NotFound)?;
        match state.db.club.set_cashier_branches(AccountId(id), &branches, clock::now()).await {
            Ok(()) => Ok(()),
            Err(StoreError::NotFound) => Err(ErrorCode::NotFound),
            Err(e) => Err(internal(e)),
        }
    };
    match saved.await {
        Ok(()) => Redirect::to(&format!("{page}?notice=branches_saved")).into_response(),
        Err(code) => back_with_error(&page, code, &[]),
    }
}
