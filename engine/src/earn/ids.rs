//! Names that admins give to rules, multipliers, tiers and custom events, and the branch id.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Longest slug; long enough for `referral-first-purchase-nowruz-1404`, short enough for a column.
pub const MAX_SLUG_CHARS: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SlugError {
    #[error("{0:?} is not a valid id: use 1 to {MAX_SLUG_CHARS} of a-z 0-9 - _")]
    Bad(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BranchIdError {
    #[error("a branch id must be a positive integer")]
    NotPositive,
}

/// Lower-case ASCII slugs, so ids compare the same in SQL, JSON and URLs.
pub(crate) fn is_slug(text: &str) -> bool {
    (1..=MAX_SLUG_CHARS).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

macro_rules! slug_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The one checked constructor.
            pub fn parse(text: &str) -> Result<Self, $crate::earn::ids::SlugError> {
                if $crate::earn::ids::is_slug(text) {
                    Ok(Self(text.to_owned()))
                } else {
                    Err($crate::earn::ids::SlugError::Bad(text.to_owned()))
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::earn::ids::SlugError;
            fn try_from(text: String) -> Result<Self, Self::Error> {
                Self::parse(&text)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}
pub(crate) use slug_id;

slug_id!(
    /// Names an earning rule or a multiplier; unique within a policy, and the key of limit usage.
    RuleId
);
slug_id!(
    /// Names a custom event (`"app-review"`, `"survey-done"`) that a custom rule rewards.
    EventName
);

/// A branch of the club, as the store numbers them (positive, like the ledger's row ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct BranchId(i64);

impl BranchId {
    pub fn new(value: i64) -> Result<Self, BranchIdError> {
        if value > 0 {
            Ok(Self(value))
        } else {
            Err(BranchIdError::NotPositive)
        }
    }

    pub const fn get(self) -> i64 {
        self.0
    }
}

impl TryFrom<i64> for BranchId {
    type Error = BranchIdError;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<BranchId> for i64 {
    fn from(id: BranchId) -> i64 {
        id.0
    }
}

impl fmt::Display for BranchId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
