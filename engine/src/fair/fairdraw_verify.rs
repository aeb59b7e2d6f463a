//! A whole `fairdraw/v1` draw: compute the result from its inputs, or check a published one
//! step by step (commitment, root, totals, seed, winners) so a failure says which check broke.

use super::fairdraw::{Close, Entry, SeedInput, close, seed, server_commit};
use super::fairdraw_winners::winners;
use super::{Beacon, FairError, Hash};

/// The inputs of a draw once it is closed and revealed.
#[derive(Debug, Clone, Copy)]
pub struct Draw<'a> {
    pub draw_id: &'a str,
    /// `H(DRAW_OPEN record bytes)`.
    pub open_record_hash: Hash,
    pub server_seed: [u8; 32],
    pub beacon: Beacon,
    /// Number of prizes.
    pub k: usize,
    /// Tickets in leaf index order.
    pub entries: &'a [Entry],
}

/// What a draw publishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawOutcome {
    pub server_commit: Hash,
    pub close: Close,
    pub seed: Hash,
    /// Winning leaf indices in prize order.
    pub winners: Vec<usize>,
}

/// Runs the draw.
pub fn run(draw: &Draw<'_>) -> Result<DrawOutcome, FairError> {
    let close = close(draw.draw_id, draw.entries)?;
    let seed = seed(&SeedInput {
        draw_id: draw.draw_id,
        open_record_hash: draw.open_record_hash,
        close,
        server_seed: draw.server_seed,
        beacon: draw.beacon,
    })?;
    let winners = winners(&seed, draw.entries, draw.k)?;
    Ok(DrawOutcome {
        server_commit: server_commit(&draw.server_seed),
        close,
        seed,
        winners,
    })
}

/// Checks a published outcome against the inputs; the error names the first failed check.
pub fn verify(draw: &Draw<'_>, claimed: &DrawOutcome) -> Result<(), FairError> {
    if server_commit(&draw.server_seed) != claimed.server_commit {
        return Err(FairError::CommitMismatch);
    }
    let actual = run(draw)?;
    if actual.close.entries_root != claimed.close.entries_root {
        return Err(FairError::RootMismatch);
    }
    if actual.close != claimed.close {
        return Err(FairError::TotalsMismatch);
    }
    if actual.seed != claimed.seed {
        return Err(FairError::SeedMismatch);
    }
    if actual.winners != claimed.winners {
        return Err(FairError::WinnersMismatch);
    }
    Ok(())
}
