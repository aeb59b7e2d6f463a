//! The web till's forms: a purchase, a return and a credit payment, recorded by the signed-in
//! cashier through the same services as the POS API. Each form carries a token from the page, so
//! a double click or a resent form records once.

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use engine::access::{Area, Role};
use engine::card::CardNumber;
use engine::earn::BranchId;
use engine::ledger::Money;
use serde::Deserialize;

use crate::features::accounts::server::forms::back_with_error;
use crate::platform::server::entered::{Entered, Till as TillArea};
use crate::platform::server::routes::Routes;
use crate::features::pos::server::{self as pos, MemberKey, PurchaseInput, RedemptionInput, ReturnInput, Till};
use crate::platform::server::state::AppState;
use crate::features::accounts::server::service::internal;
use crate::platform::server::store::{Account, AccountId, Branch, ExternalId};
use crate::platform::error::ErrorCode;

#[derive(Deserialize)]
pub struct TillForm {
    #[serde(default)]
    card: String,
    #[serde(default)]
    branch: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    token: String,
    /// For a return: the receipt number of the purchase.
    #[serde(default)]
    receipt: String,
}

/// What every till form shares, parsed.
struct Parsed {
    till: Till,
    card: CardNumber,
    amount: Money,
    external_id: ExternalId,
}

/// Amounts as cashiers type them: any digit script, with thousands separators.
fn parse_amount(text: &str) -> Result<Money, ErrorCode> {
    let amount: Money = engine::text::plain_number(text).parse().map_err(|_| ErrorCode::BadAmount)?;
    if amount.is_zero() { Err(ErrorCode::BadAmount) } else { Ok(amount) }
}

impl TillForm {
    /// The form, with its branch checked against the cashier's own: the form names a branch,
    /// but only one the cashier works at is ever used.
    async fn parse(&self, state: &AppState, cashier: &Entered<TillArea>) -> Result<Parsed, ErrorCode> {
        let branch = self.branch.parse::<i64>().ok().and_then(|id| BranchId::new(id).ok()).ok_or(ErrorCode::NotYourBranch)?;
        if !branches_of(state, &cashier.account).await?.iter().any(|b| b.id == branch) {
            return Err(ErrorCode::NotYourBranch);
        }
        let cashier = cashier.account.id;
        let card = CardNumber::parse(&self.card).map_err(|_| ErrorCode::BadMemberKey)?;
        let token = Some(self.token.trim()).filter(|t| !t.is_empty()).ok_or(ErrorCode::BadExternalId)?;
        let external_id = ExternalId::parse(&format!("web-{token}")).ok_or(ErrorCode::BadExternalId)?;
        Ok(Parsed { till: Till { branch, cashier: Some(cashier) }, card, amount: parse_amount(&self.amount)?, external_id })
    }

    fn back(&self, code: ErrorCode) -> Response {
        back_with_error("/till", code, &[("q", &self.card)])
    }
}

/// The branches `account` records at: every branch for an admin, the assigned ones for a cashier.
pub async fn branches_of(state: &AppState, account: &Account) -> Result<Vec<Branch>, ErrorCode> {
    let club = &state.db.club;
    let all = club.branches().await.map_err(internal)?;
    if account.roles.contains(Role::Admin) {
        return Ok(all);
    }
    let mine = club.cashier_branches(account.id).await.map_err(internal)?;
    Ok(all.into_iter().filter(|b| mine.contains(&b.id)).collect())
}

/// The web till: its page, the lookup and the three forms.
pub fn routes() -> Routes {
    Routes::new()
        .page("/till", Area::Till)
        .form("/till/purchase", Area::Till, purchase)
        .form("/till/return", Area::Till, return_purchase)
        .form("/till/redeem", Area::Till, redeem)
        .form("/till/claims/confirm", Area::Till, confirm_claim)
        .server_fn("till_lookup", Area::Till)
}

fn done(card: &CardNumber, notice: &str, fields: &[(&str, String)]) -> Response {
    let mut url = format!("/till?q={}&notice={notice}", card.as_str());
    for (name, value) in fields {
        let value: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
        url.push_str(&format!("&{name}={value}"));
    }
    Redirect::to(&url).into_response()
}

pub async fn purchase(State(state): State<AppState>, cashier: Entered<TillArea>, Form(form): Form<TillForm>) -> Response {
    let parsed = match form.parse(&state, &cashier).await {
        Ok(parsed) => parsed,
        Err(code) => return form.back(code),
    };
    let receipt_number = parsed.external_id.as_str().to_owned();
    let input = PurchaseInput {
        external_id: parsed.external_id,
        member: MemberKey::Card(parsed.card.clone()),
        amount: parsed.amount,
        occurred_at: None,
    };
    match pos::record_purchase(&state, parsed.till, &input).await {
        Ok(outcome) => {
            let receipt = outcome.into_result().receipt;
            done(&parsed.card, "purchase", &[
                ("points", receipt.points_earned.get().to_string()),
                ("credit", receipt.credit_earned.to_string()),
                ("receipt", receipt_number),
            ])
        }
        Err(code) => form.back(code),
    }
}

pub async fn return_purchase(State(state): State<AppState>, cashier: Entered<TillArea>, Form(form): Form<TillForm>) -> Response {
    let parsed = match form.parse(&state, &cashier).await {
        Ok(parsed) => parsed,
        Err(code) => return form.back(code),
    };
    let Some(purchase_external_id) = ExternalId::parse(form.receipt.trim()) else { return form.back(ErrorCode::UnknownPurchase) };
    let input = ReturnInput { external_id: parsed.external_id, purchase_external_id, amount: parsed.amount };
    match pos::record_return(&state, parsed.till, &input).await {
        Ok(outcome) => {
            let receipt = outcome.into_result().receipt;
            done(&parsed.card, "return", &[
                ("points", receipt.points_reversed.get().to_string()),
                ("credit", receipt.credit_reversed.to_string()),
            ])
        }
        Err(code) => form.back(code),
    }
}

pub async fn redeem(State(state): State<AppState>, cashier: Entered<TillArea>, Form(form): Form<TillForm>) -> Response {
    let parsed = match form.parse(&state, &cashier).await {
        Ok(parsed) => parsed,
        Err(code) => return form.back(code),
    };
    let input = RedemptionInput { external_id: parsed.external_id, member: MemberKey::Card(parsed.card.clone()), amount: parsed.amount };
    match pos::redeem_credit(&state, parsed.till, &input).await {
        Ok(outcome) => {
            let receipt = outcome.into_result().receipt;
            done(&parsed.card, "redeem", &[("credit", receipt.amount.to_string())])
        }
        Err(code) => form.back(code),
    }
}

#[derive(Deserialize)]
pub struct ClaimForm {
    #[serde(default)]
    account: i64,
    #[serde(default)]
    card: String,
    #[serde(default)]
    code: String,
}

/// A cashier, having seen the member, confirms their web sign-up with the code they show.
pub async fn confirm_claim(State(state): State<AppState>, _: Entered<TillArea>, Form(form): Form<ClaimForm>) -> Response {
    let back = |code| back_with_error("/till", code, &[("q", form.card.as_str())]);
    match crate::features::accounts::server::service::confirm_claim(&state, AccountId(form.account), &form.code).await {
        Ok(()) => match CardNumber::parse(&form.card) {
            Ok(card) => done(&card, "claim_confirmed", &[]),
            Err(_) => Redirect::to("/till?notice=claim_confirmed").into_response(),
        },
        Err(code) => back(code),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_amount;

    #[test]
    fn amounts_are_read_as_cashiers_type_them() {
        assert_eq!(parse_amount("۲۵۰٬۰۰۰").map(|m| m.to_string()).as_deref(), Ok("250000.00"));
        assert_eq!(parse_amount("1,500.5").map(|m| m.to_string()).as_deref(), Ok("1500.50"));
        assert!(parse_amount("0").is_err());
        assert!(parse_amount("-5").is_err());
        assert!(parse_amount("ده").is_err());
    }
}
