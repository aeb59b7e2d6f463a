//! The errors the public log and its proofs answer with, in Persian and English. The codes are variants
//! of the one wire type, `ErrorCode`; their texts live here, with the feature.

use crate::platform::error::ErrorCode;

/// `(fa, en)` for the codes this feature owns; `None` for every other code.
pub fn text(code: ErrorCode) -> Option<(&'static str, &'static str)> {
    Some(match code {
        ErrorCode::UnknownLogRecord => (
            "دفتر عمومی رکوردی با این شماره ندارد.",
            "The public log has no record with this index.",
        ),
        ErrorCode::BadTreeSize => (
            "اندازه درخت باید از ۱ تا اندازه کنونی دفتر باشد، بزرگ‌تر از شماره رکورد، و اندازه قدیم از جدید بیشتر نباشد.",
            "A tree size must be from 1 to the log's current size and above the record's index, and the old size no larger than the new one.",
        ),
        ErrorCode::NotRevealed => ("بذر سرور این چرخش هنوز آشکار نشده است؛ عضو با چرخاندن جفت بذر آن را آشکار می‌کند.", "The server seed of this spin is not revealed yet; the member reveals it by rotating the seed pair."),
        ErrorCode::BadCosignature => (
            "این یک نقطهٔ بازرسی امضاشدهٔ همین دفتر با امضای همگواه درست نیست (C2SP tlog-cosignature/v1).",
            "This is not a checkpoint of this log, signed by it and cosigned correctly (C2SP tlog-cosignature/v1).",
        ),
        ErrorCode::UnknownWitness => (
            "این همگواه در فهرست همگواه‌های پذیرفتهٔ این باشگاه نیست.",
            "This witness is not among the witnesses this club accepts.",
        ),
        _ => return None,
    })
}
