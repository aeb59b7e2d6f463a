//! The errors the admin's members, roles, branches and rules answer with, in Persian and English. The codes are variants
//! of the one wire type, `ErrorCode`; their texts live here, with the feature.

use crate::platform::error::ErrorCode;

/// `(fa, en)` for the codes this feature owns; `None` for every other code.
pub fn text(code: ErrorCode) -> Option<(&'static str, &'static str)> {
    Some(match code {
        ErrorCode::BadRole => ("نقش ناشناخته است.", "Unknown role."),
        ErrorCode::OwnAdminRole => (
            "نمی‌توانید نقش مدیر را از خودتان بگیرید.",
            "You cannot remove your own admin role.",
        ),
        ErrorCode::BadBranchName => ("نام شعبه باید ۱ تا ۶۰ نویسه باشد.", "A branch name has 1 to 60 characters."),
        ErrorCode::BranchExists => ("شعبه‌ای با این نام هست.", "A branch with this name already exists."),
        ErrorCode::ReasonRequired => (
            "برای هر اصلاح دستی، دلیل آن را بنویسید.",
            "Every manual adjustment needs a written reason.",
        ),
        ErrorCode::BadPolicy => (
            "قواعد امتیازدهی معتبر نیست و ذخیره نشد؛ جزئیات را در زیر ببینید.",
            "The earning rules are not valid and were not saved; see the details below.",
        ),
        _ => return None,
    })
}
