//! The one error type that crosses the wire, with a message a person understands in both
//! languages.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::platform::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    NotSignedIn,
    Forbidden,
    NotFound,
    BadIdentifier,
    BadPassword,
    WrongCredentials,
    TooManyAttempts,
    AlreadyRegistered,
    BadName,
    BadCity,
    BadBirthday,
    BadGender,
    BadRole,
    OwnAdminRole,
    CrossSite,
    BadRequest,
    BadApiKey,
    BadPhone,
    BadMemberKey,
    BadAmount,
    BadExternalId,
    BadOccurredAt,
    OccurredAtTooOld,
    OccurredAtInFuture,
    NotYourBranch,
    MethodNotAllowed,
    WrongClaimCode,
    CardRequired,
    BadBranchName,
    BranchExists,
    UnknownMember,
    MistypedCard,
    UnknownPurchase,
    IdempotencyConflict,
    InsufficientCredit,
    ReturnExceedsPurchase,
    BadPolicy,
    InsufficientPoints,
    ReasonRequired,
    UnknownLogRecord,
    BadTreeSize,
    WheelNotLive,
    BadWheel,
    BadClientSeed,
    BadSpinKey,
    BeaconOff,
    BeaconUnavailable,
    NotRevealed,
    RaffleNotOpen,
    RaffleClosed,
    RaffleLimit,
    RaffleTier,
    BadTicketCount,
    BadBuyKey,
    BadRaffle,
    DrawNotFinished,
    BadCosignature,
    UnknownWitness,
    ContestEnded,
    ContestJoined,
    BadContest,
    BadJoinKey,
    RaffleByContest,
    ContestNotFinished,
    BadPartner,
    NotAPartner,
    BadListing,
    BadCodes,
    CouponSoldOut,
    CouponLimit,
    CouponNotOnSale,
    CouponSaleEnded,
    CouponTier,
    UnknownCoupon,
    CouponUsed,
    CouponExpired,
    BadPartnerKey,
    WritesQueued,
    Internal,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 79] = [
        Self::NotSignedIn,
        Self::Forbidden,
        Self::NotFound,
        Self::BadIdentifier,
        Self::BadPassword,
        Self::WrongCredentials,
        Self::TooManyAttempts,
        Self::AlreadyRegistered,
        Self::BadName,
        Self::BadCity,
        Self::BadBirthday,
        Self::BadGender,
        Self::BadRole,
        Self::OwnAdminRole,
        Self::CrossSite,
        Self::BadRequest,
        Self::BadApiKey,
        Self::BadPhone,
        Self::BadMemberKey,
        Self::BadAmount,
        Self::BadExternalId,
        Self::BadOccurredAt,
        Self::OccurredAtTooOld,
        Self::OccurredAtInFuture,
        Self::NotYourBranch,
        Self::MethodNotAllowed,
        Self::WrongClaimCode,
        Self::CardRequired,
        Self::BadBranchName,
        Self::BranchExists,
        Self::UnknownMember,
        Self::MistypedCard,
        Self::UnknownPurchase,
        Self::IdempotencyConflict,
        Self::InsufficientCredit,
        Self::ReturnExceedsPurchase,
        Self::BadPolicy,
        Self::InsufficientPoints,
        Self::ReasonRequired,
        Self::UnknownLogRecord,
        Self::BadTreeSize,
        Self::WheelNotLive,
        Self::BadWheel,
        Self::BadClientSeed,
        Self::BadSpinKey,
        Self::BeaconOff,
        Self::BeaconUnavailable,
        Self::NotRevealed,
        Self::RaffleNotOpen,
        Self::RaffleClosed,
        Self::RaffleLimit,
        Self::RaffleTier,
        Self::BadTicketCount,
        Self::BadBuyKey,
        Self::BadRaffle,
        Self::DrawNotFinished,
        Self::BadCosignature,
        Self::UnknownWitness,
        Self::ContestEnded,
        Self::ContestJoined,
        Self::BadContest,
        Self::BadJoinKey,
        Self::RaffleByContest,
        Self::ContestNotFinished,
        Self::BadPartner,
        Self::NotAPartner,
        Self::BadListing,
        Self::BadCodes,
        Self::CouponSoldOut,
        Self::CouponLimit,
        Self::CouponNotOnSale,
        Self::CouponSaleEnded,
        Self::CouponTier,
        Self::UnknownCoupon,
        Self::CouponUsed,
        Self::CouponExpired,
        Self::BadPartnerKey,
        Self::WritesQueued,
        Self::Internal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotSignedIn => "not_signed_in",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::BadIdentifier => "bad_identifier",
            Self::BadPassword => "bad_password",
            Self::WrongCredentials => "wrong_credentials",
            Self::TooManyAttempts => "too_many_attempts",
            Self::AlreadyRegistered => "already_registered",
            Self::BadName => "bad_name",
            Self::BadCity => "bad_city",
            Self::BadBirthday => "bad_birthday",
            Self::BadGender => "bad_gender",
            Self::BadRole => "bad_role",
            Self::OwnAdminRole => "own_admin_role",
            Self::CrossSite => "cross_site",
            Self::BadRequest => "bad_request",
            Self::BadApiKey => "bad_api_key",
            Self::BadPhone => "bad_phone",
            Self::BadMemberKey => "bad_member_key",
            Self::BadAmount => "bad_amount",
            Self::BadExternalId => "bad_external_id",
            Self::BadOccurredAt => "bad_occurred_at",
            Self::OccurredAtTooOld => "occurred_at_too_old",
            Self::OccurredAtInFuture => "occurred_at_in_future",
            Self::NotYourBranch => "not_your_branch",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::WrongClaimCode => "wrong_claim_code",
            Self::CardRequired => "card_required",
            Self::BadBranchName => "bad_branch_name",
            Self::BranchExists => "branch_exists",
            Self::UnknownMember => "unknown_member",
            Self::MistypedCard => "mistyped_card",
            Self::UnknownPurchase => "unknown_purchase",
            Self::IdempotencyConflict => "idempotency_conflict",
            Self::InsufficientCredit => "insufficient_credit",
            Self::ReturnExceedsPurchase => "return_exceeds_purchase",
            Self::BadPolicy => "bad_policy",
            Self::InsufficientPoints => "insufficient_points",
            Self::ReasonRequired => "reason_required",
            Self::UnknownLogRecord => "unknown_log_record",
            Self::BadTreeSize => "bad_tree_size",
            Self::WheelNotLive => "wheel_not_live",
            Self::BadWheel => "bad_wheel",
            Self::BadClientSeed => "bad_client_seed",
            Self::BadSpinKey => "bad_spin_key",
            Self::BeaconOff => "beacon_off",
            Self::BeaconUnavailable => "beacon_unavailable",
            Self::NotRevealed => "not_revealed",
            Self::RaffleNotOpen => "raffle_not_open",
            Self::RaffleClosed => "raffle_closed",
            Self::RaffleLimit => "raffle_limit",
            Self::RaffleTier => "raffle_tier",
            Self::BadTicketCount => "bad_ticket_count",
            Self::BadBuyKey => "bad_buy_key",
            Self::BadRaffle => "bad_raffle",
            Self::DrawNotFinished => "draw_not_finished",
            Self::BadCosignature => "bad_cosignature",
            Self::UnknownWitness => "unknown_witness",
            Self::ContestEnded => "contest_ended",
            Self::ContestJoined => "contest_joined",
            Self::BadContest => "bad_contest",
            Self::BadJoinKey => "bad_join_key",
            Self::RaffleByContest => "raffle_by_contest",
            Self::ContestNotFinished => "contest_not_finished",
            Self::BadPartner => "bad_partner",
            Self::NotAPartner => "not_a_partner",
            Self::BadListing => "bad_listing",
            Self::BadCodes => "bad_codes",
            Self::CouponSoldOut => "coupon_sold_out",
            Self::CouponLimit => "coupon_limit",
            Self::CouponNotOnSale => "coupon_not_on_sale",
            Self::CouponSaleEnded => "coupon_sale_ended",
            Self::CouponTier => "coupon_tier",
            Self::UnknownCoupon => "unknown_coupon",
            Self::CouponUsed => "coupon_used",
            Self::CouponExpired => "coupon_expired",
            Self::BadPartnerKey => "bad_partner_key",
            Self::WritesQueued => "writes_queued",
            Self::Internal => "internal",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == code)
    }

    /// The HTTP status that carries this error.
    pub fn status(self) -> u16 {
        match self {
            Self::NotSignedIn | Self::BadApiKey => 401,
            Self::Forbidden | Self::CrossSite | Self::UnknownWitness => 403,
            Self::NotFound | Self::UnknownMember | Self::MistypedCard | Self::UnknownPurchase | Self::UnknownLogRecord => 404,
            Self::NotRevealed | Self::DrawNotFinished | Self::ContestEnded | Self::ContestJoined | Self::ContestNotFinished => 409,
            Self::CouponSoldOut | Self::CouponLimit | Self::CouponNotOnSale | Self::CouponSaleEnded | Self::CouponUsed | Self::CouponExpired => 409,
            Self::UnknownCoupon => 404,
            // The role lets the account in; which brand it works for is state an admin sets.
            Self::NotAPartner => 409,
            Self::BadPartnerKey => 401,
            Self::BeaconUnavailable | Self::BeaconOff | Self::WritesQueued => 503,
            Self::AlreadyRegistered | Self::BranchExists | Self::IdempotencyConflict => 409,
            // Well-formed requests that the current state refuses: a balance, what is left of a
            // purchase, the server's clock. The same request may succeed at another time.
            Self::InsufficientCredit
            | Self::InsufficientPoints
            | Self::ReturnExceedsPurchase
            | Self::OccurredAtTooOld
            | Self::OccurredAtInFuture => 409,
            Self::TooManyAttempts => 429,
            Self::MethodNotAllowed => 405,
            Self::Internal => 500,
            _ => 422,
        }
    }

    /// `(fa, en)`, from the feature that owns the code (the platform's own codes here).
    fn text(self) -> (&'static str, &'static str) {
        owners().find_map(|texts| texts(self)).unwrap_or(("خطایی رخ داد.", "Something went wrong."))
    }

    pub fn message(self, lang: Lang) -> &'static str {
        let (fa, en) = self.text();
        match lang {
            Lang::Fa => fa,
            Lang::En => en,
        }
    }
}

/// Who owns which codes: the platform, then each registered feature.
fn owners() -> impl Iterator<Item = crate::platform::feature::ErrorTexts> {
    std::iter::once(platform_text as crate::platform::feature::ErrorTexts)
        .chain(crate::features::ALL.iter().map(|feature| feature.error_texts))
}

/// The codes every feature shares (the ledger's included).
fn platform_text(code: ErrorCode) -> Option<(&'static str, &'static str)> {
    Some(match code {
        ErrorCode::InsufficientPoints => (
            "امتیاز عضو برای این کار کافی نیست؛ چیزی تغییر نکرد.",
            "The member does not have enough points for this; nothing was changed.",
        ),
        ErrorCode::NotSignedIn => ("لطفاً نخست وارد شوید.", "Please log in first."),
        ErrorCode::Forbidden => ("دسترسی به این بخش را ندارید.", "You do not have access to this page."),
        ErrorCode::NotFound => ("پیدا نشد.", "Not found."),
        ErrorCode::CrossSite => (
            "این درخواست از سایت دیگری آمده و پذیرفته نشد.",
            "This request came from another site and was refused.",
        ),
        ErrorCode::BadRequest => ("درخواست ناقص یا نادرست است.", "The request is incomplete or malformed."),
        ErrorCode::MethodNotAllowed => ("این نشانی این روش درخواست را نمی‌پذیرد.", "This address does not take this request method."),
        ErrorCode::Internal => (
            "خطایی در سرور رخ داد؛ چیزی تغییر نکرد. دوباره امتحان کنید.",
            "Something went wrong on the server; nothing was changed. Please try again.",
        ),
        _ => return None,
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{}", code.message(Lang::En))]
pub struct AppError {
    pub code: ErrorCode,
    /// The same message, in the language of the request.
    pub message: String,
}

impl AppError {
    pub fn new(code: ErrorCode, lang: Lang) -> Self {
        Self { code, message: code.message(lang).to_owned() }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(_: ServerFnErrorErr) -> Self {
        // Transport and argument errors carry framework details a person cannot act on.
        Self::new(ErrorCode::BadRequest, Lang::En)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips_and_has_both_messages() {
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::parse(code.as_str()), Some(code));
            assert_ne!(code.message(Lang::Fa), code.message(Lang::En));
        }
    }

    #[test]
    fn every_code_has_exactly_one_owner() {
        for code in ErrorCode::ALL {
            let owners = owners().filter(|texts| texts(code).is_some()).count();
            assert_eq!(owners, 1, "{code:?}");
        }
    }
}
