//! The `fairbundle/v1` audit bundle of one spin, one draw or one contest (serde JSON): the
//! logged records with leaf indices and inclusion proofs, the signed checkpoint they lead to,
//! the log key, the beacon (or `mode: none`), the revealed server seed, for a draw all entries,
//! and for a contest its rules and frozen standings (no beacon, no seed: nothing is drawn).
//! [`super::bundle_verify::verify`] checks it offline; [`super::bundle_build`] makes one.
//!
//! Byte strings are lowercase hex strings, so a bundle is plain JSON text that any language
//! can read; malformed hex is reported by the check that needs the value.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The `format` field of a bundle.
pub const BUNDLE_FORMAT: &str = "fairbundle/v1";

/// What a bundle proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BundleKind {
    Spin,
    Draw,
    /// A contest's frozen standings: its rules, the ranks and the prizes by rank.
    Contest,
}

/// The log key and the signed checkpoint every proof leads to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSection {
    /// C2SP verifier key `<name>+<hex key ID>+<base64(0x01 ‖ public key)>`.
    pub verifier_key: String,
    /// The signed checkpoint note.
    pub checkpoint: String,
}

/// One record of the log with its position and inclusion proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoggedRecord {
    /// Leaf index in the log.
    pub index: u64,
    /// The canonical `fairlog/v1` JSON text: its UTF-8 bytes are the leaf.
    pub record: String,
    /// RFC 6962 audit path (hex hashes) to the checkpoint's root.
    pub proof: Vec<String>,
}

/// The beacon of the spin or draw; `none` states that P3 and P4 do not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", deny_unknown_fields)]
pub enum BundleBeacon {
    /// A drand quicknet round and its BLS signature (hex).
    #[serde(rename = "drand-quicknet")]
    Drand { round: u64, signature: String },
    /// No beacon: `R = 0`, `ρ` = 32 zero bytes.
    #[serde(rename = "none")]
    NoBeacon,
}

impl BundleBeacon {
    /// A drand round with its signature bytes.
    pub fn drand(round: u64, signature: &[u8]) -> Self {
        Self::Drand {
            round,
            signature: super::hexstr::encode(signature),
        }
    }
}

/// One ticket of a draw, in leaf order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleEntry {
    pub user_commit: String,
    pub weight: u64,
    pub client_seed: String,
}

/// An audit bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    /// Always [`BUNDLE_FORMAT`].
    pub format: String,
    #[serde(rename = "type")]
    pub kind: BundleKind,
    pub log: LogSection,
    pub records: Vec<LoggedRecord>,
    pub beacon: BundleBeacon,
    /// The revealed server seed (hex), checked against the logged commitment.
    pub server_seed: String,
    /// A draw's tickets in leaf order (absent for a spin).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entries: Vec<BundleEntry>,
    /// A contest's rules and frozen standings (absent for a spin or a draw).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contest: Option<BundleContest>,
}

/// What a contest bundle adds: the exact rules text whose hash `CONTEST_OPEN` logged, and
/// every frozen standing in board order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleContest {
    pub rules: String,
    pub standings: Vec<BundleStanding>,
}

/// One frozen standing; see [`crate::contest::standing_leaf`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleStanding {
    /// The entrant's pseudonym in the contest.
    pub member: String,
    pub rank: u64,
    pub score: u64,
    /// Unix milliseconds.
    pub reached_at: u64,
    pub joined: u64,
}

/// Why a bundle could not be read or built.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BundleError {
    #[error("bundle is not valid JSON of fairbundle/v1: {0}")]
    Json(String),
    #[error("checkpoint: {0}")]
    Note(#[from] super::signed_note::NoteError),
    #[error("log: {0}")]
    Merkle(#[from] super::MerkleError),
    #[error("the checkpoint does not describe this log")]
    CheckpointMismatch,
    #[error("no leaf {0} in the log")]
    NoLeaf(u64),
    #[error("leaf {0} is not a fairlog/v1 record: {1}")]
    Record(u64, super::log::LogError),
}

impl Bundle {
    /// Reads a bundle from JSON text.
    pub fn from_json(text: &str) -> Result<Self, BundleError> {
        serde_json::from_str(text).map_err(|e| BundleError::Json(e.to_string()))
    }

    /// The bundle as pretty JSON text.
    pub fn to_json(&self) -> Result<String, BundleError> {
        serde_json::to_string_pretty(self).map_err(|e| BundleError::Json(e.to_string()))
    }
}
