//! Draw bundle checks: records, commitment, beacon, entries (root, N, W), seed, outcome
//! (winners).

use super::bundle::{Bundle, BundleEntry};
use super::bundle_report::{Builder, Res};
use super::bundle_verify::{Found, check_beacon, check_shape, first, logged_beacon};
use super::fairdraw::{self, Close, Entry, SeedInput};
use super::fairdraw_winners::winners;
use super::log::{DrawClose, DrawOpen, DrawResult, DrawReveal, Record};
use super::{hexstr, sha256};

const INC_OPEN: &str = "inclusion:DRAW_OPEN";
const INC_CLOSE: &str = "inclusion:DRAW_CLOSE";
const INC_REVEAL: &str = "inclusion:DRAW_REVEAL";
const INC_RESULT: &str = "inclusion:DRAW_RESULT";
const MISSING: &str = "a record this check needs is missing";

/// The typed records of a draw bundle.
struct Parts<'a> {
    open: Option<(&'a Found, &'a DrawOpen)>,
    close: Option<&'a DrawClose>,
    reveal: Option<&'a DrawReveal>,
    result: Option<&'a DrawResult>,
}

fn parts(found: &[Found]) -> Parts<'_> {
    Parts {
        open: first(found, "DRAW_OPEN").and_then(|f| match &f.record {
            Record::DrawOpen(r) => Some((f, r)),
            _ => None,
        }),
        close: first(found, "DRAW_CLOSE").and_then(|f| match &f.record {
            Record::DrawClose(r) => Some(r),
            _ => None,
        }),
        reveal: first(found, "DRAW_REVEAL").and_then(|f| match &f.record {
            Record::DrawReveal(r) => Some(r),
            _ => None,
        }),
        result: first(found, "DRAW_RESULT").and_then(|f| match &f.record {
            Record::DrawResult(r) => Some(r),
            _ => None,
        }),
    }
}

pub(crate) fn checks(bundle: &Bundle, found: &[Found], b: &mut Builder) {
    let p = parts(found);
    b.push("records", records(bundle, found, &p));
    let mut needs = vec![INC_OPEN];
    if p.reveal.is_some() {
        needs.push(INC_REVEAL);
    }
    b.run("commitment", &needs, || commitment(bundle, &p));
    b.run("beacon", &[INC_OPEN, INC_RESULT], || {
        match (p.open, p.result) {
            (Some((_, o)), Some(r)) => {
                check_beacon(bundle, &[o.round, r.round], &r.beacon_signature, o.t_close)
            }
            _ => Res::Fail(MISSING.into()),
        }
    });
    let entries = parse_entries(&bundle.entries);
    b.run("entries", &[INC_CLOSE], || {
        entries_check(entries.as_deref(), &p)
    });
    b.run(
        "seed",
        &[INC_OPEN, INC_CLOSE, INC_RESULT, "commitment", "beacon"],
        || seed(bundle, &p),
    );
    b.run("outcome", &[INC_OPEN, INC_RESULT, "entries"], || {
        outcome(entries.as_deref(), &p)
    });
}

fn records(bundle: &Bundle, found: &[Found], p: &Parts<'_>) -> Res {
    let order = ["DRAW_OPEN", "DRAW_CLOSE", "DRAW_REVEAL", "DRAW_RESULT"];
    let shape = check_shape(
        bundle,
        found,
        &["DRAW_OPEN", "DRAW_CLOSE", "DRAW_RESULT"],
        &["DRAW_REVEAL"],
        &order,
    );
    if let Err(e) = shape {
        return Res::Fail(e);
    }
    let (Some((_, o)), Some(c), Some(r)) = (p.open, p.close, p.result) else {
        return Res::Fail(MISSING.into());
    };
    let id = &o.draw_id;
    if &c.draw_id != id || &r.draw_id != id || p.reveal.is_some_and(|v| &v.draw_id != id) {
        return Res::Fail("records name different draws".into());
    }
    Res::Pass(format!(
        "open, close, reveal and result of draw {id}, in log order"
    ))
}

fn commitment(bundle: &Bundle, p: &Parts<'_>) -> Res {
    let Some((_, o)) = p.open else {
        return Res::Fail(MISSING.into());
    };
    let Some(seed) = hexstr::decode32(&bundle.server_seed) else {
        return Res::Fail("server seed is not 32-byte lowercase hex".into());
    };
    let commit = fairdraw::server_commit(&seed);
    if commit != o.server_commit {
        return Res::Fail(
            "H(\"fairdraw/v1/server-seed\" ‖ server_seed) is not the logged commitment".into(),
        );
    }
    if p.reveal.is_some_and(|r| r.server_seed != seed) {
        return Res::Fail("the logged reveal names another server seed".into());
    }
    Res::Pass(format!(
        "server seed matches commitment {}",
        hexstr::encode(&commit)
    ))
}

fn parse_entries(entries: &[BundleEntry]) -> Option<Vec<Entry>> {
    entries
        .iter()
        .map(|e| {
            Some(Entry {
                user_commit: hexstr::decode32(&e.user_commit)?,
                weight: e.weight,
                client_seed: hexstr::decode32(&e.client_seed)?,
            })
        })
        .collect()
}

fn entries_check(entries: Option<&[Entry]>, p: &Parts<'_>) -> Res {
    let Some(c) = p.close else {
        return Res::Fail(MISSING.into());
    };
    let Some(entries) = entries else {
        return Res::Fail("an entry has a malformed user commit or client seed".into());
    };
    match fairdraw::close(&c.draw_id, entries) {
        Ok(got) if got.entries_root == c.entries_root && got.n == c.n && got.w == c.w => Res::Pass(
            format!("{} entries, total weight {}, root matches", got.n, got.w),
        ),
        Ok(got) => Res::Fail(format!(
            "entries give N {} W {} root {}; the log says N {} W {} root {}",
            got.n,
            got.w,
            hexstr::encode(&got.entries_root),
            c.n,
            c.w,
            hexstr::encode(&c.entries_root)
        )),
        Err(e) => Res::Fail(e.to_string()),
    }
}

fn seed(bundle: &Bundle, p: &Parts<'_>) -> Res {
    let (Some((of, o)), Some(c), Some(r)) = (p.open, p.close, p.result) else {
        return Res::Fail(MISSING.into());
    };
    let Some(server_seed) = hexstr::decode32(&bundle.server_seed) else {
        return Res::Fail("server seed is not 32-byte lowercase hex".into());
    };
    let input = SeedInput {
        draw_id: &o.draw_id,
        open_record_hash: sha256(&of.bytes),
        close: Close {
            n: c.n,
            w: c.w,
            entries_root: c.entries_root,
        },
        server_seed,
        beacon: logged_beacon(r.round, &r.beacon_signature),
    };
    match fairdraw::seed(&input) {
        Ok(x) if x == r.seed => Res::Pass(format!("seed {}", hexstr::encode(&x))),
        Ok(x) => Res::Fail(format!(
            "recomputed seed {} is not the logged {}",
            hexstr::encode(&x),
            hexstr::encode(&r.seed)
        )),
        Err(e) => Res::Fail(e.to_string()),
    }
}

fn outcome(entries: Option<&[Entry]>, p: &Parts<'_>) -> Res {
    let (Some((_, o)), Some(r), Some(entries)) = (p.open, p.result, entries) else {
        return Res::Fail(MISSING.into());
    };
    let Ok(k) = usize::try_from(o.prizes) else {
        return Res::Fail("prize count does not fit this machine".into());
    };
    match winners(&r.seed, entries, k) {
        Ok(w) if w.iter().map(|&i| i as u64).eq(r.winners.iter().copied()) => {
            Res::Pass(format!("winners {w:?}"))
        }
        Ok(w) => Res::Fail(format!(
            "the seed selects winners {w:?}, the log says {:?}",
            r.winners
        )),
        Err(e) => Res::Fail(e.to_string()),
    }
}
