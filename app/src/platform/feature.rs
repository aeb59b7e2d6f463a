//! What a feature hands the house when it registers: the texts of the error codes it owns and,
//! on the server, its routes with their areas.

#[cfg(feature = "ssr")]
use crate::platform::server::Routes;

/// `(fa, en)` for the error codes a feature owns, `None` for every other code.
pub type ErrorTexts = fn(crate::platform::error::ErrorCode) -> Option<(&'static str, &'static str)>;

pub struct Feature {
    pub error_texts: ErrorTexts,
    #[cfg(feature = "ssr")]
    pub routes: fn() -> Routes,
}

/// For a feature that owns no error codes.
pub fn owns_no_codes(_: crate::platform::error::ErrorCode) -> Option<(&'static str, &'static str)> {
    None
}
