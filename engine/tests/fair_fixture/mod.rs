//! A small `fairlog/v1` log with one spin and one draw, signed with a fixed TEST key, shared
//! by the bundle tests and the vector generator (`#[path]`-included by both).
//! The test key seed is public: never use it outside tests.
#![allow(dead_code)]

use engine::fair::bundle::Bundle;
use engine::fair::bundle_build::{BundleInputs, draw_bundle, sign_log, spin_bundle};
use engine::fair::fairdraw::{Entry, server_commit as draw_commit, user_commit};
use engine::fair::fairdraw_verify::{Draw, run};
use engine::fair::fairspin::{self, Segment, Spin};
use engine::fair::log::{
    DrawClose, DrawOpen, DrawResult, DrawReveal, SpinRecord, SpinSeedCommit, SpinSeedReveal,
    WheelConfig,
};
use engine::fair::{Beacon, BundleBeacon, Hash, MemoryLog, Record, VerifierKey, sha256};

pub const SIG_123: &str = "b75c69d0b72a5d906e854e808ba7e2accb1542ac355ae486d591aa9d43765482e26cd02df835d3546d23c4b13e0dfc92";
pub const ORIGIN: &str = "bashgah.example/fairlog/test";
pub const KEY_NAME: &str = "bashgah.example/fairlog/test";
pub const MEMBER: &str = "m-7f3a9c";
pub const DRAW_ID: &str = "draw-2026-bundle";

pub fn h(s: &str) -> Hash {
    sha256(s.as_bytes())
}

/// The TEST log key seed: `H("bashgah fairlog TEST key - never use in production")`.
pub fn test_seed() -> [u8; 32] {
    h("bashgah fairlog TEST key - never use in production")
}

pub fn test_key() -> VerifierKey {
    VerifierKey::from_seed(KEY_NAME, &test_seed()).expect("valid name")
}

pub fn sig123() -> Vec<u8> {
    hex::decode(SIG_123).expect("hex")
}

pub fn toy_wheel() -> Vec<Segment> {
    [
        ("p100", 50),
        ("p500", 20),
        ("coupon-cafe", 15),
        ("try-again", 14),
        ("jackpot", 1),
    ]
    .iter()
    .map(|&(id, weight)| Segment {
        id: id.into(),
        weight,
    })
    .collect()
}

/// The published toy draw's six tickets, under this fixture's draw id.
pub fn toy_entries() -> Vec<Entry> {
    let m = |name: &str, b: u8, w: u64, cs: &str| Entry {
        user_commit: user_commit(DRAW_ID, name, &[b; 16]).expect("short"),
        weight: w,
        client_seed: h(cs),
    };
    vec![
        m("alice", 1, 5, "alice-cs"),
        m("bob", 2, 1, "bob-cs"),
        m("carol", 3, 3, "carol-cs"),
        m("alice", 1, 2, "alice-cs2"),
        m("dave", 4, 8, "dave-cs"),
        m("erin", 5, 1, "erin-cs"),
    ]
}

/// How the operator behaves when logging.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Use drand round 123 (else beacon none).
    pub beacon: bool,
    /// Log a segment other than the one the seed selects.
    pub lie_segment: bool,
    /// Log the winners in another order.
    pub lie_winners: bool,
    /// Log (and bundle) a round-123 signature with one byte changed, consistently.
    pub forge_beacon: bool,
}

/// The beacon signature the operator uses.
fn signature(o: &Options) -> Vec<u8> {
    let mut sig = sig123();
    if o.forge_beacon {
        sig[20] ^= 1;
    }
    sig
}

pub struct World {
    pub log: MemoryLog,
    pub note: String,
    pub key: VerifierKey,
    pub spin_indices: Vec<u64>,
    pub draw_indices: Vec<u64>,
    pub spin_server_seed: [u8; 32],
    pub draw_server_seed: [u8; 32],
    pub entries: Vec<Entry>,
    pub beacon: BundleBeacon,
}

pub fn world(o: Options) -> World {
    let (beacon, sig, round) = if o.beacon {
        (
            Beacon::from_signature(123, &signature(&o)),
            signature(&o),
            123,
        )
    } else {
        (Beacon::NONE, Vec::new(), 0)
    };
    let spin_seed = h("bundle spin server seed - TEST");
    let draw_seed = h("bundle draw server seed - TEST");
    let mut log = MemoryLog::new();
    let wheel = WheelConfig::new("wheel-main", toy_wheel()).expect("wheel");
    let i_wheel = log.append(&Record::WheelConfig(wheel));
    let i_commit = log.append(&Record::SpinSeedCommit(SpinSeedCommit {
        member: MEMBER.into(),
        server_commit: fairspin::server_commit(&spin_seed),
    }));
    // time(123) = 1692803733: the draw closes and the spin is requested before it.
    let open = Record::DrawOpen(DrawOpen {
        draw_id: DRAW_ID.into(),
        prizes: 3,
        ticket_price: 100,
        per_member_limit: 5,
        t_open: 1_692_800_000,
        t_close: 1_692_803_600,
        round,
        server_commit: draw_commit(&draw_seed),
    });
    let i_open = log.append(&open);
    log.append(&Record::SpinSeedCommit(SpinSeedCommit {
        member: "m-other".into(),
        server_commit: fairspin::server_commit(&h("other member seed")),
    }));
    let segments = toy_wheel();
    let spin = Spin {
        segments: &segments,
        server_seed: spin_seed,
        client_seed: b"member-chosen-seed",
        nonce: 0,
        beacon,
    };
    let out = fairspin::spin(&spin).expect("spin");
    let mut rec = SpinRecord::new(MEMBER, &spin, &out, 1_692_803_700, &sig);
    if o.lie_segment {
        rec.segment = (rec.segment + 1) % segments.len() as u64;
    }
    let i_spin = log.append(&Record::Spin(rec));
    let entries = toy_entries();
    let outcome = run(&Draw {
        draw_id: DRAW_ID,
        open_record_hash: open.hash(),
        server_seed: draw_seed,
        beacon,
        k: 3,
        entries: &entries,
    })
    .expect("draw");
    let i_close = log.append(&Record::DrawClose(DrawClose::new(DRAW_ID, &outcome.close)));
    let i_reveal = log.append(&Record::DrawReveal(DrawReveal {
        draw_id: DRAW_ID.into(),
        server_seed: draw_seed,
    }));
    let mut result = DrawResult::new(DRAW_ID, round, &sig, &outcome);
    if o.lie_winners {
        result.winners.reverse();
    }
    let i_result = log.append(&Record::DrawResult(result));
    let i_spin_reveal = log.append(&Record::SpinSeedReveal(SpinSeedReveal {
        member: MEMBER.into(),
        server_commit: fairspin::server_commit(&spin_seed),
        server_seed: spin_seed,
    }));
    log.append(&Record::WheelConfig(
        WheelConfig::new(
            "wheel-weekend",
            vec![Segment {
                id: "x".into(),
                weight: 1,
            }],
        )
        .expect("wheel"),
    ));
    let note = sign_log(&log, ORIGIN, &test_seed(), KEY_NAME).expect("sign");
    World {
        log,
        note,
        key: test_key(),
        spin_indices: vec![i_wheel, i_commit, i_spin, i_spin_reveal],
        draw_indices: vec![i_open, i_close, i_reveal, i_result],
        spin_server_seed: spin_seed,
        draw_server_seed: draw_seed,
        entries,
        beacon: if o.beacon {
            BundleBeacon::drand(123, &signature(&o))
        } else {
            BundleBeacon::NoBeacon
        },
    }
}

impl World {
    fn inputs<'a>(&'a self, indices: &'a [u64], server_seed: [u8; 32]) -> BundleInputs<'a> {
        BundleInputs {
            log: &self.log,
            note: &self.note,
            key: &self.key,
            indices,
            beacon: self.beacon.clone(),
            server_seed,
        }
    }

    pub fn spin_bundle(&self) -> Bundle {
        spin_bundle(&self.inputs(&self.spin_indices, self.spin_server_seed)).expect("bundle")
    }

    pub fn draw_bundle(&self) -> Bundle {
        draw_bundle(
            &self.inputs(&self.draw_indices, self.draw_server_seed),
            &self.entries,
        )
        .expect("bundle")
    }
}

/// Replaces the first occurrence of `from` in the record of `kind`.
pub fn edit_record(b: &mut Bundle, kind: &str, from: &str, to: &str) {
    let r = b
        .records
        .iter_mut()
        .find(|r| r.record.contains(&format!("\"kind\":\"{kind}\"")))
        .expect("record of kind");
    assert!(r.record.contains(from), "{from} in {}", r.record);
    r.record = r.record.replacen(from, to, 1);
}

/// Flips one hex digit of a hex string at `at`.
pub fn flip_hex(s: &mut String, at: usize) {
    let c = s.as_bytes()[at];
    let n = if c == b'0' { '1' } else { '0' };
    s.replace_range(at..=at, &n.to_string());
}

/// Damages the signature bytes of the checkpoint note's last signature line.
pub fn damage_checkpoint_signature(b: &mut Bundle) {
    let note = &b.log.checkpoint;
    let line_start = note[..note.len() - 1].rfind('\n').expect("sig line") + 1;
    let sig_at = line_start + note[line_start..].rfind(' ').expect("space") + 1;
    // Character 20 of the base64 blob is inside the signature, past the 4-byte key ID.
    let at = sig_at + 20;
    let c = note.as_bytes()[at];
    let n = if c == b'A' { "B" } else { "A" };
    b.log.checkpoint.replace_range(at..=at, n);
}
