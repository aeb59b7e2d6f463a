//! Vectors of `fairlog/v1` records, signed checkpoints and whole audit bundles, appended after
//! the older vectors by `fair_vectors_gen`. The log key is the fixture's TEST key.

use engine::fair::checkpoint::{self, Checkpoint};
use engine::fair::signed_note::{key_id, public_key};
use engine::fair::{Bundle, BundleBeacon, Record, Report, VerifierKey, sha256, verify_bundle};
use serde_json::{Value, json};

use crate::fair_fixture::*;

fn hx(b: &[u8]) -> String {
    hex::encode(b)
}

pub fn log_vectors(v: &mut Vec<Value>) {
    let w = world(Options {
        beacon: true,
        ..Default::default()
    });
    let mut seen = Vec::new();
    for i in 0..w.log.size() {
        let leaf = w.log.leaf(i).expect("leaf");
        let rec = Record::decode(leaf).expect("canonical");
        if seen.contains(&rec.kind()) {
            continue;
        }
        seen.push(rec.kind());
        v.push(json!({"kind": "fairlog_record", "name": format!("{} of the bundle fixture", rec.kind()),
            "record": rec.encode_string(), "valid": true, "record_kind": rec.kind(), "leaf_hash": hx(&rec.leaf_hash())}));
    }
    assert_eq!(seen.len(), 8, "every record kind");
    let spin = Record::decode(w.log.leaf(w.spin_indices[2]).expect("leaf")).expect("spin");
    let Record::Spin(mut s) = spin else {
        panic!("spin index")
    };
    s.member = "m \"q\" \\ \n\t\u{1}\u{7f} جایزه 🎁".into();
    let escaped = Record::Spin(s).encode_string();
    assert!(escaped.contains(r#"\"q\" \\ \n\t\u0001"#));
    v.push(json!({"kind": "fairlog_record", "name": "escapes: quote, backslash, short escapes, \\u0001, DEL, Persian, emoji",
        "record": escaped, "valid": true, "record_kind": "SPIN", "leaf_hash": hx(&engine::fair::merkle::leaf_hash(escaped.as_bytes()))}));

    let good = Record::decode(w.log.leaf(w.draw_indices[1]).expect("leaf"))
        .expect("close")
        .encode_string();
    let root = good
        .split("\"entries_root\":\"")
        .nth(1)
        .and_then(|r| r.get(..64))
        .expect("root")
        .to_owned();
    let n = "\"n\":6";
    assert!(good.contains(n), "{good}");
    let negs: Vec<(&str, String)> = vec![
        ("space after the opening brace", good.replacen('{', "{ ", 1)),
        ("trailing newline", format!("{good}\n")),
        ("float 6.0", good.replacen(n, "\"n\":6.0", 1)),
        ("exponent 6e0", good.replacen(n, "\"n\":6e0", 1)),
        ("integer as string", good.replacen(n, "\"n\":\"6\"", 1)),
        ("negative integer", good.replacen(n, "\"n\":-6", 1)),
        ("boolean for an integer", good.replacen(n, "\"n\":true", 1)),
        ("extra key", good.replacen(n, "\"n\":6,\"note\":1", 1)),
        ("duplicate key", good.replacen(n, "\"n\":6,\"n\":6", 1)),
        ("missing key", good.replacen(&format!("{n},"), "", 1)),
        (
            "needless escape \\u0064",
            good.replacen("draw-", "\\u0064raw-", 1),
        ),
        (
            "uppercase hex",
            good.replacen(&root, &root.to_uppercase(), 1),
        ),
        ("31-byte hash", good.replacen(&root, &root[2..], 1)),
        (
            "keys out of order",
            good.replacen(
                &format!("\"draw_id\":\"{DRAW_ID}\",\"entries_root\":\"{root}\""),
                &format!("\"entries_root\":\"{root}\",\"draw_id\":\"{DRAW_ID}\""),
                1,
            ),
        ),
        ("other format", good.replacen("fairlog/v1", "fairlog/v2", 1)),
        (
            "unknown kind",
            good.replacen("DRAW_CLOSE", "DRAW_CLOSED", 1),
        ),
        ("not an object", format!("[{good}]")),
    ];
    for (name, text) in negs {
        assert_ne!(text, good, "{name}");
        assert!(Record::decode(text.as_bytes()).is_err(), "{name}");
        v.push(json!({"kind": "fairlog_record", "name": format!("refused: {name}"), "record": text, "valid": false}));
    }
}

/// (name, note, name to verify under, key to verify with, expected checkpoint).
type CheckpointCase<'a> = (&'a str, String, &'a str, [u8; 32], Option<&'a Checkpoint>);

pub fn checkpoint_vectors(v: &mut Vec<Value>) {
    let w = world(Options {
        beacon: true,
        ..Default::default()
    });
    let seed = test_seed();
    let pk = public_key(&seed);
    let key = test_key();
    let cp = checkpoint::parse_unverified(&w.note).expect("cp");
    assert_eq!(cp.root, w.log.root(w.log.size()).expect("root"));
    let other_seed = sha256(b"another log key - TEST");
    let other_pk = public_key(&other_seed);
    let mut other_root = cp.clone();
    other_root.root = sha256(b"other root");
    let body = cp.body().expect("body");
    let forged = checkpoint::sign(&cp, &other_seed, KEY_NAME).expect("sign");
    let forged_line = forged.lines().last().expect("line").to_owned();
    let mut blob = key_id(KEY_NAME, &pk).to_vec();
    blob.extend_from_slice(
        &engine::fair::signed_note::split(&forged).expect("split").1[0].signature,
    );
    let forged_id = format!("{body}\n\u{2014} {KEY_NAME} {}\n", b64(&blob));
    let mut damaged = Bundle::clone(&w.spin_bundle());
    damage_checkpoint_signature(&mut damaged);
    let small = Checkpoint::new("bashgah.example/fairlog/test", 0, sha256(b""));
    let small_note = checkpoint::sign(&small, &seed, KEY_NAME).expect("sign");
    let cases: Vec<CheckpointCase<'_>> = vec![
        (
            "fixture log checkpoint (TEST key)",
            w.note.clone(),
            KEY_NAME,
            pk,
            Some(&cp),
        ),
        (
            "empty log checkpoint (TEST key)",
            small_note,
            KEY_NAME,
            pk,
            Some(&small),
        ),
        (
            "tampered tree size",
            w.note.replacen(
                &format!("\n{}\n", cp.size),
                &format!("\n{}\n", cp.size + 1),
                1,
            ),
            KEY_NAME,
            pk,
            None,
        ),
        (
            "tampered root",
            w.note.replacen(&body, &other_root.body().expect("body"), 1),
            KEY_NAME,
            pk,
            None,
        ),
        (
            "verified with another key",
            w.note.clone(),
            KEY_NAME,
            other_pk,
            None,
        ),
        (
            "verified under another key name",
            w.note.clone(),
            "bashgah.example/other",
            pk,
            None,
        ),
        (
            "signed by another key under our name",
            forged.clone(),
            KEY_NAME,
            pk,
            None,
        ),
        (
            "another key's signature with our key ID",
            forged_id,
            KEY_NAME,
            pk,
            None,
        ),
        (
            "damaged signature byte",
            damaged.log.checkpoint.clone(),
            KEY_NAME,
            pk,
            None,
        ),
        (
            "signature line without em dash",
            w.note.replacen('\u{2014}', "-", 1),
            KEY_NAME,
            pk,
            None,
        ),
        (
            "two signatures: ours and a witness",
            format!(
                "{}{}\n",
                w.note,
                forged_line.replacen(KEY_NAME, "witness", 1)
            ),
            KEY_NAME,
            pk,
            Some(&cp),
        ),
    ];
    for (name, note, vname, vkey, expect) in cases {
        let got = checkpoint::verify(&note, vname, &vkey).ok();
        assert_eq!(got.as_ref(), expect, "{name}");
        let mut j = json!({"kind": "signed_checkpoint", "name": name, "key_name": KEY_NAME, "public_key": hx(&pk),
            "key_id": hx(&key.key_id()), "verifier_key": key.encode(), "note": note, "verify_name": vname,
            "verify_key": hx(&vkey), "valid": expect.is_some()});
        if let Some(c) = expect {
            j["checkpoint"] = json!({"origin": c.origin, "size": c.size, "root": hx(&c.root)});
            j["key_seed_test_only"] = json!(hx(&seed));
        }
        v.push(j);
    }
}

fn b64(b: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(b)
}

fn push_bundle(
    v: &mut Vec<Value>,
    name: &str,
    b: &Bundle,
    pinned: Option<&VerifierKey>,
    failed: &[&str],
) {
    let r: Report = verify_bundle(b, pinned);
    assert_eq!(r.failed(), failed, "{name}: {r:#?}");
    let expect: Vec<Value> = r
        .checks
        .iter()
        .map(|c| json!({"name": c.name, "status": c.status}))
        .collect();
    v.push(json!({"kind": "fair_bundle", "name": name, "bundle": b, "pinned_key": pinned.map(VerifierKey::encode),
        "ok": r.ok(), "expect": expect}));
}

pub fn bundle_vectors(v: &mut Vec<Value>) {
    let key = test_key();
    let k = Some(&key);
    let w = world(Options {
        beacon: true,
        ..Default::default()
    });
    let none = world(Options::default());
    let spin = w.spin_bundle();
    let draw = w.draw_bundle();
    push_bundle(
        v,
        "spin, beacon round 123: every check passes",
        &spin,
        k,
        &[],
    );
    push_bundle(
        v,
        "spin, beacon none: P3/P4 warning",
        &none.spin_bundle(),
        k,
        &[],
    );
    push_bundle(
        v,
        "spin, log key not pinned: checkpoint warning",
        &spin,
        None,
        &[],
    );
    push_bundle(
        v,
        "draw, beacon round 123: every check passes",
        &draw,
        k,
        &[],
    );
    push_bundle(
        v,
        "draw, beacon none: P3/P4 warning",
        &none.draw_bundle(),
        k,
        &[],
    );

    let other = VerifierKey::from_seed(KEY_NAME, &sha256(b"another log key - TEST")).expect("key");
    push_bundle(
        v,
        "spin, pinned key is another key",
        &spin,
        Some(&other),
        &["checkpoint"],
    );
    let tamper = |base: &Bundle, f: &dyn Fn(&mut Bundle)| {
        let mut b = base.clone();
        f(&mut b);
        b
    };
    let spin_cases: Vec<(&str, Bundle, &[&str])> = vec![
        (
            "spin: record byte (SPIN t) changed",
            tamper(&spin, &|b| {
                edit_record(b, "SPIN", "\"t\":1692803700", "\"t\":1692803701")
            }),
            &["inclusion:SPIN"],
        ),
        (
            "spin: proof hash changed",
            tamper(&spin, &|b| flip_hex(&mut b.records[0].proof[1], 5)),
            &["inclusion:WHEEL_CONFIG"],
        ),
        (
            "spin: server seed changed",
            tamper(&spin, &|b| flip_hex(&mut b.server_seed, 0)),
            &["commitment"],
        ),
        (
            "spin: beacon round 124",
            tamper(&spin, &|b| b.beacon = BundleBeacon::drand(124, &sig123())),
            &["beacon"],
        ),
        (
            "spin: beacon signature byte changed",
            tamper(&spin, &|b| {
                let mut s = sig123();
                s[10] ^= 1;
                b.beacon = BundleBeacon::drand(123, &s);
            }),
            &["beacon"],
        ),
        (
            "spin: bundle claims no beacon",
            tamper(&spin, &|b| b.beacon = BundleBeacon::NoBeacon),
            &["beacon"],
        ),
        (
            "spin: checkpoint signature damaged",
            tamper(&spin, &damage_checkpoint_signature),
            &["checkpoint"],
        ),
        (
            "spin: operator logged another segment",
            world(Options {
                beacon: true,
                lie_segment: true,
                ..Default::default()
            })
            .spin_bundle(),
            &["outcome"],
        ),
        (
            "spin: operator logged a forged beacon signature (BLS only)",
            world(Options {
                beacon: true,
                forge_beacon: true,
                ..Default::default()
            })
            .spin_bundle(),
            &["beacon"],
        ),
    ];
    for (name, b, failed) in &spin_cases {
        push_bundle(v, name, b, k, failed);
    }
    let draw_cases: Vec<(&str, Bundle, &[&str])> = vec![
        (
            "draw: record byte (DRAW_OPEN ticket price) changed",
            tamper(&draw, &|b| {
                edit_record(b, "DRAW_OPEN", "\"ticket_price\":100", "\"ticket_price\":1")
            }),
            &["inclusion:DRAW_OPEN"],
        ),
        (
            "draw: proof hash changed",
            tamper(&draw, &|b| flip_hex(&mut b.records[1].proof[0], 63)),
            &["inclusion:DRAW_CLOSE"],
        ),
        (
            "draw: server seed changed",
            tamper(&draw, &|b| flip_hex(&mut b.server_seed, 10)),
            &["commitment"],
        ),
        (
            "draw: beacon round 122",
            tamper(&draw, &|b| b.beacon = BundleBeacon::drand(122, &sig123())),
            &["beacon"],
        ),
        (
            "draw: beacon signature byte changed",
            tamper(&draw, &|b| {
                let mut s = sig123();
                s[47] ^= 0x40;
                b.beacon = BundleBeacon::drand(123, &s);
            }),
            &["beacon"],
        ),
        (
            "draw: entry weight changed",
            tamper(&draw, &|b| b.entries[2].weight += 1),
            &["entries"],
        ),
        (
            "draw: entry removed",
            tamper(&draw, &|b| {
                b.entries.pop();
            }),
            &["entries"],
        ),
        (
            "draw: checkpoint signature damaged",
            tamper(&draw, &damage_checkpoint_signature),
            &["checkpoint"],
        ),
        (
            "draw: operator logged other winners",
            world(Options {
                beacon: true,
                lie_winners: true,
                ..Default::default()
            })
            .draw_bundle(),
            &["outcome"],
        ),
        (
            "draw: DRAW_RESULT missing",
            tamper(&draw, &|b| {
                b.records.pop();
            }),
            &["records", "beacon", "outcome"],
        ),
    ];
    for (name, b, failed) in &draw_cases {
        push_bundle(v, name, b, k, failed);
    }
}
