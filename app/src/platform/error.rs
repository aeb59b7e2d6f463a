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
    NotYourBranch,
    MethodNotAllowed,
    WrongClaimCode,
    CardRequired,
    BadBranchName,
    BranchExists,
    UnknownMember,
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
    Internal,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 47] = [
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
        Self::NotYourBranch,
        Self::MethodNotAllowed,
        Self::WrongClaimCode,
        Self::CardRequired,
        Self::BadBranchName,
        Self::BranchExists,
        Self::UnknownMember,
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
            Self::NotYourBranch => "not_your_branch",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::WrongClaimCode => "wrong_claim_code",
            Self::CardRequired => "card_required",
            Self::BadBranchName => "bad_branch_name",
            Self::BranchExists => "branch_exists",
            Self::UnknownMember => "unknown_member",
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
            Self::Forbidden | Self::CrossSite => 403,
            Self::NotFound | Self::UnknownMember | Self::UnknownPurchase | Self::UnknownLogRecord => 404,
            Self::NotRevealed => 409,
            Self::BeaconUnavailable | Self::BeaconOff => 503,
            Self::AlreadyRegistered | Self::BranchExists | Self::IdempotencyConflict => 409,
            Self::TooManyAttempts => 429,
            Self::MethodNotAllowed => 405,
            Self::Internal => 500,
            _ => 422,
        }
    }

    pub fn message(self, lang: Lang) -> &'static str {
        let (fa, en) = match self {
            Self::NotSignedIn => ("لطفاً نخست وارد شوید.", "Please log in first."),
            Self::Forbidden => ("دسترسی به این بخش را ندارید.", "You do not have access to this page."),
            Self::NotFound => ("پیدا نشد.", "Not found."),
            Self::BadIdentifier => (
                "شماره موبایل (مثل ۰۹۱۲۱۲۳۴۵۶۷) یا ایمیل درستی وارد کنید.",
                "Enter a mobile number (like 0912 123 4567) or a valid email address.",
            ),
            Self::BadPassword => ("گذرواژه باید ۸ تا ۱۲۸ نویسه باشد.", "The password must have 8 to 128 characters."),
            Self::WrongCredentials => (
                "شماره/ایمیل یا گذرواژه درست نیست.",
                "The mobile number/email or the password is wrong.",
            ),
            Self::TooManyAttempts => (
                "تلاش‌های زیادی انجام شد؛ کمی بعد دوباره امتحان کنید.",
                "Too many attempts; please wait a little and try again.",
            ),
            Self::AlreadyRegistered => (
                "این شماره یا ایمیل پیش‌تر عضو شده است؛ وارد شوید.",
                "This mobile number or email is already a member; please log in.",
            ),
            Self::BadName => ("نام باید ۱ تا ۶۰ حرف باشد.", "A name has 1 to 60 characters."),
            Self::BadCity => ("نام شهر باید ۱ تا ۴۰ حرف باشد.", "A city has 1 to 40 characters."),
            Self::BadBirthday => (
                "تاریخ تولد درست نیست (مثل ۱۳۷۰/۰۵/۰۹، نه در آینده).",
                "The birthday is not a valid date (YYYY-MM-DD, not in the future).",
            ),
            Self::BadGender => ("گزینه جنسیت درست نیست.", "Unknown gender option."),
            Self::BadRole => ("نقش ناشناخته است.", "Unknown role."),
            Self::OwnAdminRole => (
                "نمی‌توانید نقش مدیر را از خودتان بگیرید.",
                "You cannot remove your own admin role.",
            ),
            Self::CrossSite => (
                "این درخواست از سایت دیگری آمده و پذیرفته نشد.",
                "This request came from another site and was refused.",
            ),
            Self::BadRequest => ("درخواست ناقص یا نادرست است.", "The request is incomplete or malformed."),
            Self::BadApiKey => (
                "کلید API شعبه نیامده، نادرست است یا باطل شده است (Authorization: Bearer …).",
                "The branch API key is missing, wrong or revoked (Authorization: Bearer …).",
            ),
            Self::BadPhone => ("شماره موبایل درستی وارد کنید (مثل ۰۹۱۲۱۲۳۴۵۶۷).", "Enter a valid mobile number (like 0912 123 4567)."),
            Self::BadMemberKey => (
                "یکی از شماره کارت ۱۶ رقمی یا شماره موبایل عضو را درست وارد کنید، نه هر دو.",
                "Give either the member's 16-digit card number or mobile number, correctly typed, not both.",
            ),
            Self::BadAmount => (
                "مبلغ باید عددی مثبت به ریال با حداکثر دو رقم اعشار و به صورت رشته باشد (مثل \"120000\").",
                "The amount must be a positive number of rials with at most two decimals, sent as a string (like \"120000\").",
            ),
            Self::BadExternalId => (
                "شناسه external_id باید ۱ تا ۶۴ نویسه و بدون نویسه کنترلی باشد.",
                "external_id must have 1 to 64 characters and no control characters.",
            ),
            Self::BadOccurredAt => (
                "زمان occurred_at باید به قالب RFC 3339 (مثل 2026-12-03T10:15:00+03:30) و نه در آینده باشد.",
                "occurred_at must be an RFC 3339 time (like 2026-12-03T10:15:00+03:30), not in the future.",
            ),
            Self::OccurredAtTooOld => (
                "زمان occurred_at بیش از بازهٔ مجاز (پیش‌فرض ۷۲ ساعت) گذشته است؛ خرید قدیمی‌تر را مدیر با اصلاح دستی ثبت می‌کند.",
                "occurred_at lies further back than the allowed window (72 hours by default); an older sale is recorded by an admin as a manual adjustment.",
            ),
            Self::WrongClaimCode => (
                "کد درست نبود یا درخواستی باز نیست؛ درخواست بسته شد و عضو باید دوباره در وب ثبت‌نام کند.",
                "The code was wrong or no claim is open; the claim is closed and the member signs up on the web again.",
            ),
            Self::MethodNotAllowed => ("این نشانی این روش درخواست را نمی‌پذیرد.", "This address does not take this request method."),
            Self::NotYourBranch => (
                "این شعبه از شعبه‌های شما نیست؛ مدیر شعبه‌های صندوقدار را در صفحهٔ عضو تعیین می‌کند.",
                "This branch is not one of yours; an admin assigns a cashier's branches on the member page.",
            ),
            Self::CardRequired => (
                "پرداخت با اعتبار فقط با شماره کارت عضو انجام می‌شود، نه با شماره موبایل.",
                "Paying with credit needs the member's card number; a mobile number alone is not enough.",
            ),
            Self::BadBranchName => ("نام شعبه باید ۱ تا ۶۰ نویسه باشد.", "A branch name has 1 to 60 characters."),
            Self::BranchExists => ("شعبه‌ای با این نام هست.", "A branch with this name already exists."),
            Self::UnknownMember => (
                "عضوی با این شماره کارت یا موبایل پیدا نشد.",
                "No member has this card number or mobile number.",
            ),
            Self::UnknownPurchase => (
                "خریدی با این شناسه در این شعبه ثبت نشده است.",
                "No purchase with this external id was recorded at this branch.",
            ),
            Self::IdempotencyConflict => (
                "این external_id پیش‌تر برای درخواست دیگری به کار رفته است؛ چیزی تغییر نکرد.",
                "This external_id was already used for a different request; nothing was changed.",
            ),
            Self::InsufficientCredit => (
                "اعتبار عضو برای این مبلغ کافی نیست؛ چیزی کسر نشد.",
                "The member's credit does not cover this amount; nothing was deducted.",
            ),
            Self::ReturnExceedsPurchase => (
                "مبلغ مرجوعی از باقی‌مانده این خرید بیشتر است؛ چیزی تغییر نکرد.",
                "The return is more than what is left of this purchase; nothing was changed.",
            ),
            Self::InsufficientPoints => (
                "امتیاز عضو برای این کار کافی نیست؛ چیزی تغییر نکرد.",
                "The member does not have enough points for this; nothing was changed.",
            ),
            Self::ReasonRequired => (
                "برای هر اصلاح دستی، دلیل آن را بنویسید.",
                "Every manual adjustment needs a written reason.",
            ),
            Self::BadPolicy => (
                "قواعد امتیازدهی معتبر نیست و ذخیره نشد؛ جزئیات را در زیر ببینید.",
                "The earning rules are not valid and were not saved; see the details below.",
            ),
            Self::UnknownLogRecord => (
                "دفتر عمومی رکوردی با این شماره ندارد.",
                "The public log has no record with this index.",
            ),
            Self::BadTreeSize => (
                "اندازه درخت باید از ۱ تا اندازه کنونی دفتر باشد، بزرگ‌تر از شماره رکورد، و اندازه قدیم از جدید بیشتر نباشد.",
                "A tree size must be from 1 to the log's current size and above the record's index, and the old size no larger than the new one.",
            ),
            Self::WheelNotLive => ("این گردونه اکنون فعال نیست.", "This wheel is not open for spins right now."),
            Self::BadWheel => ("تنظیمات گردونه معتبر نیست و ذخیره نشد؛ جزئیات را در زیر ببینید.", "The wheel settings are not valid and were not saved; see the details below."),
            Self::BadClientSeed => ("بذر کاربر باید ۱ تا ۶۴ نویسه (بایت) و بدون نویسه کنترلی باشد.", "A client seed has 1 to 64 characters (bytes) and no control characters."),
            Self::BadSpinKey => ("کلید چرخش ناقص است؛ صفحه را تازه کنید و دوباره بچرخانید.", "The spin key is missing; reload the page and spin again."),
            Self::BeaconOff => ("این استقرار بدون بیکن عمومی (drand) کار می‌کند؛ گردونهٔ بیکن‌دار اینجا نمی‌چرخد.", "This deployment runs without a public beacon (drand); a beacon wheel cannot spin here."),
            Self::BeaconUnavailable => ("دور بیکن drand با امضای معتبر به دست نیامد؛ چیزی کسر نشد. کمی بعد دوباره بچرخانید.", "No drand beacon round with a valid signature could be fetched; nothing was charged. Please spin again shortly."),
            Self::NotRevealed => ("بذر سرور این چرخش هنوز آشکار نشده است؛ عضو با چرخاندن جفت بذر آن را آشکار می‌کند.", "The server seed of this spin is not revealed yet; the member reveals it by rotating the seed pair."),
            Self::Internal => (
                "خطایی در سرور رخ داد؛ چیزی تغییر نکرد. دوباره امتحان کنید.",
                "Something went wrong on the server; nothing was changed. Please try again.",
            ),
        };
        match lang {
            Lang::Fa => fa,
            Lang::En => en,
        }
    }
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
}
