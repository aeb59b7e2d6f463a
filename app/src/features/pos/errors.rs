//! The errors the till's services and the POS API answer with, in Persian and English. The codes are variants
//! of the one wire type, `ErrorCode`; their texts live here, with the feature.

use crate::platform::error::ErrorCode;

/// `(fa, en)` for the codes this feature owns; `None` for every other code.
pub fn text(code: ErrorCode) -> Option<(&'static str, &'static str)> {
    Some(match code {
        ErrorCode::WritesQueued => (
            "سرور اکنون بیش از توانش درخواست ثبت در صف دارد؛ چند لحظه بعد همین درخواست را با همان external_id دوباره بفرستید.",
            "The server has more writes queued than it can take right now; send the same request, with the same external_id, again in a moment.",
        ),
        ErrorCode::BadApiKey => (
            "کلید API شعبه نیامده، نادرست است یا باطل شده است (Authorization: Bearer …).",
            "The branch API key is missing, wrong or revoked (Authorization: Bearer …).",
        ),
        ErrorCode::BadPhone => ("شماره موبایل درستی وارد کنید (مثل ۰۹۱۲۱۲۳۴۵۶۷).", "Enter a valid mobile number (like 0912 123 4567)."),
        ErrorCode::BadMemberKey => (
            "شماره کارت ۱۶ رقمی یا شماره موبایل عضو را درست وارد کنید.",
            "Enter the member's 16-digit card number or mobile number.",
        ),
        ErrorCode::BadAmount => (
            "مبلغ باید عددی مثبت به ریال با حداکثر دو رقم اعشار و به صورت رشته باشد (مثل \"120000\").",
            "The amount must be a positive number of rials with at most two decimals, sent as a string (like \"120000\").",
        ),
        ErrorCode::BadExternalId => (
            "شناسه external_id باید ۱ تا ۶۴ نویسه و بدون نویسه کنترلی باشد.",
            "external_id must have 1 to 64 characters and no control characters.",
        ),
        ErrorCode::BadOccurredAt => (
            "زمان occurred_at باید به قالب RFC 3339 باشد (مثل 2026-12-03T10:15:00+03:30).",
            "occurred_at must be an RFC 3339 time (like 2026-12-03T10:15:00+03:30).",
        ),
        ErrorCode::OccurredAtInFuture => (
            "زمان occurred_at بیش از پنج دقیقه از ساعت سرور جلوتر است؛ ساعت صندوق را تنظیم کنید.",
            "occurred_at is more than five minutes ahead of the server's clock; check the till's clock.",
        ),
        ErrorCode::OccurredAtTooOld => (
            "زمان occurred_at بیش از بازهٔ مجاز (پیش‌فرض ۷۲ ساعت) گذشته است؛ خرید قدیمی‌تر را مدیر با اصلاح دستی ثبت می‌کند.",
            "occurred_at lies further back than the allowed window (72 hours by default); an older sale is recorded by an admin as a manual adjustment.",
        ),
        ErrorCode::CardRequired => (
            "پرداخت با اعتبار فقط با شماره کارت عضو انجام می‌شود، نه با شماره موبایل.",
            "Paying with credit needs the member's card number; a mobile number alone is not enough.",
        ),
        ErrorCode::MistypedCard => (
            "کارتی با این شماره نیست: رقم کنترل آن نمی‌خواند؛ شماره را دوباره بخوانید یا کارت را اسکن کنید.",
            "No card has this number: its check digit does not match. Read the number again or scan the card.",
        ),
        ErrorCode::UnknownMember => (
            "عضوی با این شماره کارت یا موبایل پیدا نشد.",
            "No member has this card number or mobile number.",
        ),
        ErrorCode::UnknownPurchase => (
            "خریدی با این شناسه در این شعبه ثبت نشده است.",
            "No purchase with this external id was recorded at this branch.",
        ),
        ErrorCode::IdempotencyConflict => (
            "این external_id پیش‌تر برای درخواست دیگری به کار رفته است؛ چیزی تغییر نکرد.",
            "This external_id was already used for a different request; nothing was changed.",
        ),
        ErrorCode::InsufficientCredit => (
            "اعتبار عضو برای این مبلغ کافی نیست؛ چیزی کسر نشد.",
            "The member's credit does not cover this amount; nothing was deducted.",
        ),
        ErrorCode::ReturnExceedsPurchase => (
            "مبلغ مرجوعی از باقی‌مانده این خرید بیشتر است؛ چیزی تغییر نکرد.",
            "The return is more than what is left of this purchase; nothing was changed.",
        ),
        _ => return None,
    })
}
