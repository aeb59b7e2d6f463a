//! Regenerates `engine/tests/vectors/fairness.json` from the engine:
//! `cargo run -p engine --example fair_vectors_gen > engine/tests/vectors/fairness.json`.
//! The published vectors of the spec are included and asserted here; the Python verifier
//! (`tests/fairness/verify.py`) re-checks every vector independently.

use engine::fair::beacon::{first_round_at_or_after, rho_from_signature, round_time};
use engine::fair::drand::verify_quicknet;
use engine::fair::fairdraw::{Entry, entry_leaf, server_commit as draw_commit, user_commit};
use engine::fair::fairdraw_verify::{Draw, DrawOutcome, run, verify as verify_draw};
use engine::fair::fairspin::{self, Segment, Spin, SpinOutcome};
use engine::fair::merkle::{consistency_proof, inclusion_proof, leaf_hash, root};
use engine::fair::merkle_verify::{verify_consistency, verify_inclusion};
use engine::fair::{Beacon, FairError, Fenwick, Hash, Stream, pick, sha256, uniform};
use serde_json::{Value, json};

#[path = "../tests/fair_fixture/mod.rs"]
mod fair_fixture;
#[path = "fair_vectors_log/mod.rs"]
mod fair_vectors_log;

const SIG_123: &str = "b75c69d0b72a5d906e854e808ba7e2accb1542ac355ae486d591aa9d43765482e26cd02df835d3546d23c4b13e0dfc92";
const RHO_123: &str = "fb8f7bc29bf24db51871ec8c79f3a1e4bd0557bc0dfcee9ed1d924e69d1c60dc";

fn h(s: &str) -> Hash {
    sha256(s.as_bytes())
}
fn hx(b: &[u8]) -> String {
    hex::encode(b)
}
fn hexes(v: &[Hash]) -> Vec<String> {
    v.iter().map(|x| hx(x)).collect()
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
fn beacon_123() -> Beacon {
    Beacon::from_signature(123, &hex::decode(SIG_123).expect("hex"))
}

fn main() {
    let mut v: Vec<Value> = Vec::new();
    stream_vectors(&mut v);
    uniform_vectors(&mut v);
    pick_vectors(&mut v);
    merkle_vectors(&mut v);
    drand_vectors(&mut v);
    draw_vectors(&mut v);
    spin_vectors(&mut v);
    fair_vectors_log::log_vectors(&mut v);
    fair_vectors_log::checkpoint_vectors(&mut v);
    fair_vectors_log::bundle_vectors(&mut v);
    let doc = json!({
        "description": "fairness.md test vectors: byte strings are lowercase hex; u64 values that may exceed 2^53 are decimal strings; stream words are 16-digit hex",
        "vectors": v,
    });
    println!("{}", serde_json::to_string_pretty(&doc).expect("json"));
}

fn stream_vectors(v: &mut Vec<Value>) {
    let cases: [(&str, [u8; 32], usize, usize); 4] = [
        ("zero seed, first word (spec check value)", [0u8; 32], 0, 1),
        (
            "zero seed, words 0..20 across block boundaries",
            [0u8; 32],
            0,
            20,
        ),
        (
            "seed 01..20, words 0..10",
            core::array::from_fn(|i| i as u8 + 1),
            0,
            10,
        ),
        ("H(\"stream\"), words 30..40", h("stream"), 30, 10),
    ];
    for (name, seed, skip, count) in cases {
        let mut s = Stream::new(seed);
        for _ in 0..skip {
            s.next_u64();
        }
        let words: Vec<String> = (0..count)
            .map(|_| format!("{:016x}", s.next_u64()))
            .collect();
        if seed == [0u8; 32] {
            assert_eq!(words[0], "903df1a0ade0b876");
        }
        v.push(json!({"kind": "stream", "name": name, "seed": hx(&seed), "skip": skip, "words": words}));
    }
}

fn uniform_vectors(v: &mut Vec<Value>) {
    // n = 2^63 + 1 rejects almost half of all words: find a seed whose first call rejects 3+ times.
    let big = (1u64 << 63) + 1;
    let mut chosen = None;
    for i in 0..1000u32 {
        let seed = h(&format!("uniform rejection {i}"));
        let mut s = Stream::new(seed);
        uniform(&mut s, big).expect("n>0");
        if s.words_consumed() >= 4 {
            chosen = Some(seed);
            break;
        }
    }
    let reject_seed = chosen.expect("some seed rejects");
    let sets: Vec<(&str, Hash, Vec<u64>)> = vec![
        (
            "n = 2^63+1 forces rejections (first call consumes 4+ words)",
            reject_seed,
            vec![big; 8],
        ),
        (
            "small and edge n",
            h("uniform small"),
            vec![1, 2, 3, 6, 20, 1000, 1 << 32, u64::MAX, u64::MAX - 1, 7],
        ),
        (
            "n = 3*2^62 (rejection probability 1/3)",
            h("uniform 3q"),
            vec![3 << 62; 12],
        ),
        ("draw-sized n", [0u8; 32], vec![20, 12, 4]),
    ];
    for (name, seed, ns) in sets {
        let mut s = Stream::new(seed);
        let mut calls = Vec::new();
        for n in ns {
            let value = uniform(&mut s, n).expect("n>0");
            calls.push(json!({"n": n.to_string(), "value": value.to_string(), "words": s.words_consumed()}));
        }
        v.push(json!({"kind": "uniform", "name": name, "seed": hx(&seed), "calls": calls}));
    }
}

fn pick_vectors(v: &mut Vec<Value>) {
    let cases: Vec<(&str, Vec<u64>, Vec<u64>)> = vec![
        (
            "toy weights",
            vec![5, 1, 3, 2, 8, 1],
            vec![0, 4, 5, 6, 8, 9, 10, 11, 18, 19, 20],
        ),
        (
            "zeros everywhere",
            vec![0, 0, 3, 0, 0, 1, 0],
            vec![0, 2, 3, 4],
        ),
        ("single", vec![7], vec![0, 6, 7]),
        (
            "huge weights",
            vec![u64::MAX - 10, 10],
            vec![u64::MAX - 11, u64::MAX - 10, u64::MAX - 1],
        ),
    ];
    for (name, weights, rs) in cases {
        for r in rs {
            let index = pick(&weights, r).ok();
            let strs: Vec<String> = weights.iter().map(u64::to_string).collect();
            v.push(json!({"kind": "pick", "name": name, "weights": strs, "r": r.to_string(), "index": index}));
        }
    }
    // Fenwick with zeroing, as a draw does between prizes.
    let weights: Vec<u64> = (0..37u64).map(|i| (i * 7919) % 13).collect();
    let mut f = Fenwick::new(&weights).expect("fits");
    let mut s = Stream::new(h("pick sequence"));
    let mut steps = Vec::new();
    for round in 0..12 {
        let r = uniform(&mut s, f.total()).expect("weight left");
        let i = f.pick(r).expect("in range");
        assert_eq!(Some(i), pick(&f_weights(&f), r).ok());
        steps.push(json!({"op": "pick", "r": r.to_string(), "index": i}));
        let w = if round % 3 == 2 { 5 } else { 0 };
        steps.push(json!({"op": "set", "index": i, "weight": w.to_string()}));
        f.set(i, w).expect("set");
    }
    let strs: Vec<String> = weights.iter().map(u64::to_string).collect();
    v.push(json!({"kind": "pick_sequence", "name": "Fenwick updates between picks", "weights": strs, "steps": steps}));
}

fn f_weights(f: &Fenwick) -> Vec<u64> {
    (0..f.len()).filter_map(|i| f.weight(i)).collect()
}

/// (name, leaf, index, tree size, proof) of a refused inclusion.
type InclusionCase = (&'static str, Vec<u8>, u64, u64, Vec<Hash>);
/// (name, old size, new size, old root, new root, proof) of a refused consistency.
type ConsistencyCase = (&'static str, u64, u64, Hash, Hash, Vec<Hash>);

fn merkle_vectors(v: &mut Vec<Value>) {
    let leaves_of =
        |n: usize| -> Vec<Vec<u8>> { (0..n).map(|i| format!("leaf {i}").into_bytes()).collect() };
    for n in [0usize, 1, 2, 3, 4, 5, 7, 8, 13] {
        let leaves = leaves_of(n);
        let hashes: Vec<Hash> = leaves.iter().map(|l| leaf_hash(l)).collect();
        let lh: Vec<String> = leaves.iter().map(|l| hx(l)).collect();
        v.push(json!({"kind": "merkle_root", "name": format!("{n} leaves"), "leaves": lh, "root": hx(&root(&hashes))}));
    }
    // Inclusion: every index of 7 and 13 leaves, plus negatives.
    for n in [1usize, 7, 13] {
        let leaves = leaves_of(n);
        let hashes: Vec<Hash> = leaves.iter().map(|l| leaf_hash(l)).collect();
        let rt = root(&hashes);
        for i in 0..n {
            let proof = inclusion_proof(&hashes, i).expect("index");
            assert!(verify_inclusion(&hashes[i], i as u64, n as u64, &proof, &rt).is_ok());
            v.push(json!({"kind": "merkle_inclusion", "name": format!("leaf {i} of {n}"), "leaves": leaves.iter().map(|l| hx(l)).collect::<Vec<_>>(),
                "leaf": hx(&leaves[i]), "index": i, "tree_size": n, "proof": hexes(&proof), "root": hx(&rt), "valid": true}));
        }
    }
    let leaves = leaves_of(13);
    let hashes: Vec<Hash> = leaves.iter().map(|l| leaf_hash(l)).collect();
    let rt = root(&hashes);
    let proof5 = inclusion_proof(&hashes, 5).expect("index");
    let mut bad_sibling = proof5.clone();
    bad_sibling[1][0] ^= 1;
    let negs: Vec<InclusionCase> = vec![
        (
            "tampered leaf fails inclusion",
            b"leaf 5!".to_vec(),
            5,
            13,
            proof5.clone(),
        ),
        (
            "right leaf, wrong index",
            leaves[5].clone(),
            4,
            13,
            proof5.clone(),
        ),
        (
            "right leaf, wrong tree size (6)",
            leaves[5].clone(),
            5,
            6,
            proof5.clone(),
        ),
        (
            "tampered sibling hash",
            leaves[5].clone(),
            5,
            13,
            bad_sibling,
        ),
        (
            "proof with a hash missing",
            leaves[5].clone(),
            5,
            13,
            proof5[..3].to_vec(),
        ),
        (
            "proof with an extra hash",
            leaves[5].clone(),
            5,
            13,
            [proof5.clone(), vec![rt]].concat(),
        ),
        (
            "index beyond tree size",
            leaves[5].clone(),
            13,
            13,
            proof5.clone(),
        ),
    ];
    for (name, leaf, index, size, proof) in negs {
        assert!(verify_inclusion(&leaf_hash(&leaf), index, size, &proof, &rt).is_err());
        v.push(json!({"kind": "merkle_inclusion", "name": name, "leaf": hx(&leaf), "index": index, "tree_size": size,
            "proof": hexes(&proof), "root": hx(&rt), "valid": false}));
    }
    // Consistency: all old sizes of 13, plus negatives.
    for m in 1..=13usize {
        let proof = consistency_proof(&hashes, m).expect("sizes");
        let old = root(&hashes[..m]);
        assert!(verify_consistency(m as u64, 13, &old, &rt, &proof).is_ok());
        v.push(json!({"kind": "merkle_consistency", "name": format!("{m} -> 13"), "leaves": leaves.iter().map(|l| hx(l)).collect::<Vec<_>>(),
            "old_size": m, "new_size": 13, "old_root": hx(&old), "new_root": hx(&rt), "proof": hexes(&proof), "valid": true}));
    }
    let p6 = consistency_proof(&hashes, 6).expect("sizes");
    let old6 = root(&hashes[..6]);
    let mut other = hashes.clone();
    other[2] = leaf_hash(b"rewritten history");
    let forked = root(&other);
    let mut bad = p6.clone();
    bad[0][31] ^= 0x80;
    let negs: Vec<ConsistencyCase> = vec![
        ("new tree rewrote leaf 2", 6, 13, old6, forked, p6.clone()),
        (
            "old root of another tree",
            6,
            13,
            root(&other[..6]),
            rt,
            p6.clone(),
        ),
        ("tampered proof hash", 6, 13, old6, rt, bad),
        ("wrong old size", 5, 13, old6, rt, p6.clone()),
        (
            "truncated proof",
            6,
            13,
            old6,
            rt,
            p6[..p6.len() - 1].to_vec(),
        ),
        ("equal sizes, different roots", 13, 13, forked, rt, vec![]),
        ("old size above new size", 13, 6, rt, old6, vec![]),
    ];
    for (name, m, n, old, new, proof) in negs {
        assert!(verify_consistency(m, n, &old, &new, &proof).is_err());
        v.push(json!({"kind": "merkle_consistency", "name": name, "old_size": m, "new_size": n, "old_root": hx(&old),
            "new_root": hx(&new), "proof": hexes(&proof), "valid": false}));
    }
}

fn drand_vectors(v: &mut Vec<Value>) {
    for (r, ok) in [(1u64, true), (2, true), (123, true), (1_000_000, true)] {
        let t = round_time(r).expect("round");
        v.push(json!({"kind": "drand_time", "name": format!("time({r})"), "round": r, "time": t, "valid": ok}));
    }
    let t123 = round_time(123).expect("round");
    v.push(json!({"kind": "drand_time", "name": "wrong round: time of 124 is not time(123)", "round": 124, "time": t123, "valid": false}));
    v.push(json!({"kind": "drand_time", "name": "round 0 has no time", "round": 0, "time": 1_692_803_364u64, "valid": false}));
    for t in [
        0u64,
        1_692_803_367,
        1_692_803_368,
        1_692_803_369,
        1_692_803_370,
        1_692_803_371,
        t123,
        t123 + 1,
        1_767_225_600,
    ] {
        let r = first_round_at_or_after(t).expect("time");
        v.push(json!({"kind": "drand_first_round", "name": format!("first round at or after {t}"), "t": t, "round": r}));
    }
    let rho = rho_from_signature(&hex::decode(SIG_123).expect("hex"));
    assert_eq!(hx(&rho), RHO_123);
    v.push(json!({"kind": "drand_rho", "name": "round 123: rho = H(signature) (published)", "round": 123, "signature": SIG_123, "rho": RHO_123, "valid": true}));
    let sig = hex::decode(SIG_123).expect("hex");
    let mut bad_sig = sig.clone();
    bad_sig[47] ^= 1;
    for (name, round, sig, ok) in [
        (
            "round 123 verifies against the pinned quicknet key (published)",
            123u64,
            sig.clone(),
            true,
        ),
        (
            "wrong round: round 123's signature presented as round 124",
            124,
            sig.clone(),
            false,
        ),
        (
            "wrong round: round 123's signature presented as round 122",
            122,
            sig.clone(),
            false,
        ),
        ("tampered signature", 123, bad_sig, false),
        ("truncated signature", 123, sig[..47].to_vec(), false),
        (
            "round 0 means no beacon, never a signature",
            0,
            sig.clone(),
            false,
        ),
    ] {
        let res = verify_quicknet(round, &sig);
        assert_eq!(res.is_ok(), ok, "{name}");
        if let Ok(b) = res {
            assert_eq!(hx(&b.rho), RHO_123);
        }
        v.push(json!({"kind": "drand_signature", "name": name, "round": round, "signature": hx(&sig), "valid": ok}));
    }
    v.push(json!({"kind": "drand_rho", "name": "relay randomness that is not H(signature)", "round": 123, "signature": SIG_123,
        "rho": hx(&h("not the signature hash")), "valid": false}));
}

struct DrawCase {
    name: String,
    draw_id: String,
    open_record_hash: Hash,
    server_seed: Hash,
    beacon: Beacon,
    k: usize,
    members: Vec<(String, [u8; 16], u64, Hash)>,
}

impl DrawCase {
    fn entries(&self) -> Vec<Entry> {
        self.members
            .iter()
            .map(|(m, salt, w, cs)| Entry {
                user_commit: user_commit(&self.draw_id, m, salt).expect("short"),
                weight: *w,
                client_seed: *cs,
            })
            .collect()
    }
    fn json(&self, claimed: &DrawOutcome, expect_error: Option<&str>, published: bool) -> Value {
        let entries: Vec<Value> = self
            .members
            .iter()
            .map(|(m, salt, w, cs)| json!({"member_id": m, "salt": hx(salt), "weight": w.to_string(), "client_seed": hx(cs)}))
            .collect();
        json!({"kind": "fairdraw", "name": self.name, "published": published, "draw_id": self.draw_id,
            "open_record_hash": hx(&self.open_record_hash), "server_seed": hx(&self.server_seed),
            "round": self.beacon.round, "rho": hx(&self.beacon.rho), "k": self.k, "entries": entries,
            "claimed": {"server_commit": hx(&claimed.server_commit), "entries_root": hx(&claimed.close.entries_root),
                "n": claimed.close.n, "w": claimed.close.w.to_string(), "seed": hx(&claimed.seed), "winners": claimed.winners},
            "expect_error": expect_error})
    }
    fn run(&self) -> (Vec<Entry>, Result<DrawOutcome, FairError>) {
        let entries = self.entries();
        let out = run(&self.draw(&entries));
        (entries, out)
    }
    fn draw<'a>(&'a self, entries: &'a [Entry]) -> Draw<'a> {
        Draw {
            draw_id: &self.draw_id,
            open_record_hash: self.open_record_hash,
            server_seed: self.server_seed,
            beacon: self.beacon,
            k: self.k,
            entries,
        }
    }
}

fn toy_draw() -> DrawCase {
    let m = |name: &str, b: u8, w: u64, cs: &str| (name.to_string(), [b; 16], w, h(cs));
    DrawCase {
        name: "published toy draw".into(),
        draw_id: "draw-2026-001".into(),
        open_record_hash: h("fairdraw/v1/open-record-example"),
        server_seed: h("example server seed - never do this in prod"),
        beacon: beacon_123(),
        k: 3,
        members: vec![
            m("alice", 1, 5, "alice-cs"),
            m("bob", 2, 1, "bob-cs"),
            m("carol", 3, 3, "carol-cs"),
            m("alice", 1, 2, "alice-cs2"),
            m("dave", 4, 8, "dave-cs"),
            m("erin", 5, 1, "erin-cs"),
        ],
    }
}

fn draw_vectors(v: &mut Vec<Value>) {
    let toy = toy_draw();
    let (entries, out) = toy.run();
    let out = out.expect("toy runs");
    assert_eq!(
        hx(&out.close.entries_root),
        "440d09f2afe8b4b9dc61a254201b35d4184ff85f7e38eb00d7565b25deac6105"
    );
    assert_eq!(
        hx(&out.server_commit),
        "0e0684b4087e550348b02905f1f9ba0e8fe2ef779740809e0b5f07e1053ba8dd"
    );
    assert_eq!(
        hx(&out.seed),
        "1b7d7964b228e65c2428c474915f77f8c41b68c035920e57b3bb609dedb46728"
    );
    assert_eq!(out.winners, vec![4, 2, 0]);
    v.push(toy.json(&out, None, true));

    // Layer vectors taken from the toy draw.
    for (i, (mid, salt, _, _)) in toy.members.iter().enumerate() {
        let e = &entries[i];
        let leaf = entry_leaf(&toy.draw_id, e).expect("short");
        v.push(json!({"kind": "fairdraw_entry", "name": format!("toy entry {i} ({mid})"), "draw_id": toy.draw_id,
            "member_id": mid, "salt": hx(salt), "user_commit": hx(&e.user_commit), "weight": e.weight.to_string(),
            "client_seed": hx(&e.client_seed), "leaf": hx(&leaf), "leaf_hash": hx(&leaf_hash(&leaf))}));
    }
    let leaf_hashes: Vec<Hash> = entries
        .iter()
        .map(|e| leaf_hash(&entry_leaf(&toy.draw_id, e).expect("short")))
        .collect();
    let dave = entry_leaf(&toy.draw_id, &entries[4]).expect("short");
    let proof = inclusion_proof(&leaf_hashes, 4).expect("index");
    v.push(json!({"kind": "merkle_inclusion", "name": "toy draw: dave's receipt", "leaf": hx(&dave), "index": 4, "tree_size": 6,
        "proof": hexes(&proof), "root": hx(&out.close.entries_root), "valid": true}));
    let mut forged = entries[4];
    forged.weight = 80;
    let forged_leaf = entry_leaf(&toy.draw_id, &forged).expect("short");
    v.push(json!({"kind": "merkle_inclusion", "name": "toy draw: tampered leaf (weight 8 -> 80) fails inclusion", "leaf": hx(&forged_leaf),
        "index": 4, "tree_size": 6, "proof": hexes(&proof), "root": hx(&out.close.entries_root), "valid": false}));
    for (name, seed, commit, ok) in [
        (
            "toy draw commitment",
            toy.server_seed,
            out.server_commit,
            true,
        ),
        (
            "wrong server seed fails commitment",
            h("another server seed"),
            out.server_commit,
            false,
        ),
        (
            "spin tag is not the draw tag",
            toy.server_seed,
            fairspin::server_commit(&toy.server_seed),
            false,
        ),
    ] {
        v.push(json!({"kind": "server_commit", "scheme": "fairdraw/v1", "name": name, "server_seed": hx(&seed), "server_commit": hx(&commit), "valid": ok}));
    }

    // Negative whole-draw vectors: the claim is the toy's published outcome.
    let mut neg = |name: &str, mutate: &dyn Fn(&mut DrawCase), expect: &str| {
        let mut c = toy_draw();
        c.name = name.to_string();
        mutate(&mut c);
        let entries = c.entries();
        let err = verify_draw(&c.draw(&entries), &out).expect_err("must fail");
        assert_eq!(err_name(&err), expect, "{name}");
        v.push(c.json(&out, Some(expect), false));
    };
    neg(
        "wrong server seed fails commitment",
        &|c| c.server_seed = h("another server seed"),
        "commit",
    );
    neg(
        "tampered entry weight changes the root",
        &|c| c.members[1].2 = 2,
        "root",
    );
    neg(
        "entry order swapped changes the root",
        &|c| c.members.swap(0, 1),
        "root",
    );
    neg(
        "tampered client seed changes the root",
        &|c| c.members[5].3 = h("erin-cs!"),
        "root",
    );
    neg(
        "wrong round (124 with round 123's rho)",
        &|c| c.beacon.round = 124,
        "seed",
    );
    neg(
        "no beacon instead of round 123",
        &|c| c.beacon = Beacon::NONE,
        "seed",
    );
    neg(
        "other open record",
        &|c| c.open_record_hash = h("fairdraw/v1/open-record-other"),
        "seed",
    );
    neg(
        "other draw id",
        &|c| c.draw_id = "draw-2026-002".into(),
        "root",
    );
    neg("more prizes than claimed winners", &|c| c.k = 4, "winners");
    let mut wrong = out.clone();
    wrong.winners = vec![4, 0, 2];
    let toy_entries = toy.entries();
    assert_eq!(
        err_name(&verify_draw(&toy.draw(&toy_entries), &wrong).expect_err("order")),
        "winners"
    );
    let mut c = toy_draw();
    c.name = "claimed winners in a different order".into();
    v.push(c.json(&wrong, Some("winners"), false));

    // Own whole draws.
    let mut own = |name: &str,
                   draw_id: &str,
                   beacon: Beacon,
                   k: usize,
                   n: usize,
                   members: usize,
                   weight: &dyn Fn(usize) -> u64| {
        let c = DrawCase {
            name: name.to_string(),
            draw_id: draw_id.to_string(),
            open_record_hash: h(&format!("open record of {draw_id}")),
            server_seed: h(&format!("server seed of {draw_id}")),
            beacon,
            k,
            members: (0..n)
                .map(|i| {
                    let m = i % members.max(1);
                    (
                        format!("member-{m}"),
                        [m as u8; 16],
                        weight(i),
                        h(&format!("client seed {i}")),
                    )
                })
                .collect(),
        };
        let (_, out) = c.run();
        v.push(c.json(&out.expect("runs"), None, false));
    };
    own(
        "40 tickets, 10 members, 5 prizes, beacon 123",
        "draw-own-40",
        beacon_123(),
        5,
        40,
        10,
        &|i| (i as u64 * 37) % 11 + 1,
    );
    own(
        "early stop: 8 prizes, 3 members",
        "draw-own-early",
        beacon_123(),
        8,
        9,
        3,
        &|i| i as u64 + 1,
    );
    own(
        "zero-weight tickets never win, no beacon",
        "draw-own-zero",
        Beacon::NONE,
        4,
        12,
        12,
        &|i| if i % 2 == 0 { 0 } else { 3 },
    );
    own(
        "empty draw",
        "draw-own-empty",
        Beacon::NONE,
        3,
        0,
        1,
        &|_| 1,
    );
    own(
        "all weights zero",
        "draw-own-allzero",
        beacon_123(),
        2,
        5,
        5,
        &|_| 0,
    );
    own(
        "huge weights near u64::MAX",
        "draw-own-huge",
        beacon_123(),
        2,
        3,
        3,
        &|i| [u64::MAX / 2, u64::MAX / 4, 12345][i],
    );
    own(
        "150 tickets, 60 members, 25 prizes",
        "draw-own-150",
        Beacon {
            round: 9_000_000,
            rho: h("some round"),
        },
        25,
        150,
        60,
        &|i| (i as u64 * 13) % 7,
    );
}

fn spin_vectors(v: &mut Vec<Value>) {
    let seg = |id: &str, w: u64| Segment {
        id: id.to_string(),
        weight: w,
    };
    let toy = vec![
        seg("p100", 50),
        seg("p500", 20),
        seg("coupon-cafe", 15),
        seg("try-again", 14),
        seg("jackpot", 1),
    ];
    let server_seed = h("example spin server seed - never do this in prod");
    let client = b"member-chosen-seed";
    let commit = fairspin::server_commit(&server_seed);
    assert_eq!(
        hx(&commit),
        "862ebebc2abac819c0ce94f1235bd57916ca0f54fdbd9731e0f7152d407e0e0f"
    );
    let wh = fairspin::wheel_hash(&toy).expect("short");
    assert_eq!(
        hx(&wh),
        "4b2f48925033c2f05566114dfc120f1de59a07db1e67923d36bc2e90ab89a8c0"
    );

    let segs_json = |s: &[Segment]| -> Vec<Value> {
        s.iter()
            .map(|x| json!({"id": x.id, "weight": x.weight.to_string()}))
            .collect()
    };
    let mut seq = |name: &str,
                   segments: &[Segment],
                   server_seed: Hash,
                   client: &[u8],
                   beacon: Beacon,
                   nonces: std::ops::Range<u64>,
                   published: bool|
     -> Vec<SpinOutcome> {
        let mut spins = Vec::new();
        let mut outs = Vec::new();
        for nonce in nonces {
            let o = fairspin::spin(&Spin {
                segments,
                server_seed,
                client_seed: client,
                nonce,
                beacon,
            })
            .expect("spin");
            spins.push(json!({"nonce": nonce, "seed": hx(&o.seed), "segment": o.segment}));
            outs.push(o);
        }
        v.push(json!({"kind": "fairspin", "name": name, "published": published, "segments": segs_json(segments),
            "wheel_hash": hx(&fairspin::wheel_hash(segments).expect("short")), "server_seed": hx(&server_seed),
            "server_commit": hx(&fairspin::server_commit(&server_seed)), "client_seed": hx(client),
            "round": beacon.round, "rho": hx(&beacon.rho), "spins": spins}));
        outs
    };
    let outs = seq(
        "published toy wheel, no beacon, nonces 0..5",
        &toy,
        server_seed,
        client,
        Beacon::NONE,
        0..5,
        true,
    );
    let got: Vec<usize> = outs.iter().map(|o| o.segment).collect();
    assert_eq!(got, vec![1, 4, 2, 3, 2]);
    assert_eq!(
        hx(&outs[0].seed),
        "79376ff6f616ed772a0eea33d8ec355d1a01038f574ba75c244fea6bed7776ba"
    );
    let b = seq(
        "published toy wheel, beacon round 123, nonce 0",
        &toy,
        server_seed,
        client,
        beacon_123(),
        0..1,
        true,
    );
    assert_eq!(
        hx(&b[0].seed),
        "fa5f0c368d11b585d1d2d131163676eae57cc0df32c3b0604c2b88e1f257c281"
    );
    assert_eq!(b[0].segment, 1);
    seq(
        "toy wheel, nonces 5..40",
        &toy,
        server_seed,
        client,
        Beacon::NONE,
        5..40,
        false,
    );
    let out_of_stock = vec![
        seg("p100", 50),
        seg("p500", 20),
        seg("coupon-cafe", 0),
        seg("try-again", 14),
        seg("jackpot", 1),
    ];
    seq(
        "coupon out of stock (weight 0), beacon round 123",
        &out_of_stock,
        server_seed,
        client,
        beacon_123(),
        0..30,
        false,
    );
    let long_client = [0xabu8; 64];
    seq(
        "64-byte client seed, one segment",
        &[seg("only", 1)],
        h("s2"),
        &long_client,
        Beacon::NONE,
        0..3,
        false,
    );
    seq(
        "unicode segment ids, big weights",
        &[seg("جایزه-۱", u64::MAX / 3), seg("🎁", u64::MAX / 3)],
        h("s3"),
        b"x",
        Beacon {
            round: 42,
            rho: h("r42"),
        },
        0..10,
        false,
    );

    // Wheel hash negatives.
    v.push(json!({"kind": "wheel_hash", "name": "published toy wheel", "segments": segs_json(&toy), "wheel_hash": hx(&wh), "valid": true}));
    let mut heavier = toy.clone();
    heavier[4].weight = 2;
    v.push(json!({"kind": "wheel_hash", "name": "wrong weight changes the wheel hash", "segments": segs_json(&heavier), "wheel_hash": hx(&wh), "valid": false}));
    let mut swapped = toy.clone();
    swapped.swap(0, 1);
    v.push(json!({"kind": "wheel_hash", "name": "segment order is part of the hash", "segments": segs_json(&swapped), "wheel_hash": hx(&wh), "valid": false}));
    for (name, seed, c, ok) in [
        ("toy spin commitment", server_seed, commit, true),
        (
            "wrong server seed fails commitment",
            h("another spin seed"),
            commit,
            false,
        ),
        (
            "draw tag is not the spin tag",
            server_seed,
            draw_commit(&server_seed),
            false,
        ),
    ] {
        v.push(json!({"kind": "server_commit", "scheme": "fairspin/v1", "name": name, "server_seed": hx(&seed), "server_commit": hx(&c), "valid": ok}));
    }

    // Spin checks: a published spin (toy nonce 0) against altered inputs.
    let claim = outs[0];
    let mut check = |name: &str,
                     segments: &[Segment],
                     server_seed: Hash,
                     client: &[u8],
                     nonce: u64,
                     beacon: Beacon,
                     expect: Option<&str>| {
        let s = Spin {
            segments,
            server_seed,
            client_seed: client,
            nonce,
            beacon,
        };
        let got = fairspin::verify(&s, &commit, &claim).err();
        assert_eq!(got.as_ref().map(err_name), expect, "{name}");
        v.push(json!({"kind": "fairspin_check", "name": name, "segments": segs_json(segments), "server_seed": hx(&server_seed),
            "client_seed": hx(client), "nonce": nonce, "round": beacon.round, "rho": hx(&beacon.rho),
            "claimed": {"server_commit": hx(&commit), "wheel_hash": hx(&claim.wheel_hash), "seed": hx(&claim.seed), "segment": claim.segment},
            "expect_error": expect}));
    };
    check(
        "published toy nonce 0 verifies",
        &toy,
        server_seed,
        client,
        0,
        Beacon::NONE,
        None,
    );
    check(
        "wrong server seed fails commitment",
        &toy,
        h("another spin seed"),
        client,
        0,
        Beacon::NONE,
        Some("commit"),
    );
    check(
        "wrong weight changes the wheel hash",
        &heavier,
        server_seed,
        client,
        0,
        Beacon::NONE,
        Some("wheel_hash"),
    );
    check(
        "other client seed changes the seed",
        &toy,
        server_seed,
        b"member-chosen-seeD",
        0,
        Beacon::NONE,
        Some("seed"),
    );
    check(
        "other nonce changes the seed",
        &toy,
        server_seed,
        client,
        1,
        Beacon::NONE,
        Some("seed"),
    );
    check(
        "beacon round 123 instead of none",
        &toy,
        server_seed,
        client,
        0,
        beacon_123(),
        Some("seed"),
    );

    // Wrong weight changes the result: same seed stream, different weights, other segment.
    let mut changed = None;
    for nonce in 0..200u64 {
        let s = fairspin::seed(&wh, &server_seed, client, nonce, &Beacon::NONE).expect("seed");
        let mut w2 = toy.clone();
        w2[0].weight = 10;
        let a = fairspin::segment(&s, &toy).expect("seg");
        let b2 = fairspin::segment(&s, &w2).expect("seg");
        if a != b2 {
            changed = Some((nonce, s, a, b2, w2));
            break;
        }
    }
    let (nonce, s, a, b2, w2) = changed.expect("some nonce differs");
    v.push(json!({"kind": "fairspin_segment", "name": format!("toy seed of nonce {nonce}: weights as published"), "seed": hx(&s), "segments": segs_json(&toy), "segment": a}));
    v.push(json!({"kind": "fairspin_segment", "name": format!("same seed, p100 weight 50 -> 10 changes the result"), "seed": hx(&s), "segments": segs_json(&w2), "segment": b2}));
}
