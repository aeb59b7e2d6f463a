//! Spin bundle checks: records, commitment, beacon, wheel, seed, outcome (segment).

use super::bundle::Bundle;
use super::bundle_report::{Builder, Res};
use super::bundle_verify::{Found, check_beacon, check_shape, first, logged_beacon};
use super::fairspin;
use super::hexstr;
use super::log::{Record, SpinRecord, SpinSeedCommit, SpinSeedReveal, WheelConfig};

const INC_SPIN: &str = "inclusion:SPIN";
const INC_COMMIT: &str = "inclusion:SPIN_SEED_COMMIT";
const INC_REVEAL: &str = "inclusion:SPIN_SEED_REVEAL";
const INC_WHEEL: &str = "inclusion:WHEEL_CONFIG";

/// The typed records of a spin bundle.
struct Parts<'a> {
    wheel: Option<(&'a Found, &'a WheelConfig)>,
    commit: Option<(&'a Found, &'a SpinSeedCommit)>,
    spin: Option<(&'a Found, &'a SpinRecord)>,
    reveal: Option<(&'a Found, &'a SpinSeedReveal)>,
}

fn parts(found: &[Found]) -> Parts<'_> {
    Parts {
        wheel: first(found, "WHEEL_CONFIG").and_then(|f| match &f.record {
            Record::WheelConfig(r) => Some((f, r)),
            _ => None,
        }),
        commit: first(found, "SPIN_SEED_COMMIT").and_then(|f| match &f.record {
            Record::SpinSeedCommit(r) => Some((f, r)),
            _ => None,
        }),
        spin: first(found, "SPIN").and_then(|f| match &f.record {
            Record::Spin(r) => Some((f, r)),
            _ => None,
        }),
        reveal: first(found, "SPIN_SEED_REVEAL").and_then(|f| match &f.record {
            Record::SpinSeedReveal(r) => Some((f, r)),
            _ => None,
        }),
    }
}

const MISSING: &str = "a record this check needs is missing";

pub(crate) fn checks(bundle: &Bundle, found: &[Found], b: &mut Builder) {
    let p = parts(found);
    b.push("records", records(bundle, found, &p));
    let mut needs = vec![INC_COMMIT, INC_SPIN];
    if p.reveal.is_some() {
        needs.push(INC_REVEAL);
    }
    b.run("commitment", &needs, || commitment(bundle, &p));
    b.run("beacon", &[INC_SPIN], || match p.spin {
        Some((_, s)) => check_beacon(bundle, &[s.round], &s.beacon_signature, s.t),
        None => Res::Fail(MISSING.into()),
    });
    b.run("wheel", &[INC_WHEEL, INC_SPIN], || wheel(&p));
    b.run("seed", &[INC_SPIN, "commitment", "beacon"], || {
        seed(bundle, &p)
    });
    b.run("outcome", &[INC_SPIN, "wheel"], || outcome(&p));
}

fn records(bundle: &Bundle, found: &[Found], p: &Parts<'_>) -> Res {
    let shape = check_shape(
        bundle,
        found,
        &["WHEEL_CONFIG", "SPIN_SEED_COMMIT", "SPIN"],
        &["SPIN_SEED_REVEAL"],
        &["SPIN_SEED_COMMIT", "SPIN", "SPIN_SEED_REVEAL"],
    );
    if let Err(e) = shape {
        return Res::Fail(e);
    }
    let (Some((wf, _)), Some((_, c)), Some((sf, s))) = (p.wheel, p.commit, p.spin) else {
        return Res::Fail(MISSING.into());
    };
    if wf.index >= sf.index {
        return Res::Fail("WHEEL_CONFIG is logged after SPIN".into());
    }
    if c.member != s.member || p.reveal.is_some_and(|(_, r)| r.member != s.member) {
        return Res::Fail("records name different members".into());
    }
    Res::Pass(format!(
        "wheel config, commitment and spin{} of member {}, in log order",
        if p.reveal.is_some() { ", reveal" } else { "" },
        s.member
    ))
}

fn commitment(bundle: &Bundle, p: &Parts<'_>) -> Res {
    let (Some((_, c)), Some((_, s))) = (p.commit, p.spin) else {
        return Res::Fail(MISSING.into());
    };
    let Some(seed) = hexstr::decode32(&bundle.server_seed) else {
        return Res::Fail("server seed is not 32-byte lowercase hex".into());
    };
    let commit = fairspin::server_commit(&seed);
    if commit != c.server_commit || commit != s.server_commit {
        return Res::Fail(
            "H(\"fairspin/v1/server-seed\" ‖ server_seed) is not the logged commitment".into(),
        );
    }
    if p.reveal
        .is_some_and(|(_, r)| r.server_seed != seed || r.server_commit != commit)
    {
        return Res::Fail("the logged reveal names another server seed".into());
    }
    Res::Pass(format!(
        "server seed matches commitment {}",
        hexstr::encode(&commit)
    ))
}

fn wheel(p: &Parts<'_>) -> Res {
    let (Some((_, w)), Some((_, s))) = (p.wheel, p.spin) else {
        return Res::Fail(MISSING.into());
    };
    match fairspin::wheel_hash(&w.segments) {
        Ok(h) if h == w.wheel_hash && h == s.wheel_hash => Res::Pass(format!(
            "wheel {} ({} segments) has the spin's wheel hash",
            w.wheel_id,
            w.segments.len()
        )),
        Ok(_) => Res::Fail("segments, WHEEL_CONFIG hash and SPIN wheel hash differ".into()),
        Err(e) => Res::Fail(e.to_string()),
    }
}

fn seed(bundle: &Bundle, p: &Parts<'_>) -> Res {
    let (Some((_, s)), Some(server_seed)) = (p.spin, hexstr::decode32(&bundle.server_seed)) else {
        return Res::Fail(MISSING.into());
    };
    let beacon = logged_beacon(s.round, &s.beacon_signature);
    match fairspin::seed(
        &s.wheel_hash,
        &server_seed,
        &s.client_seed,
        s.nonce,
        &beacon,
    ) {
        Ok(x) if x == s.seed => Res::Pass(format!("seed {}", hexstr::encode(&x))),
        Ok(x) => Res::Fail(format!(
            "recomputed seed {} is not the logged {}",
            hexstr::encode(&x),
            hexstr::encode(&s.seed)
        )),
        Err(e) => Res::Fail(e.to_string()),
    }
}

fn outcome(p: &Parts<'_>) -> Res {
    let (Some((_, w)), Some((_, s))) = (p.wheel, p.spin) else {
        return Res::Fail(MISSING.into());
    };
    match fairspin::segment(&s.seed, &w.segments) {
        Ok(i) if i as u64 == s.segment => Res::Pass(format!(
            "segment {i} ({})",
            w.segments.get(i).map_or("", |g| g.id.as_str())
        )),
        Ok(i) => Res::Fail(format!(
            "the seed selects segment {i}, the log says {}",
            s.segment
        )),
        Err(e) => Res::Fail(e.to_string()),
    }
}
