//! `fairlog/v1` records: one typed enum, one canonical encoder ([`Record::encode`]) and a
//! decoder that refuses anything but the canonical bytes ([`Record::decode`]). The canonical
//! bytes are the RFC 6962 leaf of the log.
//!
//! Every record is a JSON object with `"format":"fairlog/v1"` and `"kind"`; byte strings are
//! lowercase hex, numbers are unsigned integers, keys are sorted, there is no whitespace.

use thiserror::Error;

use super::fairspin::Segment;
use super::log_canon::Canon;
use super::{Hash, merkle, sha256};

/// The `format` field of every record.
pub const FORMAT: &str = "fairlog/v1";

/// Why record bytes were refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LogError {
    #[error("record is not JSON: {0}")]
    Json(String),
    #[error("record is not a JSON object")]
    NotObject,
    #[error("record format is not fairlog/v1")]
    Format,
    #[error("unknown record kind {0:?}")]
    UnknownKind(String),
    #[error("field {field:?}: {why}")]
    Field {
        field: &'static str,
        why: &'static str,
    },
    #[error("record bytes are not the canonical encoding")]
    NotCanonical,
}

/// `DRAW_OPEN`: the draw's rules, times, pinned beacon round (0 = no beacon) and commitment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawOpen {
    pub draw_id: String,
    /// Number of prizes `k`.
    pub prizes: u64,
    pub ticket_price: u64,
    pub per_member_limit: u64,
    /// Unix seconds.
    pub t_open: u64,
    pub t_close: u64,
    /// Pinned drand round `R`, 0 for `beacon = none`.
    pub round: u64,
    pub server_commit: Hash,
}

/// `DRAW_CLOSE`: `N`, `W` and the entries root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawClose {
    pub draw_id: String,
    pub n: u64,
    pub w: u64,
    pub entries_root: Hash,
}

/// `DRAW_REVEAL`: the server seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawReveal {
    pub draw_id: String,
    pub server_seed: [u8; 32],
}

/// `DRAW_RESULT`: beacon round and signature (empty for none), seed and winning leaf indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawResult {
    pub draw_id: String,
    pub round: u64,
    pub beacon_signature: Vec<u8>,
    pub seed: Hash,
    pub winners: Vec<u64>,
}

/// `SPIN`: one spin, written with the points charge and the prize grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpinRecord {
    /// Member pseudonym.
    pub member: String,
    pub wheel_hash: Hash,
    pub server_commit: Hash,
    pub client_seed: Vec<u8>,
    pub nonce: u64,
    /// Request time, Unix seconds (the pinned round must come after it).
    pub t: u64,
    /// drand round, 0 for none.
    pub round: u64,
    pub beacon_signature: Vec<u8>,
    pub seed: Hash,
    /// Winning segment index.
    pub segment: u64,
}

/// `SPIN_SEED_COMMIT`: a member's new server seed commitment, logged before its first spin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpinSeedCommit {
    pub member: String,
    pub server_commit: Hash,
}

/// `SPIN_SEED_REVEAL`: the rotated-out server seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpinSeedReveal {
    pub member: String,
    pub server_commit: Hash,
    pub server_seed: [u8; 32],
}

/// `WHEEL_CONFIG`: segments in display order and their `wheel_hash`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WheelConfig {
    pub wheel_id: String,
    pub segments: Vec<Segment>,
    pub wheel_hash: Hash,
}

/// `CONTEST_OPEN`: a contest's rules, logged before it starts, with the hash of all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContestOpen {
    pub contest_id: String,
    pub metric: String,
    pub tie_rule: String,
    pub prize_mode: String,
    /// Unix seconds.
    pub t_start: u64,
    pub t_end: u64,
    pub entry_fee: u64,
    pub min_score: u64,
    /// Every prize line's count together.
    pub prizes: u64,
    /// `H("contest/v1/rules" ‖ rules JSON)`.
    pub rules_hash: Hash,
}

/// One prize winner of a contest by rank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankedWinner {
    /// The entrant's pseudonym in this contest.
    pub member: String,
    pub rank: u64,
    pub score: u64,
}

/// `CONTEST_RESULT`: the frozen standings (their count and root) and who won by rank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContestResult {
    pub contest_id: String,
    pub n: u64,
    pub standings_root: Hash,
    pub winners: Vec<RankedWinner>,
}

/// A `fairlog/v1` record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    DrawOpen(DrawOpen),
    DrawClose(DrawClose),
    DrawReveal(DrawReveal),
    DrawResult(DrawResult),
    Spin(SpinRecord),
    SpinSeedCommit(SpinSeedCommit),
    SpinSeedReveal(SpinSeedReveal),
    WheelConfig(WheelConfig),
    ContestOpen(ContestOpen),
    ContestResult(ContestResult),
}

impl Record {
    /// The `kind` field.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::DrawOpen(_) => "DRAW_OPEN",
            Self::DrawClose(_) => "DRAW_CLOSE",
            Self::DrawReveal(_) => "DRAW_REVEAL",
            Self::DrawResult(_) => "DRAW_RESULT",
            Self::Spin(_) => "SPIN",
            Self::SpinSeedCommit(_) => "SPIN_SEED_COMMIT",
            Self::SpinSeedReveal(_) => "SPIN_SEED_REVEAL",
            Self::WheelConfig(_) => "WHEEL_CONFIG",
            Self::ContestOpen(_) => "CONTEST_OPEN",
            Self::ContestResult(_) => "CONTEST_RESULT",
        }
    }

    /// The canonical bytes: the RFC 6962 leaf.
    pub fn encode(&self) -> Vec<u8> {
        self.encode_string().into_bytes()
    }

    /// The canonical bytes as text (they are UTF-8).
    pub fn encode_string(&self) -> String {
        let mut fields = self.fields();
        fields.push(("format", Canon::str(FORMAT)));
        fields.push(("kind", Canon::str(self.kind())));
        let mut out = String::new();
        Canon::Obj(fields).write(&mut out);
        out
    }

    /// Parses record bytes and refuses them unless they are exactly the canonical encoding
    /// (re-encoded and compared byte for byte).
    pub fn decode(bytes: &[u8]) -> Result<Self, LogError> {
        let record = super::log_decode::parse(bytes)?;
        if record.encode() == bytes {
            Ok(record)
        } else {
            Err(LogError::NotCanonical)
        }
    }

    /// RFC 6962 leaf hash of the canonical bytes.
    pub fn leaf_hash(&self) -> Hash {
        merkle::leaf_hash(&self.encode())
    }

    /// `H(record bytes)`, e.g. the `H(DRAW_OPEN record bytes)` of the draw seed.
    pub fn hash(&self) -> Hash {
        sha256(&self.encode())
    }

    fn fields(&self) -> Vec<(&'static str, Canon)> {
        let s = Canon::str;
        let b = Canon::bytes;
        match self {
            Self::DrawOpen(r) => vec![
                ("draw_id", s(&r.draw_id)),
                ("prizes", Canon::U64(r.prizes)),
                ("ticket_price", Canon::U64(r.ticket_price)),
                ("per_member_limit", Canon::U64(r.per_member_limit)),
                ("t_open", Canon::U64(r.t_open)),
                ("t_close", Canon::U64(r.t_close)),
                ("round", Canon::U64(r.round)),
                ("server_commit", b(&r.server_commit)),
            ],
            Self::DrawClose(r) => vec![
                ("draw_id", s(&r.draw_id)),
                ("n", Canon::U64(r.n)),
                ("w", Canon::U64(r.w)),
                ("entries_root", b(&r.entries_root)),
            ],
            Self::DrawReveal(r) => vec![
                ("draw_id", s(&r.draw_id)),
                ("server_seed", b(&r.server_seed)),
            ],
            Self::DrawResult(r) => vec![
                ("draw_id", s(&r.draw_id)),
                ("round", Canon::U64(r.round)),
                ("beacon_signature", b(&r.beacon_signature)),
                ("seed", b(&r.seed)),
                (
                    "winners",
                    Canon::Arr(r.winners.iter().map(|&w| Canon::U64(w)).collect()),
                ),
            ],
            Self::Spin(r) => vec![
                ("member", s(&r.member)),
                ("wheel_hash", b(&r.wheel_hash)),
                ("server_commit", b(&r.server_commit)),
                ("client_seed", b(&r.client_seed)),
                ("nonce", Canon::U64(r.nonce)),
                ("t", Canon::U64(r.t)),
                ("round", Canon::U64(r.round)),
                ("beacon_signature", b(&r.beacon_signature)),
                ("seed", b(&r.seed)),
                ("segment", Canon::U64(r.segment)),
            ],
            Self::SpinSeedCommit(r) => vec![
                ("member", s(&r.member)),
                ("server_commit", b(&r.server_commit)),
            ],
            Self::SpinSeedReveal(r) => vec![
                ("member", s(&r.member)),
                ("server_commit", b(&r.server_commit)),
                ("server_seed", b(&r.server_seed)),
            ],
            Self::WheelConfig(r) => vec![
                ("wheel_id", s(&r.wheel_id)),
                (
                    "segments",
                    Canon::Arr(
                        r.segments
                            .iter()
                            .map(|g| {
                                Canon::Obj(vec![("id", s(&g.id)), ("weight", Canon::U64(g.weight))])
                            })
                            .collect(),
                    ),
                ),
                ("wheel_hash", b(&r.wheel_hash)),
            ],
            Self::ContestOpen(r) => vec![
                ("contest_id", s(&r.contest_id)),
                ("metric", s(&r.metric)),
                ("tie_rule", s(&r.tie_rule)),
                ("prize_mode", s(&r.prize_mode)),
                ("t_start", Canon::U64(r.t_start)),
                ("t_end", Canon::U64(r.t_end)),
                ("entry_fee", Canon::U64(r.entry_fee)),
                ("min_score", Canon::U64(r.min_score)),
                ("prizes", Canon::U64(r.prizes)),
                ("rules_hash", b(&r.rules_hash)),
            ],
            Self::ContestResult(r) => vec![
                ("contest_id", s(&r.contest_id)),
                ("n", Canon::U64(r.n)),
                ("standings_root", b(&r.standings_root)),
                (
                    "winners",
                    Canon::Arr(
                        r.winners
                            .iter()
                            .map(|w| {
                                Canon::Obj(vec![
                                    ("member", s(&w.member)),
                                    ("rank", Canon::U64(w.rank)),
                                    ("score", Canon::U64(w.score)),
                                ])
                            })
                            .collect(),
                    ),
                ),
            ],
        }
    }
}
