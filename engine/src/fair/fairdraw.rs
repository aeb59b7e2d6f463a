//! `fairdraw/v1` encodings: server and user commitments, entry leaves, the close totals and
//! the draw seed. Winner selection is in [`super::fairdraw_winners`].

use super::hash::{Transcript, push_lp};
use super::pick::total_weight;
use super::{Beacon, FairError, Hash, merkle, sha256};

const TAG_SERVER_SEED: &[u8] = b"fairdraw/v1/server-seed";
const TAG_USER: &[u8] = b"fairdraw/v1/user";
const TAG_ENTRY: &[u8] = b"fairdraw/v1/entry";
const TAG_SEED: &[u8] = b"fairdraw/v1/seed";

/// One ticket as committed in the entries tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// `user_commit` of the member (see [`user_commit`]).
    pub user_commit: Hash,
    /// Ticket weight.
    pub weight: u64,
    /// 32 bytes from the member's browser, or `H(phrase)`.
    pub client_seed: [u8; 32],
}

/// `server_commit = H("fairdraw/v1/server-seed" ‖ server_seed)`.
pub fn server_commit(server_seed: &[u8; 32]) -> Hash {
    Transcript::new(TAG_SERVER_SEED).bytes(server_seed).finish()
}

/// `user_commit = H("fairdraw/v1/user" ‖ lp(draw_id) ‖ lp(member_id) ‖ salt)`.
pub fn user_commit(draw_id: &str, member_id: &str, salt: &[u8; 16]) -> Result<Hash, FairError> {
    Ok(Transcript::new(TAG_USER)
        .lp(draw_id.as_bytes())?
        .lp(member_id.as_bytes())?
        .bytes(salt)
        .finish())
}

/// The leaf bytes `"fairdraw/v1/entry" ‖ lp(draw_id) ‖ user_commit ‖ u64(weight) ‖ client_seed`.
pub fn entry_leaf(draw_id: &str, entry: &Entry) -> Result<Vec<u8>, FairError> {
    let mut leaf = Vec::with_capacity(TAG_ENTRY.len() + 2 + draw_id.len() + 72);
    leaf.extend_from_slice(TAG_ENTRY);
    push_lp(&mut leaf, draw_id.as_bytes())?;
    leaf.extend_from_slice(&entry.user_commit);
    leaf.extend_from_slice(&entry.weight.to_be_bytes());
    leaf.extend_from_slice(&entry.client_seed);
    Ok(leaf)
}

/// RFC 6962 leaf hashes of all entries, in index order. The message
/// `0x00 ‖ tag ‖ lp(draw_id) ‖ …` is laid out once and only the entry's 72 bytes change, which
/// keeps million-entry draws fast.
pub fn leaf_hashes(draw_id: &str, entries: &[Entry]) -> Result<Vec<Hash>, FairError> {
    let mut msg = vec![0u8];
    msg.extend_from_slice(TAG_ENTRY);
    push_lp(&mut msg, draw_id.as_bytes())?;
    let at = msg.len();
    msg.resize(at + 72, 0);
    Ok(entries
        .iter()
        .map(|e| {
            msg[at..at + 32].copy_from_slice(&e.user_commit);
            msg[at + 32..at + 40].copy_from_slice(&e.weight.to_be_bytes());
            msg[at + 40..].copy_from_slice(&e.client_seed);
            sha256(&msg)
        })
        .collect())
}

/// What `DRAW_CLOSE` publishes: `N`, `W = Σ weight` and `entries_root`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Close {
    pub n: u64,
    pub w: u64,
    pub entries_root: Hash,
}

/// Computes the close totals and the entries root.
pub fn close(draw_id: &str, entries: &[Entry]) -> Result<Close, FairError> {
    let weights: Vec<u64> = entries.iter().map(|e| e.weight).collect();
    let w = total_weight(&weights)?;
    let entries_root = merkle::root(&leaf_hashes(draw_id, entries)?);
    Ok(Close {
        n: entries.len() as u64,
        w,
        entries_root,
    })
}

/// Everything the draw seed commits to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedInput<'a> {
    pub draw_id: &'a str,
    /// `H(DRAW_OPEN record bytes)`.
    pub open_record_hash: Hash,
    pub close: Close,
    pub server_seed: [u8; 32],
    pub beacon: Beacon,
}

/// `seed = H("fairdraw/v1/seed" ‖ lp(draw_id) ‖ H(open) ‖ entries_root ‖ u64(N) ‖ u64(W) ‖
/// server_seed ‖ u64(R) ‖ ρ)`.
pub fn seed(input: &SeedInput<'_>) -> Result<Hash, FairError> {
    Ok(Transcript::new(TAG_SEED)
        .lp(input.draw_id.as_bytes())?
        .bytes(&input.open_record_hash)
        .bytes(&input.close.entries_root)
        .u64(input.close.n)
        .u64(input.close.w)
        .bytes(&input.server_seed)
        .u64(input.beacon.round)
        .bytes(&input.beacon.rho)
        .finish())
}
