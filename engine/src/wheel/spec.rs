//! A wheel's configuration, checked whole: [`WheelSpec::parse`] is the one way to get one, so a
//! wheel that exists can be spun and its odds computed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::earn::ids::slug_id;
use crate::jalali::JalaliDate;
use crate::ledger::{Amount, Money, Points};
use crate::tiers::TierId;
use crate::time::Timestamp;

/// Fewest and most segments a wheel may have.
pub const MIN_SEGMENTS: usize = 2;
pub const MAX_SEGMENTS: usize = 24;
/// Longest label, in characters.
pub const MAX_LABEL_CHARS: usize = 40;
/// Largest weight of one segment; the sum of all stays far below `u64::MAX`.
pub const MAX_WEIGHT: u64 = 1_000_000_000;
/// Most free spins per period a tier can be given.
pub const MAX_FREE_SPINS: u32 = 1_000;

slug_id!(
    /// A segment's id: logged in `WHEEL_CONFIG` and named by verifiers.
    SegmentId
);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WheelError {
    #[error("a wheel needs a name in Persian and in English, each 1 to {MAX_LABEL_CHARS} characters")]
    Name,
    #[error("a wheel has {MIN_SEGMENTS} to {MAX_SEGMENTS} segments, not {0}")]
    SegmentCount(usize),
    #[error("segment {0}: {1}")]
    SegmentId(usize, crate::earn::ids::SlugError),
    #[error("segment id {0:?} is used twice")]
    DuplicateId(String),
    #[error("segment {0}: labels in Persian and English are 1 to {MAX_LABEL_CHARS} characters")]
    SegmentLabel(usize),
    #[error("segment {0}: colour {1:?} is not #rrggbb")]
    Colour(usize, String),
    #[error("segment {0}: weight must be 0 to {MAX_WEIGHT}")]
    Weight(usize),
    #[error("segment {0}: a points or credit prize must be more than zero")]
    EmptyPrize(usize),
    #[error("segment {0}: a budget must be in the prize's own unit (points or credit) and more than zero")]
    Budget(usize),
    #[error("no segment that can be won pays anything but extra spins: a spin would never end")]
    OnlyExtraSpins,
    #[error("the weights add up to zero: no segment can be won")]
    NoWeight,
    #[error("a spin costs at least one point")]
    Cost,
    #[error("free spins per period are at most {MAX_FREE_SPINS}")]
    FreeSpins,
    #[error("segment {0}: a coupon prize names its listing and has a stock (the codes set aside for it)")]
    Coupon(usize),
}

/// A display label, trimmed, 1..=[`MAX_LABEL_CHARS`] characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Label(String);

impl Label {
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        (1..=MAX_LABEL_CHARS).contains(&text.chars().count()).then(|| Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Label {
    type Error = &'static str;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text).ok_or("label must be 1 to 40 characters")
    }
}

impl From<Label> for String {
    fn from(label: Label) -> Self {
        label.0
    }
}

/// A segment colour as `#rrggbb`, lower-case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Colour(String);

impl Colour {
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().to_ascii_lowercase();
        let hex = text.strip_prefix('#')?;
        (hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then_some(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Colour {
    type Error = &'static str;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text).ok_or("colour must be #rrggbb")
    }
}

impl From<Colour> for String {
    fn from(colour: Colour) -> Self {
        colour.0
    }
}

/// What a segment pays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Prize {
    Points { points: Points },
    Credit { credit: Money },
    /// One more spin of the same wheel, free.
    ExtraSpin,
    Nothing,
    /// A partner coupon of a marketplace listing: one of its codes, held for the segment, goes
    /// to the winner's coupon wallet. Such a segment has a stock (the codes held for it).
    Coupon { listing: i64 },
}

impl Prize {
    /// The ledger amount the prize grants, if it grants one.
    pub fn amount(&self) -> Option<Amount> {
        match self {
            Prize::Points { points } => Some(Amount::Points(*points)),
            Prize::Credit { credit } => Some(Amount::Credit(*credit)),
            Prize::ExtraSpin | Prize::Nothing | Prize::Coupon { .. } => None,
        }
    }
}

/// A segment as an admin enters it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentDraft {
    pub id: String,
    pub label_fa: String,
    pub label_en: String,
    pub colour: String,
    pub prize: Prize,
    pub weight: u64,
    /// How many times it can be won; `None` is unlimited.
    #[serde(default)]
    pub stock: Option<u64>,
    /// The most its prizes may pay out in total, in the prize's unit; `None` is unlimited.
    #[serde(default)]
    pub budget: Option<Amount>,
}

/// A checked segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentSpec {
    pub id: SegmentId,
    pub label_fa: Label,
    pub label_en: Label,
    pub colour: Colour,
    pub prize: Prize,
    pub weight: u64,
    pub stock: Option<u64>,
    pub budget: Option<Amount>,
}

/// The period free spins renew over, in Tehran time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpinPeriod {
    Day,
    /// Saturday to Friday, the Iranian week.
    Week,
    JalaliMonth,
}

impl SpinPeriod {
    pub const ALL: [SpinPeriod; 3] = [SpinPeriod::Day, SpinPeriod::Week, SpinPeriod::JalaliMonth];

    pub fn as_str(self) -> &'static str {
        match self {
            SpinPeriod::Day => "day",
            SpinPeriod::Week => "week",
            SpinPeriod::JalaliMonth => "jalali_month",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == text)
    }

    /// The period `at` falls in, as a key that is the same for every instant of that period.
    pub fn key(self, at: Timestamp) -> String {
        let day = at.tehran_date();
        match self {
            SpinPeriod::Day => format!("day:{}", day.to_slashed()),
            SpinPeriod::Week => {
                let jdn = day.julian_day();
                // Julian day numbers count Monday as 0 mod 7, so Saturday is 5.
                let since_saturday = (jdn - 5).rem_euclid(7);
                format!("week:{}", JalaliDate::from_julian_day(jdn - since_saturday).to_slashed())
            }
            SpinPeriod::JalaliMonth => format!("month:{:04}/{:02}", day.year, day.month),
        }
    }
}

/// Free spins per period: a number for every member, and per tier where it differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreeSpins {
    pub period: SpinPeriod,
    #[serde(default)]
    pub everyone: u32,
    #[serde(default)]
    pub by_tier: BTreeMap<TierId, u32>,
}

impl FreeSpins {
    pub const NONE: FreeSpins = FreeSpins { period: SpinPeriod::Week, everyone: 0, by_tier: BTreeMap::new() };

    /// Free spins a member of `tier` gets per period.
    pub fn allowance(&self, tier: Option<&TierId>) -> u32 {
        tier.and_then(|t| self.by_tier.get(t)).copied().unwrap_or(self.everyone)
    }
}

/// A wheel as an admin enters it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WheelDraft {
    pub name_fa: String,
    pub name_en: String,
    pub segments: Vec<SegmentDraft>,
    /// Points per paid spin.
    pub cost: Points,
    pub free_spins: FreeSpins,
    /// Whether each spin waits for a drand round (P3, P4).
    pub beacon: bool,
}

/// A checked wheel. Serialises as its draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "WheelDraft", into = "WheelDraft")]
pub struct WheelSpec {
    name_fa: Label,
    name_en: Label,
    segments: Vec<SegmentSpec>,
    cost: Points,
    free_spins: FreeSpins,
    beacon: bool,
}

impl WheelSpec {
    /// Checks a draft whole; the error names the first problem.
    pub fn parse(draft: WheelDraft) -> Result<Self, WheelError> {
        let name_fa = Label::parse(&draft.name_fa).ok_or(WheelError::Name)?;
        let name_en = Label::parse(&draft.name_en).ok_or(WheelError::Name)?;
        let count = draft.segments.len();
        if !(MIN_SEGMENTS..=MAX_SEGMENTS).contains(&count) {
            return Err(WheelError::SegmentCount(count));
        }
        let mut segments: Vec<SegmentSpec> = Vec::with_capacity(count);
        for (at, s) in draft.segments.into_iter().enumerate() {
            let n = at + 1;
            let id = SegmentId::parse(s.id.trim()).map_err(|e| WheelError::SegmentId(n, e))?;
            if segments.iter().any(|seen| seen.id == id) {
                return Err(WheelError::DuplicateId(id.as_str().to_owned()));
            }
            let label_fa = Label::parse(&s.label_fa).ok_or(WheelError::SegmentLabel(n))?;
            let label_en = Label::parse(&s.label_en).ok_or(WheelError::SegmentLabel(n))?;
            let colour = Colour::parse(&s.colour).ok_or_else(|| WheelError::Colour(n, s.colour.clone()))?;
            if s.weight > MAX_WEIGHT {
                return Err(WheelError::Weight(n));
            }
            if s.prize.amount().is_some_and(Amount::is_zero) {
                return Err(WheelError::EmptyPrize(n));
            }
            if let Prize::Coupon { listing } = s.prize
                && (listing <= 0 || s.stock.is_none())
            {
                return Err(WheelError::Coupon(n));
            }
            if let Some(budget) = s.budget {
                let same_unit = s.prize.amount().is_some_and(|a| a.asset() == budget.asset());
                if !same_unit || budget.is_zero() {
                    return Err(WheelError::Budget(n));
                }
            }
            segments.push(SegmentSpec {
                id,
                label_fa,
                label_en,
                colour,
                prize: s.prize,
                weight: s.weight,
                stock: s.stock,
                budget: s.budget,
            });
        }
        if segments.iter().all(|s| s.weight == 0) {
            return Err(WheelError::NoWeight);
        }
        if segments.iter().all(|s| s.weight == 0 || s.prize == Prize::ExtraSpin) {
            return Err(WheelError::OnlyExtraSpins);
        }
        if draft.cost.is_zero() {
            return Err(WheelError::Cost);
        }
        let free = &draft.free_spins;
        if free.everyone > MAX_FREE_SPINS || free.by_tier.values().any(|&n| n > MAX_FREE_SPINS) {
            return Err(WheelError::FreeSpins);
        }
        Ok(Self { name_fa, name_en, segments, cost: draft.cost, free_spins: draft.free_spins, beacon: draft.beacon })
    }

    pub fn name_fa(&self) -> &Label {
        &self.name_fa
    }

    pub fn name_en(&self) -> &Label {
        &self.name_en
    }

    pub fn segments(&self) -> &[SegmentSpec] {
        &self.segments
    }

    pub fn cost(&self) -> Points {
        self.cost
    }

    pub fn free_spins(&self) -> &FreeSpins {
        &self.free_spins
    }

    pub fn beacon(&self) -> bool {
        self.beacon
    }
}

impl TryFrom<WheelDraft> for WheelSpec {
    type Error = WheelError;
    fn try_from(draft: WheelDraft) -> Result<Self, Self::Error> {
        Self::parse(draft)
    }
}

impl From<WheelSpec> for WheelDraft {
    fn from(spec: WheelSpec) -> Self {
        WheelDraft {
            name_fa: spec.name_fa.into(),
            name_en: spec.name_en.into(),
            segments: spec
                .segments
                .into_iter()
                .map(|s| SegmentDraft {
                    id: s.id.as_str().to_owned(),
                    label_fa: s.label_fa.into(),
                    label_en: s.label_en.into(),
                    colour: s.colour.into(),
                    prize: s.prize,
                    weight: s.weight,
                    stock: s.stock,
                    budget: s.budget,
                })
                .collect(),
            cost: spec.cost,
            free_spins: spec.free_spins,
            beacon: spec.beacon,
        }
    }
}
