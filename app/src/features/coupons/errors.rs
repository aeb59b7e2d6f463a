//! The errors the coupon marketplace answers with, in Persian and English.

use crate::platform::error::ErrorCode;

/// `(fa, en)` for the codes this feature owns; `None` for every other code.
pub fn text(code: ErrorCode) -> Option<(&'static str, &'static str)> {
    Some(match code {
        ErrorCode::BadPartner => ("نام برند در هر دو زبان لازم است (۱ تا ۴۰ نویسه).", "A brand needs a name in both languages (1 to 40 characters)."),
        ErrorCode::NotAPartner => ("این حساب برای هیچ برند همکاری کار نمی‌کند.", "This account does not act for any partner brand."),
        ErrorCode::BadListing => (
            "تنظیمات کوپن معتبر نیست و ذخیره نشد؛ جزئیات را در زیر ببینید.",
            "The coupon settings are not valid and were not saved; see the details below.",
        ),
        ErrorCode::BadCodes => (
            "کدها بارگذاری نشد؛ ردیف‌های نادرست در زیر آمده است. آن‌ها را درست کنید و دوباره بفرستید.",
            "The codes were not loaded; the rows at fault are listed below. Fix them and send the file again.",
        ),
        ErrorCode::CouponSoldOut => ("این کوپن تمام شده است؛ چیزی کسر نشد.", "This coupon is sold out; nothing was charged."),
        ErrorCode::CouponLimit => ("شما به سقف خرید این کوپن رسیده‌اید؛ چیزی کسر نشد.", "You hold as many of this coupon as one member may; nothing was charged."),
        ErrorCode::CouponNotOnSale => ("فروش این کوپن هنوز شروع نشده است.", "This coupon is not on sale yet."),
        ErrorCode::CouponSaleEnded => ("فروش این کوپن تمام شده است.", "Sales of this coupon have ended."),
        ErrorCode::CouponTier => ("این کوپن برای سطح عضویت شما نیست.", "This coupon is not offered to your membership tier."),
        ErrorCode::UnknownCoupon => ("چنین کدی برای این برند فروخته نشده است. کد را دوباره بخوانید.", "No such code has been sold for this brand. Read the code again."),
        ErrorCode::CouponUsed => ("این کد پیش‌تر استفاده شده است.", "This code has already been used."),
        ErrorCode::CouponExpired => ("اعتبار این کد تمام شده است.", "This code has expired."),
        ErrorCode::BadPartnerKey => ("کلید API برند نادرست یا باطل‌شده است.", "The brand's API key is wrong or revoked."),
        _ => return None,
    })
}
