//! The tier ladder: tiers in ascending order of threshold, what is measured and over which window.

use std::collections::BTreeSet;
use std::num::NonZeroU32;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::earn::decimal::{MAX_FACTOR, is_factor, is_percent};
use crate::earn::ids::slug_id;

slug_id!(
    /// Names a tier (`"bronze"`); members' tier state refers to it.
    TierId
);

/// The most tiers a ladder may have; a dashboard shows them all.
pub const MAX_TIERS: usize = 20;
/// Tier names are shown on a card; longer ones do not fit.
pub const MAX_NAME_CHARS: usize = 40;
/// Ten years; a longer grace is a configuration mistake.
pub const MAX_GRACE_DAYS: u32 = 3650;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LadderError {
    #[error("a tier ladder needs at least one tier")]
    Empty,
    #[error("a tier ladder has at most {MAX_TIERS} tiers")]
    TooMany,
    #[error("the first tier {0} must be the base tier, with threshold 0")]
    NoBaseTier(TierId),
    #[error("tier {tier}: threshold {threshold} must be above the previous tier's {previous}")]
    NotIncreasing {
        tier: TierId,
        threshold: u64,
        previous: u64,
    },
    #[error("tier id {0} is used twice")]
    DuplicateTier(TierId),
    #[error("tier {0}: names in Persian and English have 1 to {MAX_NAME_CHARS} characters")]
    BadName(TierId),
    #[error(
        "tier {tier}: multiplier {factor} must be positive, at most {MAX_FACTOR}, with at most two decimals"
    )]
    BadMultiplier { tier: TierId, factor: Decimal },
    #[error("tier {tier}: cashback {percent}% must be within 0 to 100 with at most two decimals")]
    BadCashback { tier: TierId, percent: Decimal },
    #[error("a grace period of {0} days is longer than {MAX_GRACE_DAYS}")]
    GraceTooLong(u32),
    #[error("a window of {0} days is longer than {MAX_GRACE_DAYS}")]
    WindowTooLong(u32),
}

/// What a tier gives its members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Benefits {
    /// Scales points from purchase rules; `1` for none.
    pub multiplier: Decimal,
    /// Percent of each purchase paid back as credit; `0` for none.
    pub cashback_percent: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub id: TierId,
    pub name_fa: String,
    pub name_en: String,
    /// In the ladder's measure: points, whole rials, or visits.
    pub threshold: u64,
    pub benefits: Benefits,
}

/// What counts towards a tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    PointsEarned,
    /// Whole rials; fractions of a rial are dropped per contribution.
    AmountSpent,
    Visits,
}

/// Which contributions count at a given moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "days")]
pub enum TierWindow {
    /// The last N×24 hours up to now.
    RollingDays(NonZeroU32),
    /// The current Jalali year, Tehran time; it starts again at Nowruz.
    JalaliYear,
}

/// The unchecked ladder, as an admin form or a JSON document gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierLadderDraft {
    pub measure: Measure,
    pub window: TierWindow,
    /// Days a member keeps a tier after falling below its threshold.
    pub grace_days: u32,
    /// Ascending by threshold; the first is the base tier with threshold 0.
    pub tiers: Vec<Tier>,
}

/// A checked ladder: at least one tier, the first at threshold 0, thresholds strictly increasing,
/// unique ids, sane names and benefits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "TierLadderDraft", into = "TierLadderDraft")]
pub struct TierLadder {
    measure: Measure,
    window: TierWindow,
    grace_days: u32,
    tiers: Vec<Tier>,
}

fn good_name(name: &str) -> bool {
    let len = name.trim().chars().count();
    (1..=MAX_NAME_CHARS).contains(&len) && !name.chars().any(char::is_control)
}

impl TierLadder {
    /// The one checked constructor.
    pub fn parse(draft: TierLadderDraft) -> Result<Self, LadderError> {
        let first = draft.tiers.first().ok_or(LadderError::Empty)?;
        if draft.tiers.len() > MAX_TIERS {
            return Err(LadderError::TooMany);
        }
        if first.threshold != 0 {
            return Err(LadderError::NoBaseTier(first.id.clone()));
        }
        if draft.grace_days > MAX_GRACE_DAYS {
            return Err(LadderError::GraceTooLong(draft.grace_days));
        }
        if let TierWindow::RollingDays(days) = draft.window
            && days.get() > MAX_GRACE_DAYS
        {
            return Err(LadderError::WindowTooLong(days.get()));
        }
        let mut seen = BTreeSet::new();
        for (i, tier) in draft.tiers.iter().enumerate() {
            if !seen.insert(&tier.id) {
                return Err(LadderError::DuplicateTier(tier.id.clone()));
            }
            if let Some(previous) = i.checked_sub(1).and_then(|p| draft.tiers.get(p))
                && tier.threshold <= previous.threshold
            {
                return Err(LadderError::NotIncreasing {
                    tier: tier.id.clone(),
                    threshold: tier.threshold,
                    previous: previous.threshold,
                });
            }
            if !good_name(&tier.name_fa) || !good_name(&tier.name_en) {
                return Err(LadderError::BadName(tier.id.clone()));
            }
            if !is_factor(tier.benefits.multiplier) {
                return Err(LadderError::BadMultiplier {
                    tier: tier.id.clone(),
                    factor: tier.benefits.multiplier,
                });
            }
            if !is_percent(tier.benefits.cashback_percent) {
                return Err(LadderError::BadCashback {
                    tier: tier.id.clone(),
                    percent: tier.benefits.cashback_percent,
                });
            }
        }
        Ok(Self {
            measure: draft.measure,
            window: draft.window,
            grace_days: draft.grace_days,
            tiers: draft.tiers,
        })
    }

    pub fn measure(&self) -> Measure {
        self.measure
    }

    pub fn window(&self) -> TierWindow {
        self.window
    }

    pub fn grace_days(&self) -> u32 {
        self.grace_days
    }

    /// Ascending by threshold; never empty.
    pub fn tiers(&self) -> &[Tier] {
        &self.tiers
    }

    /// The tier with threshold 0.
    pub fn base(&self) -> &Tier {
        // `parse` refuses an empty ladder, so index 0 exists.
        &self.tiers[0]
    }

    pub fn get(&self, id: &TierId) -> Option<&Tier> {
        self.tiers.iter().find(|t| &t.id == id)
    }

    /// Position in the ladder, 0 for the base tier.
    pub fn rank(&self, id: &TierId) -> Option<usize> {
        self.tiers.iter().position(|t| &t.id == id)
    }

    /// The highest tier whose threshold `value` reaches.
    pub fn qualified(&self, value: u64) -> &Tier {
        self.tiers
            .iter()
            .rev()
            .find(|t| t.threshold <= value)
            .unwrap_or_else(|| self.base())
    }

    pub fn to_draft(&self) -> TierLadderDraft {
        TierLadderDraft {
            measure: self.measure,
            window: self.window,
            grace_days: self.grace_days,
            tiers: self.tiers.clone(),
        }
    }
}

impl TryFrom<TierLadderDraft> for TierLadder {
    type Error = LadderError;
    fn try_from(draft: TierLadderDraft) -> Result<Self, Self::Error> {
        Self::parse(draft)
    }
}

impl From<TierLadder> for TierLadderDraft {
    fn from(ladder: TierLadder) -> Self {
        TierLadderDraft {
            measure: ladder.measure,
            window: ladder.window,
            grace_days: ladder.grace_days,
            tiers: ladder.tiers,
        }
    }
}
