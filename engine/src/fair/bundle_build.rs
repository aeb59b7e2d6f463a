//! Making audit bundles from a log, its signed checkpoint and the engine values.

use super::bundle::{
    BUNDLE_FORMAT, Bundle, BundleBeacon, BundleEntry, BundleError, BundleKind, LogSection,
    LoggedRecord,
};
use super::checkpoint::{self, Checkpoint};
use super::fairdraw::Entry;
use super::hexstr;
use super::log::Record;
use super::log_memory::MemoryLog;
use super::signed_note::VerifierKey;

/// Signs the checkpoint of the whole log with the Ed25519 key of `seed` (caller-supplied).
pub fn sign_log(
    log: &MemoryLog,
    origin: &str,
    seed: &[u8; 32],
    key_name: &str,
) -> Result<String, BundleError> {
    Ok(checkpoint::sign(&log.checkpoint(origin)?, seed, key_name)?)
}

/// What every bundle carries besides its kind-specific parts.
#[derive(Debug, Clone)]
pub struct BundleInputs<'a> {
    pub log: &'a MemoryLog,
    /// Signed checkpoint note of a prefix of `log` (the proofs lead to it).
    pub note: &'a str,
    pub key: &'a VerifierKey,
    /// Leaf indices of the records to include.
    pub indices: &'a [u64],
    pub beacon: BundleBeacon,
    pub server_seed: [u8; 32],
}

/// The bundle of a spin (records: `WHEEL_CONFIG`, `SPIN_SEED_COMMIT`, `SPIN`, optionally
/// `SPIN_SEED_REVEAL`).
pub fn spin_bundle(inputs: &BundleInputs<'_>) -> Result<Bundle, BundleError> {
    make(inputs, BundleKind::Spin, &[])
}

/// The bundle of a draw (records: `DRAW_OPEN`, `DRAW_CLOSE`, optionally `DRAW_REVEAL`,
/// `DRAW_RESULT`) with all its entries in leaf order.
pub fn draw_bundle(inputs: &BundleInputs<'_>, entries: &[Entry]) -> Result<Bundle, BundleError> {
    make(inputs, BundleKind::Draw, entries)
}

fn make(
    inputs: &BundleInputs<'_>,
    kind: BundleKind,
    entries: &[Entry],
) -> Result<Bundle, BundleError> {
    let cp: Checkpoint = checkpoint::verify_with(inputs.note, inputs.key)?;
    let tree = inputs.log.tree(cp.size)?;
    if tree.root() != cp.root {
        return Err(BundleError::CheckpointMismatch);
    }
    let mut records = Vec::with_capacity(inputs.indices.len());
    for &index in inputs.indices {
        let leaf = inputs.log.leaf(index).ok_or(BundleError::NoLeaf(index))?;
        let record = Record::decode(leaf).map_err(|e| BundleError::Record(index, e))?;
        let at = usize::try_from(index).map_err(|_| BundleError::NoLeaf(index))?;
        let proof = tree.inclusion_proof(at)?;
        records.push(LoggedRecord {
            index,
            record: record.encode_string(),
            proof: proof.iter().map(|h| hexstr::encode(h)).collect(),
        });
    }
    Ok(Bundle {
        format: BUNDLE_FORMAT.to_owned(),
        kind,
        log: LogSection {
            verifier_key: inputs.key.encode(),
            checkpoint: inputs.note.to_owned(),
        },
        records,
        beacon: inputs.beacon.clone(),
        server_seed: hexstr::encode(&inputs.server_seed),
        entries: entries
            .iter()
            .map(|e| BundleEntry {
                user_commit: hexstr::encode(&e.user_commit),
                weight: e.weight,
                client_seed: hexstr::encode(&e.client_seed),
            })
            .collect(),
        contest: None,
    })
}
