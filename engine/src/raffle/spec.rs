//! A raffle's rules, checked whole. Once opened they never change; `DRAW_OPEN` logs the ones
//! the draw depends on (prize count, ticket price, per-member limit, times, round).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::ledger::{Money, Points};
use crate::tiers::TierId;
use crate::time::Timestamp;
use crate::wheel::Label;

/// Most prizes of one kind, and so at most this many winners per prize line.
pub const MAX_PRIZE_COUNT: u32 = 10_000;
/// Most tickets one member may hold in one raffle.
pub const MAX_TICKETS_PER_MEMBER: u32 = 100_000;
/// Longest description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 2_000;
/// Shortest time a raffle is open for sale.
pub const MIN_OPEN_SECS: i64 = 60;
/// Most prize lines.
const MAX_PRIZE_LINES: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RaffleError {
    #[error("a raffle needs a title in Persian and in English, each 1 to 40 characters")]
    Title,
    #[error("a description is at most {MAX_DESCRIPTION_CHARS} characters")]
    Description,
    #[error("a raffle has 1 to {MAX_PRIZE_LINES} prize lines, not {0}")]
    PrizeLines(usize),
    #[error("prize {0}: count must be 1 to {MAX_PRIZE_COUNT}")]
    PrizeCount(usize),
    #[error("prize {0}: points or credit must be more than zero")]
    EmptyPrize(usize),
    #[error("prize {0}: a physical prize or a coupon is described in Persian and in English, each 1 to 40 characters")]
    PrizeLabel(usize),
    #[error("the per-member limit must be 1 to {MAX_TICKETS_PER_MEMBER} tickets")]
    Limit,
    #[error("a raffle closes at least {MIN_OPEN_SECS} seconds after it opens")]
    Window,
    #[error("the purchase that earns a ticket must be more than zero")]
    PurchaseTicket,
}

/// What one prize line pays each of its winners.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum RafflePrizeKind {
    Points { points: Points },
    Credit { credit: Money },
    /// A physical prize, handed over by the club; described, not paid through the ledger.
    Item,
    /// A partner coupon of a marketplace listing: a code of it goes to the winner's coupon wallet.
    Coupon { listing: i64 },
}

/// A prize line: `count` winners each get `kind`, labelled for the pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RafflePrize {
    #[serde(flatten)]
    pub kind: RafflePrizeKind,
    pub count: u32,
    pub label_fa: String,
    pub label_en: String,
}

/// What is wrong with one prize line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrizeProblem {
    /// Not 1 to [`MAX_PRIZE_COUNT`].
    Count,
    /// Zero points or credit, or no listing.
    Empty,
    /// A physical prize or a coupon without a label in both languages.
    Label,
}

impl RafflePrize {
    /// What the prize pays through the ledger, as points and credit; `None` for an item or a
    /// coupon, which are handed over otherwise.
    pub fn ledger_amounts(&self) -> Option<(Points, Money)> {
        match self.kind {
            RafflePrizeKind::Points { points } => Some((points, Money::ZERO)),
            RafflePrizeKind::Credit { credit } => Some((Points::ZERO, credit)),
            RafflePrizeKind::Item | RafflePrizeKind::Coupon { .. } => None,
        }
    }

    /// Checks the line and tidies its labels: a points or credit prize without both labels is
    /// named by its amount.
    pub fn check(&mut self) -> Result<(), PrizeProblem> {
        if !(1..=MAX_PRIZE_COUNT).contains(&self.count) {
            return Err(PrizeProblem::Count);
        }
        let empty = match &self.kind {
            RafflePrizeKind::Points { points } => points.is_zero(),
            RafflePrizeKind::Credit { credit } => credit.is_zero(),
            RafflePrizeKind::Item => false,
            RafflePrizeKind::Coupon { listing } => *listing <= 0,
        };
        if empty {
            return Err(PrizeProblem::Empty);
        }
        match ((Label::parse(&self.label_fa), Label::parse(&self.label_en)), &self.kind) {
            ((Some(fa), Some(en)), _) => {
                self.label_fa = fa.as_str().to_owned();
                self.label_en = en.as_str().to_owned();
            }
            (_, RafflePrizeKind::Item | RafflePrizeKind::Coupon { .. }) => return Err(PrizeProblem::Label),
            _ => (self.label_fa, self.label_en) = (String::new(), String::new()),
        }
        Ok(())
    }
}

/// A raffle as an admin fills it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RaffleDraft {
    pub title_fa: String,
    pub title_en: String,
    pub description_fa: String,
    pub description_en: String,
    /// In draw order: the first line's winners are drawn first.
    pub prizes: Vec<RafflePrize>,
    /// Points per ticket; zero is free entry.
    pub ticket_price: Points,
    pub per_member_limit: u32,
    pub opens_at: Timestamp,
    pub closes_at: Timestamp,
    /// Whether the draw waits for a drand round (P3, P4).
    pub beacon: bool,
    /// Tiers that may enter; empty is everyone.
    pub tiers: BTreeSet<TierId>,
    /// One free ticket for every purchase of at least this amount made while the raffle is open.
    #[serde(default)]
    pub ticket_per_purchase: Option<Money>,
    /// The draw of a contest: its tickets are given to the contest's qualifiers, never sold.
    #[serde(default)]
    pub by_contest: bool,
}

/// A checked raffle. Serialises as its draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RaffleDraft", into = "RaffleDraft")]
pub struct RaffleSpec {
    draft: RaffleDraft,
    title_fa: Label,
    title_en: Label,
}

impl RaffleSpec {
    /// Checks a draft whole; the error names the first problem. `now` is not asked: a raffle
    /// may be set up to open later, and one whose time has passed simply sells nothing.
    pub fn parse(mut draft: RaffleDraft) -> Result<Self, RaffleError> {
        let title_fa = Label::parse(&draft.title_fa).ok_or(RaffleError::Title)?;
        let title_en = Label::parse(&draft.title_en).ok_or(RaffleError::Title)?;
        for text in [&mut draft.description_fa, &mut draft.description_en] {
            *text = text.trim().to_owned();
            if text.chars().count() > MAX_DESCRIPTION_CHARS {
                return Err(RaffleError::Description);
            }
        }
        let lines = draft.prizes.len();
        if !(1..=MAX_PRIZE_LINES).contains(&lines) {
            return Err(RaffleError::PrizeLines(lines));
        }
        for (at, prize) in draft.prizes.iter_mut().enumerate() {
            prize.check().map_err(|problem| match problem {
                PrizeProblem::Count => RaffleError::PrizeCount(at + 1),
                PrizeProblem::Empty => RaffleError::EmptyPrize(at + 1),
                PrizeProblem::Label => RaffleError::PrizeLabel(at + 1),
            })?;
        }
        if !(1..=MAX_TICKETS_PER_MEMBER).contains(&draft.per_member_limit) {
            return Err(RaffleError::Limit);
        }
        let open_millis = draft.closes_at.unix_millis().saturating_sub(draft.opens_at.unix_millis());
        if open_millis < MIN_OPEN_SECS * 1000 {
            return Err(RaffleError::Window);
        }
        if draft.ticket_per_purchase.is_some_and(Money::is_zero) {
            return Err(RaffleError::PurchaseTicket);
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

    pub fn prizes(&self) -> &[RafflePrize] {
        &self.draft.prizes
    }

    /// `k`: how many winners are drawn, every prize line together.
    pub fn prize_count(&self) -> u64 {
        self.draft.prizes.iter().map(|p| u64::from(p.count)).sum()
    }

    /// The prize of the `j`-th winner drawn (0-based), lines in order.
    pub fn prize_of_winner(&self, j: usize) -> Option<&RafflePrize> {
        let mut left = j;
        for prize in &self.draft.prizes {
            let count = usize::try_from(prize.count).unwrap_or(usize::MAX);
            if left < count {
                return Some(prize);
            }
            left -= count;
        }
        None
    }

    pub fn ticket_price(&self) -> Points {
        self.draft.ticket_price
    }

    pub fn per_member_limit(&self) -> u32 {
        self.draft.per_member_limit
    }

    pub fn opens_at(&self) -> Timestamp {
        self.draft.opens_at
    }

    pub fn closes_at(&self) -> Timestamp {
        self.draft.closes_at
    }

    pub fn beacon(&self) -> bool {
        self.draft.beacon
    }

    pub fn tiers(&self) -> &BTreeSet<TierId> {
        &self.draft.tiers
    }

    /// The smallest purchase that earns a free ticket, if purchases earn tickets.
    pub fn ticket_per_purchase(&self) -> Option<Money> {
        self.draft.ticket_per_purchase
    }

    /// Whether the tickets come from a contest (one per qualifier) instead of being bought.
    pub fn by_contest(&self) -> bool {
        self.draft.by_contest
    }

    /// The coupon listings the prizes name, each with how many of its codes they need.
    pub fn coupon_prizes(&self) -> Vec<(i64, u32)> {
        let mut needed: Vec<(i64, u32)> = Vec::new();
        for prize in &self.draft.prizes {
            if let RafflePrizeKind::Coupon { listing } = prize.kind {
                match needed.iter_mut().find(|(l, _)| *l == listing) {
                    Some((_, count)) => *count += prize.count,
                    None => needed.push((listing, prize.count)),
                }
            }
        }
        needed
    }

    /// Whether a member of `tier` may enter.
    pub fn admits(&self, tier: &TierId) -> bool {
        self.draft.tiers.is_empty() || self.draft.tiers.contains(tier)
    }
}

impl TryFrom<RaffleDraft> for RaffleSpec {
    type Error = RaffleError;
    fn try_from(draft: RaffleDraft) -> Result<Self, Self::Error> {
        Self::parse(draft)
    }
}

impl From<RaffleSpec> for RaffleDraft {
    fn from(spec: RaffleSpec) -> Self {
        spec.draft
    }
}
