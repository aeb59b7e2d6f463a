//! A contest's rules, checked whole and fixed before it starts: the metric, the period, the
//! entry fee, who qualifies, the prizes and the tie rule. `CONTEST_OPEN` logs their hash, so
//! nobody can change them once members are competing.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::fair::{Hash, sha256};
use crate::ledger::Points;
use crate::raffle::{MAX_DESCRIPTION_CHARS, MAX_PRIZE_COUNT, PrizeProblem, RafflePrize};
use crate::time::Timestamp;
use crate::wheel::Label;

/// Shortest contest.
pub const MIN_CONTEST_SECS: i64 = 60;
/// Most rows of the public leaderboard.
pub const MAX_BOARD_SIZE: u32 = 100;
/// Most prize lines.
const MAX_PRIZE_LINES: usize = 20;

/// What a contest counts, over its period, for each member who joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Points credited by earning (purchases, bonuses, prizes), less what returns took back.
    PointsEarned,
    /// Purchases recorded at a till.
    PurchaseCount,
    /// Whole rials spent at the tills, less what was returned.
    AmountSpent,
    /// Invited friends who made their first purchase.
    Referrals,
    Spins,
}

impl Metric {
    pub const ALL: [Self; 5] = [Self::PointsEarned, Self::PurchaseCount, Self::AmountSpent, Self::Referrals, Self::Spins];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PointsEarned => "points_earned",
            Self::PurchaseCount => "purchase_count",
            Self::AmountSpent => "amount_spent",
            Self::Referrals => "referrals",
            Self::Spins => "spins",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == text)
    }
}

/// How equal scores are ranked; stated before the contest starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TieRule {
    /// Equal scores share a rank and the ranks after them are skipped ("1224"); everyone at a
    /// rank gets that rank's prize.
    SharedRank,
    /// Equal scores are ordered by who reached the score first; at the same millisecond, by
    /// who joined first. Every rank is held by one member.
    FirstToReach,
}

impl TieRule {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SharedRank => "shared_rank",
            Self::FirstToReach => "first_to_reach",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::SharedRank, Self::FirstToReach].into_iter().find(|r| r.as_str() == text)
    }
}

/// How the prizes find their winners.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrizeMode {
    /// The prize lines go down the ranks: the first line's `count` ranks, then the next line's.
    ByRank,
    /// Drawn by `fairdraw/v1` among the qualifiers, one ticket each, one prize per member.
    Drawn,
}

impl PrizeMode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ByRank => "by_rank",
            Self::Drawn => "drawn",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ContestError {
    #[error("a contest needs a title in Persian and in English, each 1 to 40 characters")]
    Title,
    #[error("a description is at most {MAX_DESCRIPTION_CHARS} characters")]
    Description,
    #[error("a contest has 1 to {MAX_PRIZE_LINES} prize lines, not {0}")]
    PrizeLines(usize),
    #[error("prize {0}: count must be 1 to {MAX_PRIZE_COUNT}")]
    PrizeCount(usize),
    #[error("prize {0}: points or credit must be more than zero")]
    EmptyPrize(usize),
    #[error("prize {0}: a physical prize is described in Persian and in English, each 1 to 40 characters")]
    PrizeLabel(usize),
    #[error("a contest ends at least {MIN_CONTEST_SECS} seconds after it starts")]
    Window,
    #[error("the qualifying score must be at least 1")]
    MinScore,
    #[error("the leaderboard shows 1 to {MAX_BOARD_SIZE} rows")]
    BoardSize,
    #[error("only a drawn contest waits for a beacon round")]
    BeaconWithoutDraw,
    #[error("prize {0}: a coupon can be a raffle prize, not yet a contest prize")]
    CouponPrize(usize),
}

/// A contest as an admin fills it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContestDraft {
    pub title_fa: String,
    pub title_en: String,
    pub description_fa: String,
    pub description_en: String,
    pub metric: Metric,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    /// Points to join; zero is free.
    pub entry_fee: Points,
    /// The score a member needs to win anything.
    pub min_score: u64,
    pub tie_rule: TieRule,
    pub prize_mode: PrizeMode,
    /// Ranks first to last, or draw order.
    pub prizes: Vec<RafflePrize>,
    /// A drawn contest waits for a drand round (P3, P4).
    pub beacon: bool,
    /// Rows of the public leaderboard.
    pub board_size: u32,
}

/// A checked contest. Serialises as its draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ContestDraft", into = "ContestDraft")]
pub struct ContestSpec {
    draft: ContestDraft,
    title_fa: Label,
    title_en: Label,
}

impl ContestSpec {
    /// Checks a draft whole; the error names the first problem.
    pub fn parse(mut draft: ContestDraft) -> Result<Self, ContestError> {
        let title_fa = Label::parse(&draft.title_fa).ok_or(ContestError::Title)?;
        let title_en = Label::parse(&draft.title_en).ok_or(ContestError::Title)?;
        for text in [&mut draft.description_fa, &mut draft.description_en] {
            *text = text.trim().to_owned();
            if text.chars().count() > MAX_DESCRIPTION_CHARS {
                return Err(ContestError::Description);
            }
        }
        let lines = draft.prizes.len();
        if !(1..=MAX_PRIZE_LINES).contains(&lines) {
            return Err(ContestError::PrizeLines(lines));
        }
        for (at, prize) in draft.prizes.iter_mut().enumerate() {
            prize.check().map_err(|problem| match problem {
                PrizeProblem::Count => ContestError::PrizeCount(at + 1),
                PrizeProblem::Empty => ContestError::EmptyPrize(at + 1),
                PrizeProblem::Label => ContestError::PrizeLabel(at + 1),
            })?;
            if matches!(prize.kind, crate::raffle::RafflePrizeKind::Coupon { .. }) {
                return Err(ContestError::CouponPrize(at + 1));
            }
        }
        let millis = draft.ends_at.unix_millis().saturating_sub(draft.starts_at.unix_millis());
        if millis < MIN_CONTEST_SECS * 1000 {
            return Err(ContestError::Window);
        }
        if draft.min_score == 0 {
            return Err(ContestError::MinScore);
        }
        if !(1..=MAX_BOARD_SIZE).contains(&draft.board_size) {
            return Err(ContestError::BoardSize);
        }
        if draft.beacon && draft.prize_mode != PrizeMode::Drawn {
            return Err(ContestError::BeaconWithoutDraw);
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

    pub fn description_fa(&self) -> &str {
        &self.draft.description_fa
    }

    pub fn description_en(&self) -> &str {
        &self.draft.description_en
    }

    pub fn metric(&self) -> Metric {
        self.draft.metric
    }

    pub fn starts_at(&self) -> Timestamp {
        self.draft.starts_at
    }

    pub fn ends_at(&self) -> Timestamp {
        self.draft.ends_at
    }

    pub fn entry_fee(&self) -> Points {
        self.draft.entry_fee
    }

    pub fn min_score(&self) -> u64 {
        self.draft.min_score
    }

    pub fn tie_rule(&self) -> TieRule {
        self.draft.tie_rule
    }

    pub fn prize_mode(&self) -> PrizeMode {
        self.draft.prize_mode
    }

    pub fn prizes(&self) -> &[RafflePrize] {
        &self.draft.prizes
    }

    pub fn beacon(&self) -> bool {
        self.draft.beacon
    }

    pub fn board_size(&self) -> u32 {
        self.draft.board_size
    }

    /// Every prize line together: the ranks that win, or the winners drawn.
    pub fn prize_count(&self) -> u64 {
        self.draft.prizes.iter().map(|p| u64::from(p.count)).sum()
    }

    /// The prize of `rank` (1-based) in a contest by rank: the line covering that rank.
    pub fn prize_for_rank(&self, rank: u64) -> Option<&RafflePrize> {
        let mut first = 1u64;
        for prize in &self.draft.prizes {
            let last = first + u64::from(prize.count);
            if (first..last).contains(&rank) {
                return Some(prize);
            }
            first = last;
        }
        None
    }

    /// Whether an instant lies in the period the scores count.
    pub fn counts_at(&self, at: Timestamp) -> bool {
        self.draft.starts_at <= at && at < self.draft.ends_at
    }

    /// `H("contest/v1/rules" ‖ the rules as JSON)`: what `CONTEST_OPEN` commits to.
    pub fn rules_hash(&self) -> Hash {
        let mut bytes = b"contest/v1/rules".to_vec();
        // A struct of strings, integers and enums serialises the same way every time.
        bytes.extend(serde_json::to_vec(&self.draft).unwrap_or_default());
        sha256(&bytes)
    }
}

impl TryFrom<ContestDraft> for ContestSpec {
    type Error = ContestError;
    fn try_from(draft: ContestDraft) -> Result<Self, Self::Error> {
        Self::parse(draft)
    }
}

impl From<ContestSpec> for ContestDraft {
    fn from(spec: ContestSpec) -> Self {
        spec.draft
    }
}
