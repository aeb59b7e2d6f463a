//! Leaderboard contests: a contest's rules checked whole ([`ContestSpec::parse`]), the
//! standings from each entrant's score ([`standings`], ranks "1224" or broken by who reached the
//! score first) and who gets which prize ([`awards`]). The scores themselves are facts the
//! store sums (points earned, purchases, spins…); nothing here reads them.

mod rank;
mod spec;
#[cfg(test)]
mod tests;

pub use rank::{Award, Score, Standing, StandingFact, awards, standing_leaf, standings, standings_root};
pub use spec::{
    ContestDraft, ContestError, ContestSpec, MAX_BOARD_SIZE, Metric, MIN_CONTEST_SECS, PrizeMode, TieRule,
};
