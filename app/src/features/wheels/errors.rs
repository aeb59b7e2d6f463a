//! The errors spin wheels and their beacon answer with, in Persian and English. The codes are variants
//! of the one wire type, `ErrorCode`; their texts live here, with the feature.

use crate::platform::error::ErrorCode;

/// `(fa, en)` for the codes this feature owns; `None` for every other code.
pub fn text(code: ErrorCode) -> Option<(&'static str, &'static str)> {
    Some(match code {
        ErrorCode::WheelNotLive => ("این گردونه اکنون فعال نیست.", "This wheel is not open for spins right now."),
        ErrorCode::BadWheel => ("تنظیمات گردونه معتبر نیست و ذخیره نشد؛ جزئیات را در زیر ببینید.", "The wheel settings are not valid and were not saved; see the details below."),
        ErrorCode::BadClientSeed => ("بذر کاربر باید ۱ تا ۶۴ نویسه (بایت) و بدون نویسه کنترلی باشد.", "A client seed has 1 to 64 characters (bytes) and no control characters."),
        ErrorCode::BadSpinKey => ("کلید چرخش ناقص است؛ صفحه را تازه کنید و دوباره بچرخانید.", "The spin key is missing; reload the page and spin again."),
        ErrorCode::BeaconOff => ("این استقرار بدون بیکن عمومی (drand) کار می‌کند؛ گردونهٔ بیکن‌دار اینجا نمی‌چرخد.", "This deployment runs without a public beacon (drand); a beacon wheel cannot spin here."),
        ErrorCode::BeaconUnavailable => ("دور بیکن drand با امضای معتبر به دست نیامد؛ چیزی کسر نشد. کمی بعد دوباره بچرخانید.", "No drand beacon round with a valid signature could be fetched; nothing was charged. Please spin again shortly."),
        _ => return None,
    })
}
