//! From winning tickets to prizes: the `j`-th winner drawn gets the `j`-th prize.

use super::{RafflePrize, RaffleSpec};

/// One winner's prize.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Award<'a, M> {
    /// 0-based draw order.
    pub position: usize,
    pub leaf_index: u64,
    pub member: M,
    pub prize: &'a RafflePrize,
}

/// Pairs the winning leaves (in draw order) with their owners and prizes. `owner` names the
/// member of a leaf; `None` means the caller's ticket list does not cover that leaf, which is
/// an error of the caller's data, reported with the leaf.
pub fn payout<'a, M>(
    spec: &'a RaffleSpec,
    winners: &[u64],
    owner: impl Fn(u64) -> Option<M>,
) -> Result<Vec<Award<'a, M>>, u64> {
    winners
        .iter()
        .enumerate()
        .map(|(position, &leaf)| {
            let member = owner(leaf).ok_or(leaf)?;
            let prize = spec.prize_of_winner(position).ok_or(leaf)?;
            Ok(Award { position, leaf_index: leaf, member, prize })
        })
        .collect()
}
