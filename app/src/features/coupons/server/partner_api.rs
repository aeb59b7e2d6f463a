//! The partner REST API: `POST /api/v1/partner/redemptions {code, external_id}` with a partner
//! brand's key (`Authorization: Bearer pk_…`). A code is marked used once; a second
//! redemption is refused with when and where it was used; every error is `{code, message}` in
//! the request's language, and a retry of the same `external_id` gets the first answer.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use engine::access::Area;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::features::coupons::server::service::{self as coupons, NotRedeemed};
use crate::features::coupons::server::store::PartnerKey;
use crate::platform::error::ErrorCode;
use crate::platform::i18n::Lang;
use crate::platform::server::clock;
use crate::platform::server::guard::request_lang;
use crate::platform::server::routes::Routes;
use crate::platform::server::state::AppState;

pub(crate) fn routes() -> Routes {
    Routes::new().post("/api/v1/partner/redemptions", Area::PartnerApi, redeem)
}

/// An error answer: the code, the message in the caller's language and, for a used or expired
/// code, when (and where) that happened.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RedemptionError {
    code: String,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    used_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    used_at_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    place: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expired_at_ms: Option<i64>,
}

fn error_response(refusal: &NotRedeemed, lang: Lang) -> Response {
    let code = refusal.code();
    let status = StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut body = RedemptionError { code: code.as_str().to_owned(), message: code.message(lang).to_owned(), used_at: None, used_at_ms: None, place: None, expired_at_ms: None };
    match refusal {
        NotRedeemed::Used { at, place } => {
            let when = crate::platform::ui::widgets::moment_text(lang, at.unix_millis());
            body.message = match lang {
                Lang::Fa => format!("{} زمان: {when}، محل: {place}.", body.message),
                Lang::En => format!("{} When: {when}; where: {place}.", body.message),
            };
            (body.used_at, body.used_at_ms, body.place) = (Some(when), Some(at.unix_millis()), Some(place.clone()));
        }
        NotRedeemed::Expired { at } => body.expired_at_ms = Some(at.unix_millis()),
        NotRedeemed::Error(_) => {}
    }
    let mut response = (status, Json(body)).into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

/// The key a request carries, and the language to answer in.
pub(crate) struct PartnerCaller {
    key: PartnerKey,
    lang: Lang,
}

pub(crate) struct Refused(Response);

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        self.0
    }
}

impl FromRequestParts<AppState> for PartnerCaller {
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let lang = parts.extensions.get::<Lang>().copied().unwrap_or_else(|| request_lang(&parts.headers));
        let authorization = parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
        let key = coupons::authenticate(state, authorization).await.map_err(|code| Refused(error_response(&NotRedeemed::Error(code), lang)))?;
        Ok(Self { key, lang })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct RedemptionBody {
    /// The coupon code the member shows (any case).
    #[schema(min_length = 4, max_length = 40, example = "CAFE-7K2M-Q9XD")]
    code: String,
    /// The partner's own id of this redemption: a retry with it gets the first answer.
    #[schema(min_length = 1, max_length = 64, example = "till-3-000184")]
    external_id: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RedemptionView {
    code: String,
    listing: i64,
    title_fa: String,
    title_en: String,
    used_at_ms: i64,
    place: String,
}

/// Redeem a coupon code, once.
#[utoipa::path(post, path = "/api/v1/partner/redemptions", tag = "partner", request_body = RedemptionBody,
    security(("partner_key" = [])),
    responses(
        (status = 200, description = "Redeemed now, or the first answer of this external_id", body = RedemptionView),
        (status = 401, description = "Missing, wrong or revoked partner key", body = RedemptionError),
        (status = 404, description = "No such code was sold for this brand", body = RedemptionError),
        (status = 409, description = "Already used (with when and where), expired, or the external_id was used for another code", body = RedemptionError),
        (status = 422, description = "Malformed body or external_id", body = RedemptionError),
    ))]
pub(crate) async fn redeem(State(state): State<AppState>, caller: PartnerCaller, bytes: Bytes) -> Response {
    let Ok(body) = serde_json::from_slice::<RedemptionBody>(&bytes) else {
        return error_response(&NotRedeemed::Error(ErrorCode::BadRequest), caller.lang);
    };
    match coupons::redeem_at(&state, caller.key.partner, &caller.key.label, &body.code, &body.external_id, clock::now()).await {
        Ok(r) => (
            StatusCode::OK,
            Json(RedemptionView { code: r.code, listing: r.listing, title_fa: r.title_fa, title_en: r.title_en, used_at_ms: r.used_at_ms, place: r.place }),
        )
            .into_response(),
        Err(refusal) => error_response(&refusal, caller.lang),
    }
}
