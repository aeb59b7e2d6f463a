//! The POS REST API: plain JSON over HTTP under `/api/v1`, authenticated by a branch key
//! (`Authorization: Bearer bk_…`). Points are JSON integers and money amounts decimal strings;
//! every error is `{code, message}` with the message in the request's language.

use axum::body::Bytes;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::Json;
use engine::access::Area;
use engine::ledger::{Money, Outcome};
use engine::phone::PhoneNumber;
use engine::profile::PersonName;
use engine::time::Timestamp;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use utoipa::{IntoParams, ToSchema};

use crate::platform::server::guard::request_lang;
use crate::platform::server::routes::Routes;
use crate::platform::server::state::AppState;
use crate::platform::server::store::{ExternalId, Reply};
use crate::features::pos::server::{EnrolInput, MemberKey, MemberStatus, MemberView, PurchaseInput, RedemptionInput, ReturnInput, Till, keys};
use crate::platform::error::{AppError, ErrorCode};
use crate::platform::i18n::Lang;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .post("/api/v1/members", Area::Pos, enrol)
        .get("/api/v1/members/lookup", Area::Pos, lookup)
        .post("/api/v1/purchases", Area::Pos, purchase)
        .post("/api/v1/returns", Area::Pos, return_purchase)
        .post("/api/v1/credit/redemptions", Area::Pos, redeem)
}

/// An error answer in the caller's language.
pub(crate) struct ApiError {
    code: ErrorCode,
    lang: Lang,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(AppError::new(self.code, self.lang))).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if self.code == ErrorCode::WritesQueued {
            // The writer drains thousands a second: a second is plenty.
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

/// The branch a request's key belongs to, and the language to answer in.
pub(crate) struct Caller {
    till: Till,
    lang: Lang,
}

impl Caller {
    fn fail(&self, code: ErrorCode) -> ApiError {
        ApiError { code, lang: self.lang }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let lang = parts.extensions.get::<Lang>().copied().unwrap_or_else(|| request_lang(&parts.headers));
        let authorization = parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
        let branch = keys::authenticate(state, authorization).await.map_err(|code| ApiError { code, lang })?;
        Ok(Self { till: Till { branch, cashier: None }, lang })
    }
}

fn body<T: DeserializeOwned>(bytes: &Bytes) -> Result<T, ErrorCode> {
    serde_json::from_slice(bytes).map_err(|_| ErrorCode::BadRequest)
}

/// Money arrives as a decimal string; a JSON number is refused, as floats would round rials.
fn money(value: &serde_json::Value) -> Result<Money, ErrorCode> {
    value.as_str().and_then(|s| s.parse().ok()).ok_or(ErrorCode::BadAmount)
}

fn external_id(text: &str) -> Result<ExternalId, ErrorCode> {
    ExternalId::parse(text).ok_or(ErrorCode::BadExternalId)
}

fn name(text: Option<&str>) -> Result<Option<PersonName>, ErrorCode> {
    text.map(str::trim).filter(|t| !t.is_empty()).map(PersonName::parse).transpose().map_err(|_| ErrorCode::BadName)
}

/// 201 when this call made the write, 200 with the very same body when it replayed one.
fn answered<T>(outcome: Outcome<Reply<T>>) -> Response {
    let status = if outcome.is_replay() { StatusCode::OK } else { StatusCode::CREATED };
    let json = outcome.into_result().json;
    (status, [(header::CONTENT_TYPE, "application/json")], json).into_response()
}

#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct EnrolBody {
    /// An Iranian mobile number in any common format and digit script.
    #[schema(pattern = "^(\\+98|0098|98|0)?9[0-9]{9}$", example = "09121234567")]
    phone: String,
    #[schema(max_length = 60, pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$")]
    first_name: Option<String>,
    #[schema(max_length = 60, pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$")]
    last_name: Option<String>,
}

/// Enrol a member at the till.
#[utoipa::path(post, path = "/api/v1/members", tag = "members", request_body = EnrolBody,
    responses(
        (status = 201, description = "Enrolled", body = MemberView),
        (status = 200, description = "The phone was a member already: that member", body = MemberView),
        (status = 401, description = "Missing, wrong or revoked key", body = crate::features::pos::server::openapi::ErrorBody),
        (status = 422, description = "Bad phone or name", body = crate::features::pos::server::openapi::ErrorBody),
    ))]
pub(crate) async fn enrol(State(state): State<AppState>, caller: Caller, bytes: Bytes) -> Result<Response, ApiError> {
    let input: EnrolBody = body(&bytes).map_err(|c| caller.fail(c))?;
    let input = EnrolInput {
        phone: PhoneNumber::parse(&input.phone).map_err(|_| caller.fail(ErrorCode::BadPhone))?,
        first_name: name(input.first_name.as_deref()).map_err(|c| caller.fail(c))?,
        last_name: name(input.last_name.as_deref()).map_err(|c| caller.fail(c))?,
    };
    let enrolled = crate::features::pos::server::enrol(&state, &input).await.map_err(|c| caller.fail(c))?;
    let status = if enrolled.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(enrolled.member)).into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct LookupQuery {
    /// The member's 16-digit card number or mobile number (any digit script).
    #[param(pattern = "^(9800[0-9]{12}|(\\+98|0098|98|0)?9[0-9]{9})$", example = "9800123412341234")]
    member: String,
}

/// Find a member by card number or mobile number.
#[utoipa::path(get, path = "/api/v1/members/lookup", tag = "members", params(LookupQuery),
    responses(
        (status = 200, description = "The member", body = MemberStatus),
        (status = 401, description = "Missing, wrong or revoked key", body = crate::features::pos::server::openapi::ErrorBody),
        (status = 404, description = "No such member, or a card number whose check digit does not match", body = crate::features::pos::server::openapi::ErrorBody),
        (status = 422, description = "Neither a card number nor a mobile number", body = crate::features::pos::server::openapi::ErrorBody),
    ))]
pub(crate) async fn lookup(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<LookupQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<MemberStatus>, ApiError> {
    let Query(query) = query.map_err(|_| caller.fail(ErrorCode::BadRequest))?;
    let key = MemberKey::parse(&query.member).map_err(|c| caller.fail(c))?;
    crate::features::pos::server::lookup(&state, &key).await.map(Json).map_err(|c| caller.fail(c))
}

#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct PurchaseBody {
    /// The till's id of the sale, unique per branch: a retry with the same id and body is answered
    /// as the first call was.
    #[schema(min_length = 1, max_length = 64, pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]+$", example = "sale-0001")]
    external_id: String,
    /// The member's 16-digit card number or mobile number (any digit script).
    #[schema(pattern = "^(9800[0-9]{12}|(\\+98|0098|98|0)?9[0-9]{9})$", example = "9800123412341234")]
    member: String,
    /// Rials, as a decimal string.
    #[schema(value_type = String, example = "1200000", required = true, pattern = "^0*[1-9][0-9]{0,14}(\\.[0-9]{1,2})?$")]
    // A missing amount is a bad amount, not a malformed body.
    #[serde(default)]
    amount: serde_json::Value,
    /// When the sale happened, RFC 3339 with an offset (`2026-12-03T10:15:00.250+03:30`); now
    /// when left out. At most five minutes ahead of the server's clock and at most the
    /// configured window (72 hours by default) back.
    #[schema(value_type = Option<String>, format = DateTime, example = "2026-12-03T10:15:00+03:30")]
    occurred_at: Option<String>,
}

/// An RFC 3339 time, milliseconds kept.
fn occurred_at(text: &str) -> Result<Timestamp, ErrorCode> {
    let parsed = time::OffsetDateTime::parse(text.trim(), &time::format_description::well_known::Rfc3339)
        .map_err(|_| ErrorCode::BadOccurredAt)?;
    let millis = i64::try_from(parsed.unix_timestamp_nanos() / 1_000_000).map_err(|_| ErrorCode::BadOccurredAt)?;
    Ok(Timestamp::from_unix_millis(millis))
}

/// Record a purchase: earns points and cashback by the policy in force.
#[utoipa::path(post, path = "/api/v1/purchases", tag = "transactions", request_body = PurchaseBody,
    responses(
        (status = 201, description = "Recorded", body = crate::platform::server::store::PurchaseReceipt),
        (status = 200, description = "A retry: the first answer, unchanged", body = crate::platform::server::store::PurchaseReceipt),
        (status = 401, description = "Missing, wrong or revoked key", body = crate::features::pos::server::openapi::ErrorBody),
        (status = 404, description = "No such member", body = crate::features::pos::server::openapi::ErrorBody),
        (status = 409, description = "The external id was used for another request, or occurred_at lies ahead of the server's clock or before the allowed window", body = crate::features::pos::server::openapi::ErrorBody),
        (status = 422, description = "Bad input", body = crate::features::pos::server::openapi::ErrorBody),
    ))]
pub(crate) async fn purchase(State(state): State<AppState>, caller: Caller, bytes: Bytes) -> Result<Response, ApiError> {
    let parsed = || -> Result<PurchaseInput, ErrorCode> {
        let input: PurchaseBody = body(&bytes)?;
        Ok(PurchaseInput {
            external_id: external_id(&input.external_id)?,
            member: MemberKey::parse(&input.member)?,
            amount: money(&input.amount)?,
            occurred_at: input.occurred_at.as_deref().map(occurred_at).transpose()?,
        })
    };
    let input = parsed().map_err(|c| caller.fail(c))?;
    crate::features::pos::server::record_purchase(&state, caller.till, &input).await.map(answered).map_err(|c| caller.fail(c))
}

#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct ReturnBody {
    /// The till's id of the return, unique per branch.
    #[schema(min_length = 1, max_length = 64, pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]+$", example = "sale-0001")]
    external_id: String,
    /// The `external_id` the purchase was recorded with at this branch.
    #[schema(min_length = 1, max_length = 64, pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]+$", example = "sale-0001")]
    purchase_external_id: String,
    /// Rials returned, as a decimal string; all returns of a purchase add up to at most its amount.
    #[schema(value_type = String, example = "400000", required = true, pattern = "^0*[1-9][0-9]{0,14}(\\.[0-9]{1,2})?$")]
    // A missing amount is a bad amount, not a malformed body.
    #[serde(default)]
    amount: serde_json::Value,
}

/// Record a return: reverses the purchase's points and credit in proportion.
#[utoipa::path(post, path = "/api/v1/returns", tag = "transactions", request_body = ReturnBody,
    responses(
        (status = 201, description = "Recorded", body = crate::platform::server::store::ReturnReceipt),
        (status = 200, description = "A retry: the first answer, unchanged", body = crate::platform::server::store::ReturnReceipt),
        (status = 401, description = "Missing, wrong or revoked key", body = crate::features::pos::server::openapi::ErrorBody),
        (status = 404, description = "No such purchase at this branch", body = crate::features::pos::server::openapi::ErrorBody),
        (status = 409, description = "The external id was used for another request, or the amount is more than is left of the purchase", body = crate::features::pos::server::openapi::ErrorBody),
        (status = 422, description = "Bad input", body = crate::features::pos::server::openapi::ErrorBody),
    ))]
pub(crate) async fn return_purchase(State(state): State<AppState>, caller: Caller, bytes: Bytes) -> Result<Response, ApiError> {
    let parsed = || -> Result<ReturnInput, ErrorCode> {
        let input: ReturnBody = body(&bytes)?;
        Ok(ReturnInput {
            external_id: external_id(&input.external_id)?,
            purchase_external_id: external_id(&input.purchase_external_id)?,
            amount: money(&input.amount)?,
        })
    };
    let input = parsed().map_err(|c| caller.fail(c))?;
    crate::features::pos::server::record_return(&state, caller.till, &input).await.map(answered).map_err(|c| caller.fail(c))
}

#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct RedemptionBody {
    /// The till's id of the payment, unique per branch.
    #[schema(min_length = 1, max_length = 64, pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]+$", example = "sale-0001")]
    external_id: String,
    /// The card the member shows: a mobile number alone does not pay with credit.
    #[schema(pattern = "^9800[0-9]{12}$", example = "9800123412341234")]
    card_number: String,
    /// Rials to pay with credit, as a decimal string.
    #[schema(value_type = String, example = "50000", required = true, pattern = "^0*[1-9][0-9]{0,14}(\\.[0-9]{1,2})?$")]
    // A missing amount is a bad amount, not a malformed body.
    #[serde(default)]
    amount: serde_json::Value,
}

/// Pay with the member's credit.
#[utoipa::path(post, path = "/api/v1/credit/redemptions", tag = "transactions", request_body = RedemptionBody,
    responses(
        (status = 201, description = "Paid", body = crate::platform::server::store::RedemptionReceipt),
        (status = 200, description = "A retry: the first answer, unchanged", body = crate::platform::server::store::RedemptionReceipt),
        (status = 401, description = "Missing, wrong or revoked key", body = crate::features::pos::server::openapi::ErrorBody),
        (status = 404, description = "No such member", body = crate::features::pos::server::openapi::ErrorBody),
        (status = 409, description = "The external id was used for another request, or the credit does not cover the amount (nothing is taken)", body = crate::features::pos::server::openapi::ErrorBody),
        (status = 422, description = "Bad input", body = crate::features::pos::server::openapi::ErrorBody),
    ))]
pub(crate) async fn redeem(State(state): State<AppState>, caller: Caller, bytes: Bytes) -> Result<Response, ApiError> {
    let parsed = || -> Result<RedemptionInput, ErrorCode> {
        let input: RedemptionBody = body(&bytes)?;
        Ok(RedemptionInput {
            external_id: external_id(&input.external_id)?,
            member: MemberKey::card(&input.card_number)?,
            amount: money(&input.amount)?,
        })
    };
    let input = parsed().map_err(|c| caller.fail(c))?;
    crate::features::pos::server::redeem_credit(&state, caller.till, &input).await.map(answered).map_err(|c| caller.fail(c))
}
