//! Records made from engine values, so the app logs exactly what the engine computed.

use super::FairError;
use super::fairdraw::Close;
use super::fairdraw_verify::DrawOutcome;
use super::fairspin::{self, Segment, Spin, SpinOutcome};
use super::log::{DrawClose, DrawResult, SpinRecord, WheelConfig};

impl WheelConfig {
    /// A wheel configuration with its computed `wheel_hash`.
    pub fn new(wheel_id: &str, segments: Vec<Segment>) -> Result<Self, FairError> {
        Ok(Self {
            wheel_id: wheel_id.to_owned(),
            wheel_hash: fairspin::wheel_hash(&segments)?,
            segments,
        })
    }
}

impl SpinRecord {
    /// The record of a spin: `t` is the request time, `beacon_signature` the drand signature
    /// of `spin.beacon.round` (empty without a beacon).
    pub fn new(
        member: &str,
        spin: &Spin<'_>,
        outcome: &SpinOutcome,
        t: u64,
        beacon_signature: &[u8],
    ) -> Self {
        Self {
            member: member.to_owned(),
            wheel_hash: outcome.wheel_hash,
            server_commit: fairspin::server_commit(&spin.server_seed),
            client_seed: spin.client_seed.to_vec(),
            nonce: spin.nonce,
            t,
            round: spin.beacon.round,
            beacon_signature: beacon_signature.to_vec(),
            seed: outcome.seed,
            segment: outcome.segment as u64,
        }
    }
}

impl DrawClose {
    pub fn new(draw_id: &str, close: &Close) -> Self {
        Self {
            draw_id: draw_id.to_owned(),
            n: close.n,
            w: close.w,
            entries_root: close.entries_root,
        }
    }
}

impl DrawResult {
    /// The result record of a run draw; `beacon_signature` is empty without a beacon.
    pub fn new(draw_id: &str, round: u64, beacon_signature: &[u8], outcome: &DrawOutcome) -> Self {
        Self {
            draw_id: draw_id.to_owned(),
            round,
            beacon_signature: beacon_signature.to_vec(),
            seed: outcome.seed,
            winners: outcome.winners.iter().map(|&w| w as u64).collect(),
        }
    }
}
