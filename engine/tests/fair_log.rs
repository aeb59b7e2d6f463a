//! `fairlog/v1`: one canonical encoding per record, and a decoder that refuses anything else.
#![allow(clippy::unwrap_used)]

use engine::fair::fairspin::Segment;
use engine::fair::log::{
    ContestOpen, ContestResult, DrawClose, DrawOpen, DrawResult, DrawReveal, RankedWinner, SpinRecord, SpinSeedCommit,
    SpinSeedReveal, WheelConfig,
};
use engine::fair::{LogError, Record, sha256};

fn all_kinds() -> Vec<Record> {
    let h = |s: &str| sha256(s.as_bytes());
    vec![
        Record::DrawOpen(DrawOpen {
            draw_id: "d-1".into(),
            prizes: 3,
            ticket_price: 100,
            per_member_limit: 5,
            t_open: 10,
            t_close: 20,
            round: u64::MAX,
            server_commit: h("c"),
        }),
        Record::DrawClose(DrawClose {
            draw_id: "d-1".into(),
            n: 0,
            w: 0,
            entries_root: h("r"),
        }),
        Record::DrawReveal(DrawReveal {
            draw_id: "d-1".into(),
            server_seed: h("s"),
        }),
        Record::DrawResult(DrawResult {
            draw_id: "d-1".into(),
            round: 0,
            beacon_signature: vec![],
            seed: h("x"),
            winners: vec![4, 2, 0],
        }),
        Record::Spin(SpinRecord {
            member: "m \"q\" \\ \n\u{1} جایزه 🎁".into(),
            wheel_hash: h("w"),
            server_commit: h("c"),
            client_seed: b"member-chosen-seed".to_vec(),
            nonce: 7,
            t: 1,
            round: 123,
            beacon_signature: vec![0xab; 48],
            seed: h("s"),
            segment: 1,
        }),
        Record::SpinSeedCommit(SpinSeedCommit {
            member: "m".into(),
            server_commit: h("c"),
        }),
        Record::SpinSeedReveal(SpinSeedReveal {
            member: "m".into(),
            server_commit: h("c"),
            server_seed: h("s"),
        }),
        Record::WheelConfig(
            WheelConfig::new(
                "w",
                vec![
                    Segment {
                        id: "b".into(),
                        weight: 2,
                    },
                    Segment {
                        id: "a".into(),
                        weight: 0,
                    },
                ],
            )
            .unwrap(),
        ),
        Record::ContestOpen(ContestOpen {
            contest_id: "contest-1".into(),
            metric: "spins".into(),
            tie_rule: "shared_rank".into(),
            prize_mode: "by_rank".into(),
            t_start: 10,
            t_end: 70,
            entry_fee: 5,
            min_score: 1,
            prizes: 3,
            rules_hash: h("rules"),
        }),
        Record::ContestResult(ContestResult {
            contest_id: "contest-1".into(),
            n: 2,
            standings_root: h("root"),
            winners: vec![RankedWinner {
                member: "ab12".into(),
                rank: 1,
                score: 9,
            }],
        }),
    ]
}

#[test]
fn every_kind_round_trips_and_is_canonical() {
    for r in all_kinds() {
        let bytes = r.encode();
        assert_eq!(Record::decode(&bytes).unwrap(), r);
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(!text.contains(": ") && !text.contains(", "), "{text}");
        assert!(text.contains(&format!("\"kind\":\"{}\"", r.kind())));
        // Same bytes as serde_json's own sorted (BTreeMap) re-serialisation.
        let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(serde_json::to_string(&v).unwrap(), text);
    }
}

#[test]
fn keys_are_sorted_and_escapes_are_canonical() {
    let r = &all_kinds()[4];
    let t = r.encode_string();
    assert!(t.starts_with("{\"beacon_signature\":\"abab"), "{t}");
    assert!(
        t.contains(r#""member":"m \"q\" \\ \n\u0001 جایزه 🎁""#),
        "{t}"
    );
    assert!(t.ends_with(&format!(
        "\"wheel_hash\":\"{}\"}}",
        hex::encode(sha256(b"w"))
    )));
}

#[test]
fn non_canonical_inputs_are_refused() {
    let good = all_kinds()[1].encode_string();
    assert!(Record::decode(good.as_bytes()).is_ok());
    let cases = [
        good.replacen("{", "{ ", 1),
        format!("{good}\n"),
        good.replacen("\"n\":0", "\"n\":0.0", 1),
        good.replacen("\"n\":0", "\"n\":-0", 1),
        good.replacen("\"n\":0", "\"n\":\"0\"", 1),
        good.replacen("\"w\":0", "\"w\":0,\"x\":1", 1),
        good.replacen("\"w\":0", "\"w\":0,\"w\":0", 1),
        good.replacen("\"draw_id\":\"d-1\",", "", 1),
        good.replacen("d-1", "\\u0064-1", 1),
        good.replacen("fairlog/v1", "fairlog/v2", 1),
        good.replacen("DRAW_CLOSE", "DRAW_CLOSED", 1),
        good.to_uppercase(),
        // Keys out of order: swap the first two fields.
        good.replacen(
            &format!(
                "\"draw_id\":\"d-1\",\"entries_root\":\"{}\"",
                hex::encode(sha256(b"r"))
            ),
            &format!(
                "\"entries_root\":\"{}\",\"draw_id\":\"d-1\"",
                hex::encode(sha256(b"r"))
            ),
            1,
        ),
    ];
    for c in &cases {
        assert_ne!(c, &good);
        assert!(Record::decode(c.as_bytes()).is_err(), "accepted {c}");
    }
    let upper_hex = good.replacen(
        &hex::encode(sha256(b"r")),
        &hex::encode(sha256(b"r")).to_uppercase(),
        1,
    );
    assert!(matches!(
        Record::decode(upper_hex.as_bytes()),
        Err(LogError::Field { .. })
    ));
    assert_eq!(
        Record::decode(cases[0].as_bytes()),
        Err(LogError::NotCanonical)
    );
}
