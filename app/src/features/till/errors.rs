//! The errors the web till answer with, in Persian and English. The codes are variants
//! of the one wire type, `ErrorCode`; their texts live here, with the feature.

use crate::platform::error::ErrorCode;

/// `(fa, en)` for the codes this feature owns; `None` for every other code.
pub fn text(code: ErrorCode) -> Option<(&'static str, &'static str)> {
    Some(match code {
        ErrorCode::NotYourBranch => (
            "این شعبه از شعبه‌های شما نیست؛ مدیر شعبه‌های صندوقدار را در صفحهٔ عضو تعیین می‌کند.",
            "This branch is not one of yours; an admin assigns a cashier's branches on the member page.",
        ),
        _ => return None,
    })
}
