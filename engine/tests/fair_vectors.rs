//! Checks every vector of `tests/vectors/fairness.json` with the engine, plus the spec's
//! published values written out here so the JSON cannot drift from fairness.md.
#![allow(clippy::unwrap_used)]

use engine::fair::beacon::{first_round_at_or_after, rho_from_signature, round_time};
use engine::fair::checkpoint;
use engine::fair::drand::verify_quicknet;
use engine::fair::fairdraw::Close;
use engine::fair::fairdraw::{Entry, entry_leaf, server_commit as draw_commit, user_commit};
use engine::fair::fairdraw_verify::{Draw, DrawOutcome, verify as verify_draw};
use engine::fair::fairspin::{self, Segment, Spin, SpinOutcome};
use engine::fair::merkle::{consistency_proof, inclusion_proof, leaf_hash, root};
use engine::fair::merkle_verify::{verify_consistency, verify_inclusion};
use engine::fair::signed_note::{key_id, public_key};
use engine::fair::{Beacon, FairError, Fenwick, Hash, Stream, pick, uniform};
use engine::fair::{Bundle, Record, VerifierKey, verify_bundle};
use serde_json::Value;

const VECTORS: &str = include_str!("vectors/fairness.json");

fn bytes(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap()).unwrap()
}
fn h32(v: &Value) -> Hash {
    bytes(v).try_into().unwrap()
}
fn hashes(v: &Value) -> Vec<Hash> {
    v.as_array().unwrap().iter().map(h32).collect()
}
fn num(v: &Value) -> u64 {
    match v {
        Value::String(s) => s.parse().unwrap(),
        other => other.as_u64().unwrap(),
    }
}
fn idx(v: &Value) -> usize {
    usize::try_from(num(v)).unwrap()
}
fn hx(b: &[u8]) -> String {
    hex::encode(b)
}
fn err_name(e: &FairError) -> &'static str {
    match e {
        FairError::CommitMismatch => "commit",
        FairError::RootMismatch => "root",
        FairError::TotalsMismatch => "totals",
        FairError::SeedMismatch => "seed",
        FairError::WinnersMismatch => "winners",
        FairError::WheelHashMismatch => "wheel_hash",
        FairError::SegmentMismatch => "segment",
        _ => "other",
    }
}
fn beacon(v: &Value) -> Beacon {
    Beacon {
        round: num(&v["round"]),
        rho: h32(&v["rho"]),
    }
}
fn segments(v: &Value) -> Vec<Segment> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| Segment {
            id: s["id"].as_str().unwrap().to_string(),
            weight: num(&s["weight"]),
        })
        .collect()
}
fn leaf_hashes_of(v: &Value) -> Vec<Hash> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|l| leaf_hash(&bytes(l)))
        .collect()
}

fn check(v: &Value) -> Result<(), String> {
    let ok = |b: bool| {
        if b {
            Ok(())
        } else {
            Err("mismatch".to_string())
        }
    };
    match v["kind"].as_str().unwrap() {
        "stream" => {
            let mut s = Stream::new(h32(&v["seed"]));
            for _ in 0..num(&v["skip"]) {
                s.next_u64();
            }
            let got: Vec<String> = v["words"]
                .as_array()
                .unwrap()
                .iter()
                .map(|_| format!("{:016x}", s.next_u64()))
                .collect();
            ok(got
                .iter()
                .zip(v["words"].as_array().unwrap())
                .all(|(g, e)| g == e.as_str().unwrap()))
        }
        "uniform" => {
            let mut s = Stream::new(h32(&v["seed"]));
            for c in v["calls"].as_array().unwrap() {
                let value = uniform(&mut s, num(&c["n"])).map_err(|e| e.to_string())?;
                ok(value == num(&c["value"]) && s.words_consumed() == num(&c["words"]))?;
            }
            Ok(())
        }
        "pick" => {
            let weights: Vec<u64> = v["weights"].as_array().unwrap().iter().map(num).collect();
            let r = num(&v["r"]);
            let expect = v["index"].as_u64().map(|i| usize::try_from(i).unwrap());
            let fen = Fenwick::new(&weights).map_err(|e| e.to_string())?;
            ok(pick(&weights, r).ok() == expect && fen.pick(r).ok() == expect)
        }
        "pick_sequence" => {
            let weights: Vec<u64> = v["weights"].as_array().unwrap().iter().map(num).collect();
            let mut fen = Fenwick::new(&weights).map_err(|e| e.to_string())?;
            for st in v["steps"].as_array().unwrap() {
                if st["op"] == "pick" {
                    ok(fen.pick(num(&st["r"])).ok() == Some(idx(&st["index"])))?;
                } else {
                    fen.set(idx(&st["index"]), num(&st["weight"]))
                        .map_err(|e| e.to_string())?;
                }
            }
            Ok(())
        }
        "merkle_root" => {
            ok(hx(&root(&leaf_hashes_of(&v["leaves"]))) == v["root"].as_str().unwrap())
        }
        "merkle_inclusion" => {
            let proof = hashes(&v["proof"]);
            let (i, n) = (num(&v["index"]), num(&v["tree_size"]));
            let res = verify_inclusion(
                &leaf_hash(&bytes(&v["leaf"])),
                i,
                n,
                &proof,
                &h32(&v["root"]),
            );
            ok(res.is_ok() == v["valid"].as_bool().unwrap())?;
            if v.get("leaves").is_some() {
                let built = inclusion_proof(&leaf_hashes_of(&v["leaves"]), idx(&v["index"]));
                ok(built.map_err(|e| e.to_string())? == proof)?;
            }
            Ok(())
        }
        "merkle_consistency" => {
            let proof = hashes(&v["proof"]);
            let (m, n) = (num(&v["old_size"]), num(&v["new_size"]));
            let res = verify_consistency(m, n, &h32(&v["old_root"]), &h32(&v["new_root"]), &proof);
            ok(res.is_ok() == v["valid"].as_bool().unwrap())?;
            if v.get("leaves").is_some() {
                let built = consistency_proof(&leaf_hashes_of(&v["leaves"]), idx(&v["old_size"]));
                ok(built.map_err(|e| e.to_string())? == proof)?;
            }
            Ok(())
        }
        "drand_time" => {
            let t = round_time(num(&v["round"])).ok();
            ok((t == Some(num(&v["time"]))) == v["valid"].as_bool().unwrap())
        }
        "drand_first_round" => ok(first_round_at_or_after(num(&v["t"])) == Ok(num(&v["round"]))),
        "drand_rho" => {
            let rho = rho_from_signature(&bytes(&v["signature"]));
            ok((hx(&rho) == v["rho"].as_str().unwrap()) == v["valid"].as_bool().unwrap())
        }
        "drand_signature" => {
            let res = verify_quicknet(num(&v["round"]), &bytes(&v["signature"]));
            ok(res.is_ok() == v["valid"].as_bool().unwrap())?;
            match res {
                Ok(b) => ok(b.round == num(&v["round"])
                    && b.rho == rho_from_signature(&bytes(&v["signature"]))),
                Err(e) => ok(matches!(e, FairError::BadBeacon | FairError::NoRound)),
            }
        }
        "server_commit" => {
            let seed = h32(&v["server_seed"]);
            let c = if v["scheme"] == "fairdraw/v1" {
                draw_commit(&seed)
            } else {
                fairspin::server_commit(&seed)
            };
            ok((hx(&c) == v["server_commit"].as_str().unwrap()) == v["valid"].as_bool().unwrap())
        }
        "fairdraw_entry" => {
            let id = v["draw_id"].as_str().unwrap();
            let salt: [u8; 16] = bytes(&v["salt"]).try_into().unwrap();
            let uc = user_commit(id, v["member_id"].as_str().unwrap(), &salt)
                .map_err(|e| e.to_string())?;
            let e = Entry {
                user_commit: uc,
                weight: num(&v["weight"]),
                client_seed: h32(&v["client_seed"]),
            };
            let leaf = entry_leaf(id, &e).map_err(|e| e.to_string())?;
            ok(hx(&uc) == v["user_commit"].as_str().unwrap()
                && hx(&leaf) == v["leaf"].as_str().unwrap()
                && hx(&leaf_hash(&leaf)) == v["leaf_hash"].as_str().unwrap())
        }
        "fairdraw" => {
            let id = v["draw_id"].as_str().unwrap();
            let entries = v["entries"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    let salt: [u8; 16] = bytes(&e["salt"]).try_into().unwrap();
                    Entry {
                        user_commit: user_commit(id, e["member_id"].as_str().unwrap(), &salt)
                            .unwrap(),
                        weight: num(&e["weight"]),
                        client_seed: h32(&e["client_seed"]),
                    }
                })
                .collect::<Vec<_>>();
            let draw = Draw {
                draw_id: id,
                open_record_hash: h32(&v["open_record_hash"]),
                server_seed: h32(&v["server_seed"]),
                beacon: beacon(v),
                k: idx(&v["k"]),
                entries: &entries,
            };
            let c = &v["claimed"];
            let claimed = DrawOutcome {
                server_commit: h32(&c["server_commit"]),
                close: Close {
                    n: num(&c["n"]),
                    w: num(&c["w"]),
                    entries_root: h32(&c["entries_root"]),
                },
                seed: h32(&c["seed"]),
                winners: c["winners"].as_array().unwrap().iter().map(idx).collect(),
            };
            let got = verify_draw(&draw, &claimed).err();
            ok(got.as_ref().map(err_name) == v["expect_error"].as_str())
        }
        "wheel_hash" => {
            let wh = fairspin::wheel_hash(&segments(&v["segments"])).map_err(|e| e.to_string())?;
            ok((hx(&wh) == v["wheel_hash"].as_str().unwrap()) == v["valid"].as_bool().unwrap())
        }
        "fairspin" => {
            let segs = segments(&v["segments"]);
            let server_seed = h32(&v["server_seed"]);
            let client = bytes(&v["client_seed"]);
            let commit = h32(&v["server_commit"]);
            for s in v["spins"].as_array().unwrap() {
                let spin = Spin {
                    segments: &segs,
                    server_seed,
                    client_seed: &client,
                    nonce: num(&s["nonce"]),
                    beacon: beacon(v),
                };
                let claimed = SpinOutcome {
                    wheel_hash: h32(&v["wheel_hash"]),
                    seed: h32(&s["seed"]),
                    segment: idx(&s["segment"]),
                };
                fairspin::verify(&spin, &commit, &claimed).map_err(|e| e.to_string())?;
            }
            Ok(())
        }
        "fairspin_check" => {
            let segs = segments(&v["segments"]);
            let client = bytes(&v["client_seed"]);
            let spin = Spin {
                segments: &segs,
                server_seed: h32(&v["server_seed"]),
                client_seed: &client,
                nonce: num(&v["nonce"]),
                beacon: beacon(v),
            };
            let c = &v["claimed"];
            let claimed = SpinOutcome {
                wheel_hash: h32(&c["wheel_hash"]),
                seed: h32(&c["seed"]),
                segment: idx(&c["segment"]),
            };
            let got = fairspin::verify(&spin, &h32(&c["server_commit"]), &claimed).err();
            ok(got.as_ref().map(err_name) == v["expect_error"].as_str())
        }
        "fairspin_segment" => {
            let got = fairspin::segment(&h32(&v["seed"]), &segments(&v["segments"]))
                .map_err(|e| e.to_string())?;
            ok(got == idx(&v["segment"]))
        }
        "fairlog_record" => {
            let text = v["record"].as_str().unwrap();
            match Record::decode(text.as_bytes()) {
                Ok(r) => ok(v["valid"] == true
                    && r.kind() == v["record_kind"].as_str().unwrap()
                    && r.encode_string() == text
                    && hx(&leaf_hash(text.as_bytes())) == v["leaf_hash"].as_str().unwrap()),
                Err(_) => ok(v["valid"] == false),
            }
        }
        "signed_checkpoint" => {
            let pk = h32(&v["public_key"]);
            let key = VerifierKey::parse(v["verifier_key"].as_str().unwrap())
                .map_err(|e| e.to_string())?;
            ok(key.public_key == pk
                && key.name == v["key_name"].as_str().unwrap()
                && hx(&key_id(&key.name, &pk)) == v["key_id"].as_str().unwrap())?;
            if let Some(seed) = v.get("key_seed_test_only") {
                ok(public_key(&h32(seed)) == pk)?;
            }
            let note = v["note"].as_str().unwrap();
            let got = checkpoint::verify(
                note,
                v["verify_name"].as_str().unwrap(),
                &h32(&v["verify_key"]),
            );
            match got {
                Ok(cp) => {
                    let c = &v["checkpoint"];
                    ok(v["valid"] == true
                        && cp.origin == c["origin"].as_str().unwrap()
                        && cp.size == num(&c["size"])
                        && cp.root == h32(&c["root"]))
                }
                Err(_) => ok(v["valid"] == false),
            }
        }
        "fair_bundle" => {
            let bundle: Bundle =
                serde_json::from_value(v["bundle"].clone()).map_err(|e| e.to_string())?;
            let pinned = match v["pinned_key"].as_str() {
                Some(k) => Some(VerifierKey::parse(k).map_err(|e| e.to_string())?),
                None => None,
            };
            let report = verify_bundle(&bundle, pinned.as_ref());
            let got: Vec<Value> = report
                .checks
                .iter()
                .map(|c| serde_json::json!({"name": c.name, "status": c.status}))
                .collect();
            ok(Value::Array(got) == v["expect"] && Value::Bool(report.ok()) == v["ok"])
        }
        other => Err(format!("unknown kind {other}")),
    }
}

#[test]
fn every_vector_agrees_with_the_engine() {
    let doc: Value = serde_json::from_str(VECTORS).unwrap();
    let vectors = doc["vectors"].as_array().unwrap();
    let mut failed = Vec::new();
    for v in vectors {
        if let Err(e) = check(v) {
            failed.push(format!("{} / {}: {e}", v["kind"], v["name"]));
        }
    }
    println!(
        "{} passed, {} failed",
        vectors.len() - failed.len(),
        failed.len()
    );
    assert!(failed.is_empty(), "{failed:#?}");
    assert!(
        vectors.len() >= 150,
        "vector file lost vectors: {}",
        vectors.len()
    );
    let count = |k: &str| vectors.iter().filter(|v| v["kind"] == k).count();
    assert!(count("fairlog_record") >= 20 && count("signed_checkpoint") >= 8);
    assert!(count("fair_bundle") >= 20);
}

#[test]
fn published_values_are_in_the_file() {
    let doc: Value = serde_json::from_str(VECTORS).unwrap();
    let vectors = doc["vectors"].as_array().unwrap();
    let draw = vectors
        .iter()
        .find(|v| v["kind"] == "fairdraw" && v["published"] == true)
        .unwrap();
    let c = &draw["claimed"];
    assert_eq!(
        c["entries_root"],
        "440d09f2afe8b4b9dc61a254201b35d4184ff85f7e38eb00d7565b25deac6105"
    );
    assert_eq!(
        c["server_commit"],
        "0e0684b4087e550348b02905f1f9ba0e8fe2ef779740809e0b5f07e1053ba8dd"
    );
    assert_eq!(
        c["seed"],
        "1b7d7964b228e65c2428c474915f77f8c41b68c035920e57b3bb609dedb46728"
    );
    assert_eq!(c["winners"], serde_json::json!([4, 2, 0]));
    assert_eq!((num(&c["n"]), num(&c["w"])), (6, 20));
    assert!(draw["expect_error"].is_null() && draw["round"] == 123);
    let spins: Vec<&Value> = vectors
        .iter()
        .filter(|v| v["kind"] == "fairspin" && v["published"] == true)
        .collect();
    assert_eq!(spins.len(), 2);
    for s in &spins {
        assert_eq!(
            s["wheel_hash"],
            "4b2f48925033c2f05566114dfc120f1de59a07db1e67923d36bc2e90ab89a8c0"
        );
        assert_eq!(
            s["server_commit"],
            "862ebebc2abac819c0ce94f1235bd57916ca0f54fdbd9731e0f7152d407e0e0f"
        );
    }
    let no_beacon = spins.iter().find(|s| s["round"] == 0).unwrap();
    let segs: Vec<usize> = no_beacon["spins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| idx(&s["segment"]))
        .collect();
    assert_eq!(segs, vec![1, 4, 2, 3, 2]);
    assert_eq!(
        no_beacon["spins"][0]["seed"],
        "79376ff6f616ed772a0eea33d8ec355d1a01038f574ba75c244fea6bed7776ba"
    );
    let with = spins.iter().find(|s| s["round"] == 123).unwrap();
    assert_eq!(
        with["spins"][0]["seed"],
        "fa5f0c368d11b585d1d2d131163676eae57cc0df32c3b0604c2b88e1f257c281"
    );
    assert_eq!(with["spins"][0]["segment"], 1);
    assert_eq!(
        with["rho"],
        "fb8f7bc29bf24db51871ec8c79f3a1e4bd0557bc0dfcee9ed1d924e69d1c60dc"
    );
    let zero = vectors
        .iter()
        .find(|v| v["kind"] == "stream" && v["seed"] == "00".repeat(32))
        .unwrap();
    assert_eq!(zero["words"][0], "903df1a0ade0b876");
}

#[test]
fn zero_seed_first_word_is_the_spec_check_value() {
    assert_eq!(Stream::new([0u8; 32]).next_u64(), 0x903d_f1a0_ade0_b876);
}
