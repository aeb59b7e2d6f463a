//! `verify(bundle, pinned log key) -> Report`: every check of an audit bundle, each named and
//! reported on its own (see [`super::bundle_report`]). Pure: no IO, no clock; the drand
//! signature is checked against the pinned quicknet key compiled into the engine.
//!
//! Common checks live here (checkpoint signature, inclusion of each record, beacon); the
//! spin and draw specific ones in `bundle_verify_spin` and `bundle_verify_draw`.

use super::beacon::round_time;
use super::bundle::{Bundle, BundleBeacon, BundleKind};
use super::bundle_report::{Builder, Report, Res};
use super::checkpoint::{self, Checkpoint};
use super::drand::verify_quicknet;
use super::log::Record;
use super::merkle::leaf_hash;
use super::merkle_verify::verify_inclusion;
use super::signed_note::VerifierKey;
use super::{Beacon, Hash, hexstr};

/// A decoded record of the bundle with its leaf index and bytes.
pub(crate) struct Found {
    pub index: u64,
    pub record: Record,
    pub bytes: Vec<u8>,
}

/// Verifies a bundle. With `pinned`, the checkpoint must be signed by exactly that key;
/// without it the bundle's own key is used and the checkpoint check is only a warning.
pub fn verify(bundle: &Bundle, pinned: Option<&VerifierKey>) -> Report {
    let mut b = Builder::new(bundle.kind);
    let (res, cp) = check_checkpoint(bundle, pinned);
    b.push("checkpoint", res);
    let found = check_inclusions(bundle, cp.as_ref(), &mut b);
    match bundle.kind {
        BundleKind::Spin => super::bundle_verify_spin::checks(bundle, &found, &mut b),
        BundleKind::Draw => super::bundle_verify_draw::checks(bundle, &found, &mut b),
        BundleKind::Contest => super::bundle_verify_contest::checks(bundle, &found, &mut b),
    }
    b.finish()
}

/// Reads and verifies a bundle given as JSON text.
pub fn verify_json(
    text: &str,
    pinned: Option<&VerifierKey>,
) -> Result<Report, super::bundle::BundleError> {
    Ok(verify(&Bundle::from_json(text)?, pinned))
}

fn check_checkpoint(bundle: &Bundle, pinned: Option<&VerifierKey>) -> (Res, Option<Checkpoint>) {
    let note = &bundle.log.checkpoint;
    let unverified = || checkpoint::parse_unverified(note).ok();
    let own = match VerifierKey::parse(&bundle.log.verifier_key) {
        Ok(k) => k,
        Err(e) => return (Res::Fail(format!("bundle log key: {e}")), unverified()),
    };
    if pinned.is_some_and(|p| p != &own) {
        return (
            Res::Fail(format!(
                "the bundle's log key {} is not the pinned log key",
                own.encode()
            )),
            unverified(),
        );
    }
    match checkpoint::verify_with(note, &own) {
        Ok(cp) => {
            let what = format!("signed by {}: tree size {}", own.name, cp.size);
            let res = if pinned.is_some() {
                Res::Pass(what)
            } else {
                Res::Warn(format!("{what}; the key is not pinned"))
            };
            (res, Some(cp))
        }
        Err(e) => (Res::Fail(e.to_string()), unverified()),
    }
}

fn check_inclusions(bundle: &Bundle, cp: Option<&Checkpoint>, b: &mut Builder) -> Vec<Found> {
    let mut found = Vec::new();
    for r in &bundle.records {
        let bytes = r.record.as_bytes();
        let decoded = Record::decode(bytes);
        let name = match &decoded {
            Ok(rec) => format!("inclusion:{}", rec.kind()),
            Err(_) => format!("inclusion:#{}", r.index),
        };
        let res = inclusion(r.index, bytes, &r.proof, cp);
        let res = match (&decoded, res) {
            (Err(e), _) => Res::Fail(format!(
                "leaf {}: not a canonical fairlog/v1 record: {e}",
                r.index
            )),
            (Ok(_), res) => res,
        };
        b.push(&name, res);
        if let Ok(record) = decoded {
            found.push(Found {
                index: r.index,
                record,
                bytes: bytes.to_vec(),
            });
        }
    }
    found
}

fn inclusion(index: u64, leaf: &[u8], proof: &[String], cp: Option<&Checkpoint>) -> Res {
    let Some(cp) = cp else {
        return Res::Fail("no readable checkpoint to prove inclusion against".into());
    };
    let Some(proof) = proof
        .iter()
        .map(|p| hexstr::decode32(p))
        .collect::<Option<Vec<Hash>>>()
    else {
        return Res::Fail("a proof hash is not 32-byte lowercase hex".into());
    };
    match verify_inclusion(&leaf_hash(leaf), index, cp.size, &proof, &cp.root) {
        Ok(()) => Res::Pass(format!(
            "leaf {index} of {} under the checkpoint root",
            cp.size
        )),
        Err(e) => Res::Fail(format!("leaf {index}: {e}")),
    }
}

/// The beacon as logged: round 0 means none.
pub(crate) fn logged_beacon(round: u64, signature: &[u8]) -> Beacon {
    if round == 0 {
        Beacon::NONE
    } else {
        Beacon::from_signature(round, signature)
    }
}

/// Checks the bundle's beacon against the logged round and signature and the pinned drand
/// key; `after` is a time (spin request or draw close) the round must come after.
pub(crate) fn check_beacon(bundle: &Bundle, rounds: &[u64], signature: &[u8], after: u64) -> Res {
    match &bundle.beacon {
        BundleBeacon::NoBeacon => {
            if rounds.iter().all(|&r| r == 0) && signature.is_empty() {
                Res::Warn("beacon none: R = 0, rho = 32 zero bytes".into())
            } else {
                Res::Fail("the bundle says no beacon, but the log names a beacon round".into())
            }
        }
        BundleBeacon::Drand {
            round,
            signature: sig_hex,
        } => {
            let Some(sig) = hexstr::decode(sig_hex) else {
                return Res::Fail("beacon signature is not lowercase hex".into());
            };
            if *round == 0 || rounds.iter().any(|r| r != round) || sig != signature {
                return Res::Fail(format!(
                    "round {round} or its signature differs from the logged beacon"
                ));
            }
            if verify_quicknet(*round, &sig).is_err() {
                return Res::Fail(format!(
                    "round {round}: signature does not verify against the drand quicknet key"
                ));
            }
            match round_time(*round) {
                Ok(t) if t > after => Res::Pass(format!(
                    "drand quicknet round {round} verifies; published at {t}, after {after}"
                )),
                _ => Res::Fail(format!("round {round} was published before time {after}")),
            }
        }
    }
}

/// The first decoded record of a kind.
pub(crate) fn first<'a>(found: &'a [Found], kind: &str) -> Option<&'a Found> {
    found.iter().find(|f| f.record.kind() == kind)
}

/// Checks the common shape: format, required kinds exactly once, optional at most once,
/// nothing else, every record decodable, and the given kinds in strictly increasing leaf
/// order.
pub(crate) fn check_shape(
    bundle: &Bundle,
    found: &[Found],
    required: &[&str],
    optional: &[&str],
    order: &[&str],
) -> Result<(), String> {
    if bundle.format != super::bundle::BUNDLE_FORMAT {
        return Err(format!("format is {:?}, not fairbundle/v1", bundle.format));
    }
    if found.len() != bundle.records.len() {
        return Err("a record is not a canonical fairlog/v1 record".into());
    }
    for f in found {
        let kind = f.record.kind();
        let count = found.iter().filter(|g| g.record.kind() == kind).count();
        if !required.contains(&kind) && !optional.contains(&kind) {
            return Err(format!("unexpected {kind} record"));
        }
        if count > 1 {
            return Err(format!("{kind} appears {count} times"));
        }
    }
    if let Some(k) = required.iter().find(|k| first(found, k).is_none()) {
        return Err(format!("no {k} record"));
    }
    let indices: Vec<(u64, &str)> = order
        .iter()
        .filter_map(|k| first(found, k).map(|f| (f.index, *k)))
        .collect();
    if let Some(w) = indices.windows(2).find(|w| w[0].0 >= w[1].0) {
        return Err(format!("{} is logged after {}", w[0].1, w[1].1));
    }
    Ok(())
}
