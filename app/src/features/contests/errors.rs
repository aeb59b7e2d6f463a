//! The errors contests answer with, in Persian and English.

use crate::platform::error::ErrorCode;

/// `(fa, en)` for the codes this feature owns; `None` for every other code.
pub fn text(code: ErrorCode) -> Option<(&'static str, &'static str)> {
    Some(match code {
        ErrorCode::ContestEnded => ("این مسابقه تمام شده است؛ دیگر نمی‌توان به آن پیوست.", "This contest is over; it can no longer be joined."),
        ErrorCode::ContestJoined => ("شما پیش‌تر به این مسابقه پیوسته‌اید؛ چیزی کسر نشد.", "You have already joined this contest; nothing was charged."),
        ErrorCode::BadContest => (
            "تنظیمات مسابقه معتبر نیست و ذخیره نشد؛ جزئیات را در زیر ببینید.",
            "The contest settings are not valid and were not saved; see the details below.",
        ),
        ErrorCode::BadJoinKey => ("کلید پیوستن ناقص است؛ صفحه را تازه کنید و دوباره بپیوندید.", "The join key is missing; reload the page and join again."),
        ErrorCode::ContestNotFinished => (
            "این مسابقه هنوز تمام نشده است؛ بستهٔ بازرسی پس از ثبت رتبه‌های نهایی آماده می‌شود.",
            "This contest has not finished yet; its audit bundle is ready once the final ranks are logged.",
        ),
        _ => return None,
    })
}
