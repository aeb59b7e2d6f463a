//! Raffles on `fairdraw/v1`: a raffle's rules checked whole ([`RaffleSpec::parse`]), what a
//! member may buy when ([`buy`]), and who gets which prize once the draw has named its winning
//! tickets ([`payout`]). The draw itself is [`crate::fair::fairdraw`].

mod buy;
mod payout;
mod spec;
#[cfg(test)]
mod tests;

pub use buy::{BuyRefusal, Phase, buy, phase};
pub use payout::{Award, payout};
pub use spec::{
    MAX_DESCRIPTION_CHARS, MAX_PRIZE_COUNT, MAX_TICKETS_PER_MEMBER, MIN_OPEN_SECS, PrizeProblem, RaffleDraft, RaffleError, RafflePrize,
    RafflePrizeKind, RaffleSpec,
};
