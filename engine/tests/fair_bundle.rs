//! Audit bundles: valid spin and draw bundles pass every check, and each kind of tampering
//! fails exactly the check it concerns (checks relying on it are skipped, not failed).
#![allow(clippy::unwrap_used)]

#[path = "fair_fixture/mod.rs"]
mod fair_fixture;

use std::collections::BTreeSet;

use engine::fair::{Bundle, BundleBeacon, Report, Status, VerifierKey, sha256, verify_bundle};
use fair_fixture::*;

fn failed(r: &Report) -> BTreeSet<&str> {
    r.failed().into_iter().collect()
}

fn set<'a>(names: &[&'a str]) -> BTreeSet<&'a str> {
    names.iter().copied().collect()
}

fn check(b: &Bundle) -> Report {
    verify_bundle(b, Some(&test_key()))
}

const SPIN_CHECKS: [&str; 11] = [
    "checkpoint",
    "inclusion:WHEEL_CONFIG",
    "inclusion:SPIN_SEED_COMMIT",
    "inclusion:SPIN",
    "inclusion:SPIN_SEED_REVEAL",
    "records",
    "commitment",
    "beacon",
    "wheel",
    "seed",
    "outcome",
];
const DRAW_CHECKS: [&str; 11] = [
    "checkpoint",
    "inclusion:DRAW_OPEN",
    "inclusion:DRAW_CLOSE",
    "inclusion:DRAW_REVEAL",
    "inclusion:DRAW_RESULT",
    "records",
    "commitment",
    "beacon",
    "entries",
    "seed",
    "outcome",
];

#[test]
fn valid_bundles_pass_every_check() {
    let w = world(Options {
        beacon: true,
        ..Default::default()
    });
    for (b, names) in [
        (w.spin_bundle(), SPIN_CHECKS),
        (w.draw_bundle(), DRAW_CHECKS),
    ] {
        let r = check(&b);
        let got: Vec<&str> = r.checks.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(got, names);
        assert!(
            r.checks.iter().all(|c| c.status == Status::Passed),
            "{r:#?}"
        );
        assert!(r.ok());
        assert!(
            r.checks
                .iter()
                .all(|c| !c.meaning_en.is_empty() && !c.meaning_fa.is_empty())
        );
        // JSON round trip of the bundle.
        let text = b.to_json().unwrap();
        assert_eq!(Bundle::from_json(&text).unwrap(), b);
    }
}

#[test]
fn no_beacon_is_a_plain_warning() {
    let w = world(Options::default());
    for b in [w.spin_bundle(), w.draw_bundle()] {
        let r = check(&b);
        assert!(r.ok(), "{r:#?}");
        let beacon = r.checks.iter().find(|c| c.name == "beacon").unwrap();
        assert_eq!(beacon.status, Status::Warning);
        assert!(beacon.meaning_en.contains("P3 and P4 do not hold"));
        assert!(beacon.meaning_fa.contains("P3 و P4"));
        assert_eq!(
            r.checks
                .iter()
                .filter(|c| c.status != Status::Passed)
                .count(),
            1
        );
        assert!(b.to_json().unwrap().contains("\"mode\": \"none\""));
    }
}

#[test]
fn unpinned_or_other_key() {
    let w = world(Options {
        beacon: true,
        ..Default::default()
    });
    let b = w.spin_bundle();
    assert_eq!(
        verify_bundle(&b, None).status("checkpoint"),
        Some(Status::Warning)
    );
    let other = VerifierKey::from_seed(KEY_NAME, &sha256(b"other")).unwrap();
    let r = verify_bundle(&b, Some(&other));
    assert_eq!(failed(&r), set(&["checkpoint"]));
    // A bundle re-signed by another key, naming that key, against the pinned key.
    let mut resigned = b.clone();
    resigned.log.verifier_key = other.encode();
    assert_eq!(failed(&check(&resigned)), set(&["checkpoint"]));
}

fn spin() -> Bundle {
    world(Options {
        beacon: true,
        ..Default::default()
    })
    .spin_bundle()
}

fn draw() -> Bundle {
    world(Options {
        beacon: true,
        ..Default::default()
    })
    .draw_bundle()
}

#[test]
fn spin_tampering_fails_exactly_the_relevant_check() {
    let mut b = spin();
    edit_record(&mut b, "SPIN", "\"t\":1692803700", "\"t\":1692803701");
    let r = check(&b);
    assert_eq!(failed(&r), set(&["inclusion:SPIN"]));
    for n in ["commitment", "beacon", "wheel", "seed", "outcome"] {
        assert_eq!(r.status(n), Some(Status::Skipped), "{n}");
    }

    let mut b = spin();
    flip_hex(&mut b.records[0].proof[1], 5);
    let r = check(&b);
    assert_eq!(failed(&r), set(&["inclusion:WHEEL_CONFIG"]));
    assert_eq!(r.status("outcome"), Some(Status::Skipped));

    let mut b = spin();
    flip_hex(&mut b.server_seed, 0);
    let r = check(&b);
    assert_eq!(failed(&r), set(&["commitment"]));
    assert_eq!(r.status("seed"), Some(Status::Skipped));

    let mut b = spin();
    b.beacon = BundleBeacon::drand(124, &sig123());
    assert_eq!(failed(&check(&b)), set(&["beacon"]));

    let mut b = spin();
    let mut sig = sig123();
    sig[10] ^= 1;
    b.beacon = BundleBeacon::drand(123, &sig);
    assert_eq!(failed(&check(&b)), set(&["beacon"]));

    let mut b = spin();
    b.beacon = BundleBeacon::NoBeacon;
    assert_eq!(failed(&check(&b)), set(&["beacon"]));

    let mut b = spin();
    damage_checkpoint_signature(&mut b);
    assert_eq!(failed(&check(&b)), set(&["checkpoint"]));

    let forged = world(Options {
        beacon: true,
        forge_beacon: true,
        ..Default::default()
    });
    let r = check(&forged.spin_bundle());
    assert_eq!(failed(&r), set(&["beacon"]));
    assert_eq!(r.status("seed"), Some(Status::Skipped));

    let lie = world(Options {
        beacon: true,
        lie_segment: true,
        ..Default::default()
    });
    assert_eq!(failed(&check(&lie.spin_bundle())), set(&["outcome"]));
}

#[test]
fn draw_tampering_fails_exactly_the_relevant_check() {
    let mut b = draw();
    edit_record(
        &mut b,
        "DRAW_OPEN",
        "\"ticket_price\":100",
        "\"ticket_price\":1",
    );
    let r = check(&b);
    assert_eq!(failed(&r), set(&["inclusion:DRAW_OPEN"]));
    assert_eq!(r.status("entries"), Some(Status::Passed));
    for n in ["commitment", "beacon", "seed", "outcome"] {
        assert_eq!(r.status(n), Some(Status::Skipped), "{n}");
    }

    let mut b = draw();
    flip_hex(&mut b.records[1].proof[0], 63);
    assert_eq!(failed(&check(&b)), set(&["inclusion:DRAW_CLOSE"]));

    let mut b = draw();
    flip_hex(&mut b.server_seed, 10);
    assert_eq!(failed(&check(&b)), set(&["commitment"]));

    let mut b = draw();
    b.beacon = BundleBeacon::drand(122, &sig123());
    assert_eq!(failed(&check(&b)), set(&["beacon"]));

    let mut b = draw();
    let mut sig = sig123();
    sig[47] ^= 0x40;
    b.beacon = BundleBeacon::drand(123, &sig);
    assert_eq!(failed(&check(&b)), set(&["beacon"]));

    let mut b = draw();
    b.entries[2].weight += 1;
    let r = check(&b);
    assert_eq!(failed(&r), set(&["entries"]));
    assert_eq!(r.status("outcome"), Some(Status::Skipped));

    let mut b = draw();
    damage_checkpoint_signature(&mut b);
    assert_eq!(failed(&check(&b)), set(&["checkpoint"]));

    let lie = world(Options {
        beacon: true,
        lie_winners: true,
        ..Default::default()
    });
    assert_eq!(failed(&check(&lie.draw_bundle())), set(&["outcome"]));
}

#[test]
fn structural_problems_fail_records() {
    let mut b = draw();
    b.records.swap(1, 2);
    let r = check(&b);
    assert_eq!(
        failed(&r),
        set(&[]),
        "order of bundle entries does not matter: {r:#?}"
    );
    let mut b = draw();
    b.records.remove(3);
    let r = check(&b);
    assert!(failed(&r).contains("records"));
    let mut b = spin();
    b.format = "fairbundle/v0".into();
    assert_eq!(failed(&check(&b)), set(&["records"]));
}
