//! The wheel played as the server plays it, checked as an auditor checks it: every spin is
//! reproducible from its bundle, and over a fixed seeded run each segment comes up as often as
//! its weight says (chi-square).

use engine::fair::bundle_build::{BundleInputs, sign_log, spin_bundle};
use engine::fair::fairspin::{self, Spin};
use engine::fair::log::{SpinRecord, SpinSeedCommit, SpinSeedReveal, WheelConfig};
use engine::fair::{Beacon, BundleBeacon, MemoryLog, Record, VerifierKey, sha256, verify_bundle};
use engine::ledger::Points;
use engine::wheel::{FreeSpins, Left, Prize, SegmentDraft, WheelDraft, WheelSpec, consume, in_force};
use proptest::prelude::*;

const ORIGIN: &str = "bashgah.example/fairlog/wheel-props";

fn seg(id: &str, prize: Prize, weight: u64, stock: Option<u64>) -> SegmentDraft {
    SegmentDraft {
        id: id.into(),
        label_fa: id.into(),
        label_en: id.into(),
        colour: "#112233".into(),
        prize,
        weight,
        stock,
        budget: None,
    }
}

fn wheel(weights: &[u64], stocks: &[Option<u64>]) -> WheelSpec {
    let segments = weights
        .iter()
        .zip(stocks)
        .enumerate()
        .map(|(i, (&w, &stock))| {
            let prize = if i == 0 { Prize::Nothing } else { Prize::Points { points: Points::new(i as i64 * 10).expect("points") } };
            seg(&format!("s{i}"), prize, w, stock)
        })
        .collect();
    WheelSpec::parse(WheelDraft {
        name_fa: "w".into(),
        name_en: "w".into(),
        segments,
        cost: Points::new(10).expect("points"),
        free_spins: FreeSpins::NONE,
        beacon: false,
    })
    .expect("valid wheel")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// A member spins a wheel whose stock runs out along the way (each change of the weights in
    /// force is logged as a new WHEEL_CONFIG before the spin that uses it), then rotates the
    /// seed pair. Every spin's bundle verifies, and its logged segment is the one the engine
    /// computes again from the bundle's inputs.
    #[test]
    fn every_spin_is_reproducible_from_its_bundle(
        weights in prop::collection::vec(1u64..50, 2..6),
        stock in 0u64..4,
        spins in 1usize..12,
        server_seed in any::<[u8; 32]>(),
        client_seed in "[a-z0-9]{1,64}",
    ) {
        let stocks: Vec<Option<u64>> = (0..weights.len()).map(|i| (i > 0).then_some(stock)).collect();
        let spec = wheel(&weights, &stocks);
        let mut left: Vec<Left> = spec.segments().iter().map(Left::full).collect();
        let mut log = MemoryLog::new();
        let commit = fairspin::server_commit(&server_seed);
        let i_commit = log.append(&Record::SpinSeedCommit(SpinSeedCommit { member: "m-1".into(), server_commit: commit }));
        let mut logged_wheels: Vec<(engine::fair::Hash, u64)> = Vec::new();
        let mut played = Vec::new();
        for nonce in 0..spins as u64 {
            let segments = in_force(&spec, &left);
            let hash = fairspin::wheel_hash(&segments).expect("hash");
            let i_wheel = match logged_wheels.iter().find(|(h, _)| *h == hash) {
                Some(&(_, i)) => i,
                None => {
                    let i = log.append(&Record::WheelConfig(WheelConfig::new("w", segments.clone()).expect("config")));
                    logged_wheels.push((hash, i));
                    i
                }
            };
            let spin = Spin { segments: &segments, server_seed, client_seed: client_seed.as_bytes(), nonce, beacon: Beacon::NONE };
            let out = fairspin::spin(&spin).expect("spin");
            let won = &spec.segments()[out.segment];
            left[out.segment] = consume(won, left[out.segment]).expect("the draw only selects a segment that can pay");
            let i_spin = log.append(&Record::Spin(SpinRecord::new("m-1", &spin, &out, 1_700_000_000, &[])));
            played.push((i_wheel, i_spin, out.segment));
        }
        let i_reveal = log.append(&Record::SpinSeedReveal(SpinSeedReveal { member: "m-1".into(), server_commit: commit, server_seed }));
        let seed = sha256(b"wheel props TEST log key");
        let note = sign_log(&log, ORIGIN, &seed, ORIGIN).expect("sign");
        let key = VerifierKey::from_seed(ORIGIN, &seed).expect("key");
        for (i_wheel, i_spin, segment) in played {
            let indices = [i_wheel, i_commit, i_spin, i_reveal];
            let bundle = spin_bundle(&BundleInputs {
                log: &log, note: &note, key: &key, indices: &indices, beacon: BundleBeacon::NoBeacon, server_seed,
            }).expect("bundle");
            let report = verify_bundle(&bundle, Some(&key));
            prop_assert!(report.ok(), "spin at leaf {i_spin} failed: {report:?}");
            let outcome = report.checks.iter().find(|c| c.name == "outcome").expect("outcome check");
            prop_assert!(outcome.detail.starts_with(&format!("segment {segment} ")), "{}", outcome.detail);
        }
        for (i, l) in left.iter().enumerate() {
            prop_assert!(l.stock.is_none_or(|n| n <= stocks[i].unwrap_or(0)), "stock only goes down");
        }
    }
}

/// 100,000 spins of the spec's toy wheel under one fixed seed pair: the chi-square statistic of
/// the segment counts against the weights stays below 18.47, the 0.1 % critical value for four
/// degrees of freedom. A biased `uniform` or `pick` (an off-by-one, a modulo) fails it.
#[test]
fn segment_frequencies_match_the_weights() {
    let weights = [50u64, 20, 15, 14, 1];
    let segments: Vec<_> = ["p100", "p500", "coupon-cafe", "try-again", "jackpot"]
        .iter()
        .zip(weights)
        .map(|(id, weight)| fairspin::Segment { id: (*id).into(), weight })
        .collect();
    let server_seed = sha256(b"chi-square run - fixed seed");
    let n = 100_000u64;
    let mut counts = [0u64; 5];
    for nonce in 0..n {
        let spin = Spin { segments: &segments, server_seed, client_seed: b"chi-square", nonce, beacon: Beacon::NONE };
        counts[fairspin::spin(&spin).expect("spin").segment] += 1;
    }
    let total: u64 = weights.iter().sum();
    let chi2: f64 = counts
        .iter()
        .zip(weights)
        .map(|(&observed, w)| {
            let expected = n as f64 * w as f64 / total as f64;
            (observed as f64 - expected).powi(2) / expected
        })
        .sum();
    assert!(chi2 < 18.47, "chi-square {chi2:.2} for counts {counts:?}");
    // And the test can fail: the same counts against weights off by one segment do.
    let skewed = [49u64, 21, 15, 14, 1];
    let chi2_wrong: f64 = counts
        .iter()
        .zip(skewed)
        .map(|(&o, w)| {
            let e = n as f64 * w as f64 / total as f64;
            (o as f64 - e).powi(2) / e
        })
        .sum();
    assert!(chi2_wrong > 18.47, "weights off by one are detected: chi-square {chi2_wrong:.2}");
}
