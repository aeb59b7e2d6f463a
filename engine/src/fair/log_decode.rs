//! Parsing `fairlog/v1` JSON into a [`Record`]. Field types are enforced here; canonical form
//! (key order, whitespace, escapes, no extra keys) is enforced by re-encoding in
//! [`Record::decode`].

use serde_json::{Map, Value};

use super::fairspin::Segment;
use super::log::{
    ContestOpen, ContestResult, DrawClose, DrawOpen, DrawResult, DrawReveal, FORMAT, LogError, Record, SpinRecord,
    RankedWinner, SpinSeedCommit, SpinSeedReveal, WheelConfig,
};
use super::{Hash, hexstr};

/// Typed access to the fields of one JSON object.
struct Obj<'a>(&'a Map<String, Value>);

fn bad(field: &'static str, why: &'static str) -> LogError {
    LogError::Field { field, why }
}

impl Obj<'_> {
    fn get(&self, f: &'static str) -> Result<&Value, LogError> {
        self.0.get(f).ok_or(bad(f, "missing"))
    }
    fn str(&self, f: &'static str) -> Result<String, LogError> {
        self.get(f)?
            .as_str()
            .map(str::to_owned)
            .ok_or(bad(f, "not a string"))
    }
    fn u64(&self, f: &'static str) -> Result<u64, LogError> {
        as_u64(self.get(f)?).ok_or(bad(f, "not an unsigned integer"))
    }
    fn bytes(&self, f: &'static str) -> Result<Vec<u8>, LogError> {
        let s = self.get(f)?.as_str().ok_or(bad(f, "not a string"))?;
        hexstr::decode(s).ok_or(bad(f, "not lowercase hex"))
    }
    fn h32(&self, f: &'static str) -> Result<Hash, LogError> {
        self.bytes(f)?
            .try_into()
            .map_err(|_| bad(f, "not 32 bytes"))
    }
    fn arr(&self, f: &'static str) -> Result<&Vec<Value>, LogError> {
        self.get(f)?.as_array().ok_or(bad(f, "not an array"))
    }
}

/// Integers only: a float such as `1.0` or `1e2` is refused even when it is whole.
fn as_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) if !n.is_f64() => n.as_u64(),
        _ => None,
    }
}

/// Parses record bytes into a typed record (not yet checked for canonical form).
pub(crate) fn parse(bytes: &[u8]) -> Result<Record, LogError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| LogError::Json(e.to_string()))?;
    let map = value.as_object().ok_or(LogError::NotObject)?;
    let o = Obj(map);
    if o.str("format")? != FORMAT {
        return Err(LogError::Format);
    }
    let kind = o.str("kind")?;
    Ok(match kind.as_str() {
        "DRAW_OPEN" => Record::DrawOpen(DrawOpen {
            draw_id: o.str("draw_id")?,
            prizes: o.u64("prizes")?,
            ticket_price: o.u64("ticket_price")?,
            per_member_limit: o.u64("per_member_limit")?,
            t_open: o.u64("t_open")?,
            t_close: o.u64("t_close")?,
            round: o.u64("round")?,
            server_commit: o.h32("server_commit")?,
        }),
        "DRAW_CLOSE" => Record::DrawClose(DrawClose {
            draw_id: o.str("draw_id")?,
            n: o.u64("n")?,
            w: o.u64("w")?,
            entries_root: o.h32("entries_root")?,
        }),
        "DRAW_REVEAL" => Record::DrawReveal(DrawReveal {
            draw_id: o.str("draw_id")?,
            server_seed: o.h32("server_seed")?,
        }),
        "DRAW_RESULT" => Record::DrawResult(DrawResult {
            draw_id: o.str("draw_id")?,
            round: o.u64("round")?,
            beacon_signature: o.bytes("beacon_signature")?,
            seed: o.h32("seed")?,
            winners: o
                .arr("winners")?
                .iter()
                .map(|v| as_u64(v).ok_or(bad("winners", "not unsigned integers")))
                .collect::<Result<_, _>>()?,
        }),
        "SPIN" => Record::Spin(SpinRecord {
            member: o.str("member")?,
            wheel_hash: o.h32("wheel_hash")?,
            server_commit: o.h32("server_commit")?,
            client_seed: o.bytes("client_seed")?,
            nonce: o.u64("nonce")?,
            t: o.u64("t")?,
            round: o.u64("round")?,
            beacon_signature: o.bytes("beacon_signature")?,
            seed: o.h32("seed")?,
            segment: o.u64("segment")?,
        }),
        "SPIN_SEED_COMMIT" => Record::SpinSeedCommit(SpinSeedCommit {
            member: o.str("member")?,
            server_commit: o.h32("server_commit")?,
        }),
        "SPIN_SEED_REVEAL" => Record::SpinSeedReveal(SpinSeedReveal {
            member: o.str("member")?,
            server_commit: o.h32("server_commit")?,
            server_seed: o.h32("server_seed")?,
        }),
        "WHEEL_CONFIG" => Record::WheelConfig(WheelConfig {
            wheel_id: o.str("wheel_id")?,
            segments: o
                .arr("segments")?
                .iter()
                .map(segment)
                .collect::<Result<_, _>>()?,
            wheel_hash: o.h32("wheel_hash")?,
        }),
        "CONTEST_OPEN" => Record::ContestOpen(ContestOpen {
            contest_id: o.str("contest_id")?,
            metric: o.str("metric")?,
            tie_rule: o.str("tie_rule")?,
            prize_mode: o.str("prize_mode")?,
            t_start: o.u64("t_start")?,
            t_end: o.u64("t_end")?,
            entry_fee: o.u64("entry_fee")?,
            min_score: o.u64("min_score")?,
            prizes: o.u64("prizes")?,
            rules_hash: o.h32("rules_hash")?,
        }),
        "CONTEST_RESULT" => Record::ContestResult(ContestResult {
            contest_id: o.str("contest_id")?,
            n: o.u64("n")?,
            standings_root: o.h32("standings_root")?,
            winners: o
                .arr("winners")?
                .iter()
                .map(ranked_winner)
                .collect::<Result<_, _>>()?,
        }),
        _ => return Err(LogError::UnknownKind(kind)),
    })
}

fn ranked_winner(v: &Value) -> Result<RankedWinner, LogError> {
    let o = Obj(v.as_object().ok_or(bad("winners", "not objects"))?);
    Ok(RankedWinner {
        member: o.str("member")?,
        rank: o.u64("rank")?,
        score: o.u64("score")?,
    })
}

fn segment(v: &Value) -> Result<Segment, LogError> {
    let o = Obj(v.as_object().ok_or(bad("segments", "not objects"))?);
    Ok(Segment {
        id: o.str("id")?,
        weight: o.u64("weight")?,
    })
}
