//! A coupon listing's rules, checked whole: what it is, what it costs in points, what the club
//! owes the partner for each one sold, when it is on sale and until when a code is good.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::ledger::{Money, Points};
use crate::tiers::TierId;
use crate::time::Timestamp;
use crate::wheel::Label;

/// Most codes one listing may hold.
pub const MAX_STOCK: u64 = 1_000_000;
const MAX_TERMS_CHARS: usize = 2_000;
const MAX_PER_MEMBER: u32 = 100;
const MAX_IMAGE_URL: usize = 500;

/// A category's id: 1 to 30 of `a-z`, `0-9` and `-` (`cafe`, `food`, `fashion`…).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CategoryId(String);

impl CategoryId {
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().to_ascii_lowercase();
        let ok = (1..=30).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        ok.then_some(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CategoryId {
    type Error = &'static str;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text).ok_or("a category is 1 to 30 of a-z, 0-9 and -")
    }
}

impl From<CategoryId> for String {
    fn from(id: CategoryId) -> Self {
        id.0
    }
}

/// What a coupon gives at the partner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum CouponValue {
    /// A percentage off, 1 to 100.
    Percent { percent: u8 },
    /// Rials off.
    Fixed { rials: Money },
    /// An item free of charge.
    FreeItem { item_fa: Label, item_en: Label },
    /// Anything else, described.
    Text { text_fa: Label, text_en: Label },
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ListingError {
    #[error("a listing needs a title in Persian and in English, each 1 to 40 characters")]
    Title,
    #[error("terms are at most {MAX_TERMS_CHARS} characters")]
    Terms,
    #[error("a percentage is 1 to 100")]
    Percent,
    #[error("a fixed discount must be more than zero rials")]
    Fixed,
    #[error("sales end after they start, and codes stay good at least until sales end")]
    Window,
    #[error("the per-member limit is 1 to {MAX_PER_MEMBER}")]
    Limit,
    #[error("an image is a path on this site (/…) or an https:// address, at most {MAX_IMAGE_URL} characters")]
    Image,
}

/// A listing as a partner or an admin fills it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingDraft {
    pub title_fa: String,
    pub title_en: String,
    pub terms_fa: String,
    pub terms_en: String,
    pub category: CategoryId,
    /// Empty for none.
    pub image_url: String,
    /// Points a member pays; zero is free.
    pub price: Points,
    pub value: CouponValue,
    /// Rials the club owes the partner for each coupon sold.
    pub settlement_price: Money,
    pub sale_from: Timestamp,
    pub sale_until: Timestamp,
    /// A code is good until this instant.
    pub valid_until: Timestamp,
    pub per_member_limit: u32,
    /// Tiers that may buy; empty is everyone.
    pub tiers: BTreeSet<TierId>,
}

/// A checked listing. Serialises as its draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ListingDraft", into = "ListingDraft")]
pub struct ListingSpec {
    draft: ListingDraft,
    title_fa: Label,
    title_en: Label,
}

impl ListingSpec {
    pub fn parse(mut draft: ListingDraft) -> Result<Self, ListingError> {
        let title_fa = Label::parse(&draft.title_fa).ok_or(ListingError::Title)?;
        let title_en = Label::parse(&draft.title_en).ok_or(ListingError::Title)?;
        for text in [&mut draft.terms_fa, &mut draft.terms_en] {
            *text = text.trim().to_owned();
            if text.chars().count() > MAX_TERMS_CHARS {
                return Err(ListingError::Terms);
            }
        }
        match &draft.value {
            CouponValue::Percent { percent } if !(1..=100).contains(percent) => return Err(ListingError::Percent),
            CouponValue::Fixed { rials } if rials.is_zero() => return Err(ListingError::Fixed),
            _ => {}
        }
        if draft.sale_until <= draft.sale_from || draft.valid_until < draft.sale_until {
            return Err(ListingError::Window);
        }
        if !(1..=MAX_PER_MEMBER).contains(&draft.per_member_limit) {
            return Err(ListingError::Limit);
        }
        draft.image_url = draft.image_url.trim().to_owned();
        let image = &draft.image_url;
        let safe = image.is_empty()
            || (image.len() <= MAX_IMAGE_URL
                && (image.starts_with('/') && !image.starts_with("//") || image.starts_with("https://"))
                && !image.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '\\')));
        if !safe {
            return Err(ListingError::Image);
        }
        draft.title_fa = title_fa.as_str().to_owned();
        draft.title_en = title_en.as_str().to_owned();
        Ok(Self { draft, title_fa, title_en })
    }

    pub fn title_fa(&self) -> &Label {
        &self.title_fa
    }

    pub fn title_en(&self) -> &Label {
        &self.title_en
    }

    pub fn terms_fa(&self) -> &str {
        &self.draft.terms_fa
    }

    pub fn terms_en(&self) -> &str {
        &self.draft.terms_en
    }

    pub fn category(&self) -> &CategoryId {
        &self.draft.category
    }

    pub fn image_url(&self) -> &str {
        &self.draft.image_url
    }

    pub fn price(&self) -> Points {
        self.draft.price
    }

    pub fn value(&self) -> &CouponValue {
        &self.draft.value
    }

    pub fn settlement_price(&self) -> Money {
        self.draft.settlement_price
    }

    pub fn sale_from(&self) -> Timestamp {
        self.draft.sale_from
    }

    pub fn sale_until(&self) -> Timestamp {
        self.draft.sale_until
    }

    pub fn valid_until(&self) -> Timestamp {
        self.draft.valid_until
    }

    pub fn per_member_limit(&self) -> u32 {
        self.draft.per_member_limit
    }

    pub fn tiers(&self) -> &BTreeSet<TierId> {
        &self.draft.tiers
    }

    pub fn admits(&self, tier: &TierId) -> bool {
        self.draft.tiers.is_empty() || self.draft.tiers.contains(tier)
    }
}

impl TryFrom<ListingDraft> for ListingSpec {
    type Error = ListingError;
    fn try_from(draft: ListingDraft) -> Result<Self, Self::Error> {
        Self::parse(draft)
    }
}

impl From<ListingSpec> for ListingDraft {
    fn from(spec: ListingSpec) -> Self {
        spec.draft
    }
}
