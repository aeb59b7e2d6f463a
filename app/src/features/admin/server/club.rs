//! The admin's club settings: branches and their API keys, and the earning rules with a dry run.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::header;
use axum::http::request::Parts;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use axum::response::{IntoResponse, Redirect, Response};
use engine::access::Area;
use engine::earn::{BranchId, MemberFacts, Policy, Purchase};
use engine::ledger::Money;
use engine::tiers::TierId;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use crate::features::accounts::server::service::internal;
use crate::platform::server::clock;
use crate::features::accounts::server::forms::back_with_error;
use crate::platform::server::entered::{Admin, Entered};
use crate::platform::server::routes::Routes;
use crate::features::pos::server::{dry_run, keys, policy};
use crate::platform::server::queries::Ctx;
use crate::platform::server::state::AppState;
use crate::features::admin::api::{BranchView, BranchesView, DryRunView, KeyView, NewKeyView, RulesView, TierRow};
use crate::platform::error::{AppError, ErrorCode};

/// Where a new key waits in the admin's session until the page shows it, once: sealed with a
/// one-time pad that only the admin's browser holds (a cookie that lapses in ten minutes), so
/// neither the sessions table nor the cookie alone tells the key.
const NEW_KEY: &str = "new_key";
const PAD_COOKIE: &str = "bashgah_key_pad";
const PAD_SECONDS: u32 = 600;

#[derive(Serialize, Deserialize)]
struct PendingKey {
    branch: String,
    /// The key XOR the pad, base64url.
    sealed: String,
}

fn xor(a: &[u8], b: &[u8]) -> Vec<u8> {
    a.iter().zip(b).map(|(x, y)| x ^ y).collect()
}

/// The key, when the pad fits what the session holds.
fn unseal(pending: &PendingKey, pad: &str) -> Option<String> {
    let sealed = URL_SAFE_NO_PAD.decode(&pending.sealed).ok()?;
    let pad = URL_SAFE_NO_PAD.decode(pad).ok()?;
    if pad.len() != sealed.len() {
        return None;
    }
    String::from_utf8(xor(&sealed, &pad)).ok()
}

/// The club's settings: branches and keys, the earning rules, the liability report.
pub fn routes() -> Routes {
    Routes::new()
        .page("/admin/club", Area::Admin)
        .page("/admin/rules", Area::Admin)
        .page("/admin/branches", Area::Admin)
        .form("/admin/branches", Area::Admin, create_branch)
        .form("/admin/branches/{id}/keys", Area::Admin, issue_key)
        .form("/admin/keys/{id}/revoke", Area::Admin, revoke_key)
        .form("/admin/rules", Area::Admin, save_rules)
        .server_fn("list_branches", Area::Admin)
        .server_fn("load_rules", Area::Admin)
        .server_fn("liability_report", Area::Admin)
}

pub async fn branches_view() -> Result<BranchesView, AppError> {
    let ctx = Ctx::load()?;
    ctx.require(Area::Admin)?;
    let club = &ctx.state.db.club;
    let mut branches = Vec::new();
    for branch in club.branches().await.map_err(|e| ctx.fail(internal(e)))? {
        let keys = club.keys(branch.id).await.map_err(|e| ctx.fail(internal(e)))?;
        branches.push(BranchView {
            id: branch.id.get(),
            name: branch.name,
            created_at_ms: branch.created_at.unix_millis(),
            keys: keys
                .into_iter()
                .map(|k| KeyView {
                    id: k.id,
                    prefix: k.prefix,
                    created_at_ms: k.created_at.unix_millis(),
                    revoked: k.revoked_at.is_some(),
                })
                .collect(),
        });
    }
    let session = leptos_axum::extract::<Session>().await.map_err(|_| ctx.fail(ErrorCode::Internal))?;
    let pending = session.remove::<PendingKey>(NEW_KEY).await.map_err(|e| ctx.fail(internal(e)))?;
    let pad = use_context::<Parts>().and_then(|parts| crate::platform::server::guard::cookie(&parts.headers, PAD_COOKIE).map(str::to_owned));
    let new_key = pending.zip(pad).and_then(|(pending, pad)| {
        let secret = unseal(&pending, &pad)?;
        Some(NewKeyView { branch: pending.branch, secret })
    });
    if new_key.is_some()
        && let Some(response) = use_context::<ResponseOptions>()
        && let Ok(expired) = format!("{PAD_COOKIE}=; Path=/admin/branches; Max-Age=0; HttpOnly; SameSite=Strict").parse()
    {
        response.append_header(header::SET_COOKIE, expired);
    }
    Ok(BranchesView { branches, new_key })
}

fn tier_rows(policy: &Policy) -> Vec<TierRow> {
    policy
        .tiers()
        .tiers()
        .iter()
        .map(|tier| TierRow {
            id: tier.id.as_str().to_owned(),
            name_fa: tier.name_fa.clone(),
            name_en: tier.name_en.clone(),
            threshold: tier.threshold,
            multiplier: tier.benefits.multiplier.to_string(),
            cashback_percent: tier.benefits.cashback_percent.to_string(),
        })
        .collect()
}

pub async fn rules_view(amount: String, tier: String) -> Result<RulesView, AppError> {
    let ctx = Ctx::load()?;
    ctx.require(Area::Admin)?;
    let stored = ctx.state.db.club.active_policy().await.map_err(|e| ctx.fail(internal(e)))?;
    let saved_at_ms = stored.as_ref().map(|v| v.created_at.unix_millis());
    let policy = policy::or_starter(stored);
    let dry_run = if amount.trim().is_empty() {
        None
    } else {
        let amount: Money = engine::text::ascii_digits(amount.trim()).parse().map_err(|_| ctx.fail(ErrorCode::BadAmount))?;
        let now = clock::now();
        let purchase = Purchase {
            member: MemberFacts {
                tier: TierId::parse(&tier).ok(),
                signed_up_at: now,
                birthday: None,
                visits_before: 1,
                first_purchase: false,
            },
            amount,
            branch: BranchId::new(1).map_err(|e| ctx.fail(internal(e)))?,
            at: now,
        };
        let award = dry_run(&policy, &purchase, now);
        Some(DryRunView { points: award.points.get(), credit: award.credit.to_string(), lines: award.explain() })
    };
    Ok(RulesView {
        policy_json: pretty(&policy),
        version: policy.version(),
        saved_at_ms,
        tiers: tier_rows(&policy),
        dry_run,
    })
}

/// The policy as the editor shows it: indented, so an admin can read and change it.
fn pretty(policy: &Policy) -> String {
    serde_json::from_str::<serde_json::Value>(&policy.to_json())
        .and_then(|value| serde_json::to_string_pretty(&value))
        .unwrap_or_else(|_| policy.to_json())
}

#[derive(Deserialize)]
pub struct BranchForm {
    #[serde(default)]
    name: String,
}

/// Seals the new key into the session and answers with the redirect that sets the pad cookie.
async fn show_once(state: &AppState, session: &Session, branch: &str, secret: &str) -> Result<Response, ErrorCode> {
    let pad = clock::random_bytes(secret.len());
    let pending = PendingKey { branch: branch.to_owned(), sealed: URL_SAFE_NO_PAD.encode(xor(secret.as_bytes(), &pad)) };
    session.insert(NEW_KEY, pending).await.map_err(internal)?;
    let secure = if state.config.secure_cookies { "; Secure" } else { "" };
    let cookie = format!(
        "{PAD_COOKIE}={}; Path=/admin/branches; Max-Age={PAD_SECONDS}; HttpOnly; SameSite=Strict{secure}",
        URL_SAFE_NO_PAD.encode(pad)
    );
    let mut response = Redirect::to("/admin/branches?notice=key_created").into_response();
    response.headers_mut().insert(header::SET_COOKIE, cookie.parse().map_err(internal)?);
    Ok(response)
}

pub async fn create_branch(State(state): State<AppState>, _: Entered<Admin>, session: Session, Form(form): Form<BranchForm>) -> Response {
    let shown = match keys::create_branch(&state, &form.name).await {
        Ok((branch, key)) => show_once(&state, &session, &branch.name, &key.secret).await,
        Err(code) => Err(code),
    };
    shown.unwrap_or_else(|code| back_with_error("/admin/branches", code, &[("name", &form.name)]))
}

pub async fn issue_key(State(state): State<AppState>, _: Entered<Admin>, session: Session, Path(branch): Path<i64>) -> Response {
    let Ok(id) = BranchId::new(branch) else { return back_with_error("/admin/branches", ErrorCode::NotFound, &[]) };
    let branches = state.db.club.branches().await.map_err(internal);
    let name = match branches.map(|all| all.into_iter().find(|b| b.id == id)) {
        Ok(Some(branch)) => branch.name,
        Ok(None) => return back_with_error("/admin/branches", ErrorCode::NotFound, &[]),
        Err(code) => return back_with_error("/admin/branches", code, &[]),
    };
    let shown = match keys::issue_key(&state, id).await {
        Ok(key) => show_once(&state, &session, &name, &key.secret).await,
        Err(code) => Err(code),
    };
    shown.unwrap_or_else(|code| back_with_error("/admin/branches", code, &[]))
}

pub async fn revoke_key(State(state): State<AppState>, _: Entered<Admin>, Path(key): Path<i64>) -> Response {
    match keys::revoke_key(&state, key).await {
        Ok(()) => Redirect::to("/admin/branches?notice=key_revoked").into_response(),
        Err(code) => back_with_error("/admin/branches", code, &[]),
    }
}

#[derive(Deserialize)]
pub struct RulesForm {
    #[serde(default)]
    policy: String,
}

/// Saves new rules after the engine has checked them whole; a refused policy changes nothing.
pub async fn save_rules(
    State(state): State<AppState>,
    admin: Entered<Admin>,
    Form(form): Form<RulesForm>,
) -> Response {
    let policy = match Policy::from_json(&form.policy) {
        Ok(policy) => policy,
        Err(e) => return back_with_error("/admin/rules", ErrorCode::BadPolicy, &[("detail", &e.to_string())]),
    };
    match policy::save(&state, &policy, Some(admin.account.id)).await {
        Ok(_) => Redirect::to("/admin/rules?notice=saved").into_response(),
        Err(code) => back_with_error("/admin/rules", code, &[]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_pad_that_sealed_a_key_opens_it() {
        let secret = "bk_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";
        let pad = clock::random_bytes(secret.len());
        let pending = PendingKey { branch: "A".into(), sealed: URL_SAFE_NO_PAD.encode(xor(secret.as_bytes(), &pad)) };
        assert!(!pending.sealed.contains(&secret[3..12]));
        assert_eq!(unseal(&pending, &URL_SAFE_NO_PAD.encode(&pad)).as_deref(), Some(secret));
        assert_eq!(unseal(&pending, &URL_SAFE_NO_PAD.encode(&pad[1..])), None, "a pad of another length");
        assert_eq!(unseal(&pending, "not base64!"), None);
    }
}
