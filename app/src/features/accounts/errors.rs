//! The errors joining, signing in, profiles and claims answer with, in Persian and English. The codes are variants
//! of the one wire type, `ErrorCode`; their texts live here, with the feature.

use crate::platform::error::ErrorCode;

/// `(fa, en)` for the codes this feature owns; `None` for every other code.
pub fn text(code: ErrorCode) -> Option<(&'static str, &'static str)> {
    Some(match code {
        ErrorCode::BadIdentifier => (
            "شماره موبایل (مثل ۰۹۱۲۱۲۳۴۵۶۷) یا ایمیل درستی وارد کنید.",
            "Enter a mobile number (like 0912 123 4567) or a valid email address.",
        ),
        ErrorCode::BadPassword => ("گذرواژه باید ۸ تا ۱۲۸ نویسه باشد.", "The password must have 8 to 128 characters."),
        ErrorCode::WrongCredentials => (
            "شماره/ایمیل یا گذرواژه درست نیست.",
            "The mobile number/email or the password is wrong.",
        ),
        ErrorCode::TooManyAttempts => (
            "تلاش‌های زیادی انجام شد؛ کمی بعد دوباره امتحان کنید.",
            "Too many attempts; please wait a little and try again.",
        ),
        ErrorCode::AlreadyRegistered => (
            "این شماره یا ایمیل پیش‌تر عضو شده است؛ وارد شوید.",
            "This mobile number or email is already a member; please log in.",
        ),
        ErrorCode::BadName => ("نام باید ۱ تا ۶۰ حرف باشد.", "A name has 1 to 60 characters."),
        ErrorCode::BadCity => ("نام شهر باید ۱ تا ۴۰ حرف باشد.", "A city has 1 to 40 characters."),
        ErrorCode::BadBirthday => (
            "تاریخ تولد درست نیست (مثل ۱۳۷۰/۰۵/۰۹، نه در آینده).",
            "The birthday is not a valid date (YYYY-MM-DD, not in the future).",
        ),
        ErrorCode::BadGender => ("گزینه جنسیت درست نیست.", "Unknown gender option."),
        ErrorCode::WrongClaimCode => (
            "کد درست نبود یا درخواستی باز نیست؛ درخواست بسته شد و عضو باید دوباره در وب ثبت‌نام کند.",
            "The code was wrong or no claim is open; the claim is closed and the member signs up on the web again.",
        ),
        _ => return None,
    })
}
