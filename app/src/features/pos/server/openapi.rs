//! The POS API's OpenAPI document, and Swagger UI to read it; both are built into the binary.

use axum::Router;
use serde::Serialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_swagger_ui::SwaggerUi;

use crate::platform::server::routes::Routes;
use crate::platform::server::state::AppState;
use engine::access::Area;
use crate::platform::server::store::{BalancesView, PurchaseReceipt, RedemptionReceipt, ReturnReceipt};
use crate::features::coupons::server::partner_api;
use crate::features::pos::server::api;
use crate::features::pos::server::{MemberStatus, MemberView};

/// Every error answer: a machine code and a message in the request's language
/// (`Accept-Language: fa` or `en`).
#[derive(Serialize, ToSchema)]
pub(crate) struct ErrorBody {
    #[schema(example = "insufficient_credit")]
    code: String,
    #[schema(example = "The member's credit does not cover this amount; nothing was deducted.")]
    message: String,
}

/// Declares the bearer key every operation needs.
struct BranchKeyAuth;

impl Modify for BranchKeyAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .bearer_format("bk_…")
            .description(Some("A branch API key. An admin makes one with `bashgah branch create --name NAME`."))
            .build();
        components.add_security_scheme("branch_key", SecurityScheme::Http(scheme));
        let partner = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .bearer_format("pk_…")
            .description(Some("A partner brand's API key. An admin makes one with `bashgah partner key --partner ID --label PLACE`."))
            .build();
        components.add_security_scheme("partner_key", SecurityScheme::Http(partner));
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "bashgah POS API",
        description = "Enrol members, look them up, record purchases and returns, and pay with credit. \
                       Points are integers, money amounts decimal strings in rials. Writes carry the \
                       till's `external_id`: the same id and body again answers 200 with the first \
                       answer; the same id with another body is refused with 409. A well-formed request that the \
                       current state refuses (not enough credit, more than is left of a purchase, an \
                       `occurred_at` outside the window) is a 409 too; 422 is for malformed input."
    ),
    paths(api::enrol, api::lookup, api::purchase, api::return_purchase, api::redeem, partner_api::redeem),
    components(schemas(ErrorBody, MemberView, MemberStatus, BalancesView, PurchaseReceipt, ReturnReceipt, RedemptionReceipt,
        partner_api::RedemptionBody, partner_api::RedemptionView, partner_api::RedemptionError)),
    modifiers(&BranchKeyAuth),
    security(("branch_key" = []))
)]
struct ApiDoc;

pub(crate) fn routes() -> Routes {
    let docs: Router<AppState> = SwaggerUi::new("/api/v1/docs").url("/api/v1/openapi.json", ApiDoc::openapi()).into();
    Routes::new().mount(docs, Area::Public, &["/api/v1/openapi.json", "/api/v1/docs", "/api/v1/docs/", "/api/v1/docs/{*file}"])
}
