//! The errors raffles answer with, in Persian and English. The codes are variants of the one
//! wire type, `ErrorCode`; their texts live here, with the feature.

use crate::platform::error::ErrorCode;

/// `(fa, en)` for the codes this feature owns; `None` for every other code.
pub fn text(code: ErrorCode) -> Option<(&'static str, &'static str)> {
    Some(match code {
        ErrorCode::RaffleNotOpen => ("فروش بلیت این قرعه‌کشی هنوز شروع نشده است.", "Ticket sales for this raffle have not started yet."),
        ErrorCode::RaffleClosed => (
            "فروش بلیت این قرعه‌کشی تمام شده است؛ نتیجه پس از قرعه‌کشی منتشر می‌شود.",
            "Ticket sales for this raffle are over; the result is published after the draw.",
        ),
        ErrorCode::RaffleLimit => (
            "بیش از سقف بلیت هر عضو است؛ چیزی کسر نشد. تعداد کمتری بخرید.",
            "That is more than the per-member ticket limit; nothing was charged. Buy fewer.",
        ),
        ErrorCode::RaffleTier => ("این قرعه‌کشی برای سطح عضویت شما نیست.", "This raffle is not open to your membership tier."),
        ErrorCode::BadTicketCount => ("تعداد بلیت باید عددی از ۱ به بالا باشد.", "The number of tickets must be a whole number from 1 up."),
        ErrorCode::BadBuyKey => ("کلید خرید ناقص است؛ صفحه را تازه کنید و دوباره بخرید.", "The purchase key is missing; reload the page and buy again."),
        ErrorCode::BadRaffle => (
            "تنظیمات قرعه‌کشی معتبر نیست و ذخیره نشد؛ جزئیات را در زیر ببینید.",
            "The raffle settings are not valid and were not saved; see the details below.",
        ),
        ErrorCode::DrawNotFinished => (
            "این قرعه‌کشی هنوز انجام نشده است؛ بستهٔ بازرسی پس از اعلام برندگان آماده می‌شود.",
            "This raffle has not been drawn yet; its audit bundle is ready once the winners are announced.",
        ),
        ErrorCode::RaffleByContest => (
            "بلیت این قرعه فروشی نیست: به هر واجد شرایط مسابقهٔ آن یک بلیت داده می‌شود.",
            "Tickets of this draw are not sold: each qualifier of its contest is given one.",
        ),
        _ => return None,
    })
}
