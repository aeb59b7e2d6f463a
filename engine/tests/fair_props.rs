//! Property tests of the fairness core: Fenwick pick equals the linear definition, every
//! Merkle proof verifies and tampered ones are refused, uniform stays in range, winners respect
//! one prize per member.
#![allow(clippy::unwrap_used)]

use engine::fair::fairdraw::Entry;
use engine::fair::fairdraw_winners::winners;
use engine::fair::merkle::{consistency_proof, inclusion_proof, leaf_hash, node_hash, root};
use engine::fair::merkle_verify::{verify_consistency, verify_inclusion};
use engine::fair::{FairError, Fenwick, Hash, Stream, pick, sha256, uniform};
use proptest::prelude::*;

/// RFC 6962 MTH written recursively, to check the engine's level-by-level root.
fn mth(d: &[Hash]) -> Hash {
    match d.len() {
        0 => sha256(&[]),
        1 => d[0],
        n => {
            let k = if n.is_power_of_two() {
                n / 2
            } else {
                n.next_power_of_two() / 2
            };
            node_hash(&mth(&d[..k]), &mth(&d[k..]))
        }
    }
}

fn leaves(n: usize, salt: u8) -> Vec<Hash> {
    (0..n)
        .map(|i| leaf_hash(&[salt, (i >> 8) as u8, i as u8]))
        .collect()
}

proptest! {
    #[test]
    fn fenwick_matches_linear(
        weights in prop::collection::vec(prop_oneof![Just(0u64), 0u64..20, 0u64..1_000_000], 1..80),
        updates in prop::collection::vec((any::<prop::sample::Index>(), 0u64..30), 0..20),
        rs in prop::collection::vec(any::<u64>(), 1..20),
    ) {
        let mut w = weights.clone();
        let mut f = Fenwick::new(&w).unwrap();
        for (k, (at, nw)) in updates.iter().enumerate() {
            let i = at.index(w.len());
            w[i] = *nw;
            f.set(i, *nw).unwrap();
            let total: u64 = w.iter().sum();
            prop_assert_eq!(f.total(), total);
            for &r in &rs {
                let r = if total == 0 { r } else { r % (total + 1 + (k as u64 % 2)) };
                prop_assert_eq!(f.pick(r).ok(), pick(&w, r).ok());
            }
        }
    }

    #[test]
    fn uniform_in_range(seed in any::<[u8; 32]>(), n in prop_oneof![1u64..10, any::<u64>().prop_map(|x| x | 1), Just(u64::MAX)]) {
        let mut s = Stream::new(seed);
        for _ in 0..20 {
            prop_assert!(uniform(&mut s, n).unwrap() < n);
        }
    }

    #[test]
    fn inclusion_proofs_verify_and_tampering_fails(n in 1usize..150, at in any::<prop::sample::Index>(), flip in any::<prop::sample::Index>()) {
        let d = leaves(n, 7);
        let rt = root(&d);
        prop_assert_eq!(rt, mth(&d));
        let i = at.index(n);
        let proof = inclusion_proof(&d, i).unwrap();
        prop_assert!(verify_inclusion(&d[i], i as u64, n as u64, &proof, &rt).is_ok());
        let mut bad_leaf = d[i];
        bad_leaf[0] ^= 1;
        prop_assert!(verify_inclusion(&bad_leaf, i as u64, n as u64, &proof, &rt).is_err());
        if n > 1 {
            let mut bad = proof.clone();
            let j = flip.index(bad.len());
            bad[j][5] ^= 0x10;
            prop_assert!(verify_inclusion(&d[i], i as u64, n as u64, &bad, &rt).is_err());
            let other = (i + 1) % n;
            prop_assert!(verify_inclusion(&d[i], other as u64, n as u64, &proof, &rt).is_err());
            prop_assert!(verify_inclusion(&d[i], i as u64, n as u64, &proof[..proof.len() - 1], &rt).is_err());
        }
        prop_assert!(verify_inclusion(&d[i], n as u64, n as u64, &proof, &rt).is_err());
    }

    #[test]
    fn consistency_proofs_verify_and_tampering_fails(n in 1usize..150, m_at in any::<prop::sample::Index>(), flip in any::<prop::sample::Index>()) {
        let d = leaves(n, 3);
        let m = m_at.index(n) + 1;
        let (old, new) = (root(&d[..m]), root(&d));
        let proof = consistency_proof(&d, m).unwrap();
        prop_assert!(verify_consistency(m as u64, n as u64, &old, &new, &proof).is_ok());
        let mut forged = d.clone();
        forged[m - 1][0] ^= 1;
        prop_assert!(verify_consistency(m as u64, n as u64, &root(&forged[..m]), &new, &proof).is_err());
        if m < n {
            let mut bad = proof.clone();
            let j = flip.index(bad.len());
            bad[j][9] ^= 0x01;
            prop_assert!(verify_consistency(m as u64, n as u64, &old, &new, &bad).is_err());
            let mut tail = d.clone();
            tail[n - 1][0] ^= 1;
            prop_assert!(verify_consistency(m as u64, n as u64, &old, &root(&tail), &proof).is_err());
        }
    }

    #[test]
    fn winners_one_prize_per_member(
        tickets in prop::collection::vec((0u8..12, 0u64..6), 0..60),
        k in 0usize..15,
        seed in any::<[u8; 32]>(),
    ) {
        let entries: Vec<Entry> = tickets
            .iter()
            .map(|&(m, w)| Entry { user_commit: sha256(&[m]), weight: w, client_seed: [0; 32] })
            .collect();
        let won = winners(&seed, &entries, k).unwrap();
        let mut members: Vec<Hash> = won.iter().map(|&i| entries[i].user_commit).collect();
        prop_assert!(won.iter().all(|&i| entries[i].weight > 0));
        members.sort();
        members.dedup();
        prop_assert_eq!(members.len(), won.len());
        let mut eligible: Vec<Hash> = entries.iter().filter(|e| e.weight > 0).map(|e| e.user_commit).collect();
        eligible.sort();
        eligible.dedup();
        prop_assert_eq!(won.len(), k.min(eligible.len()));
    }
}

#[test]
fn errors_are_values() {
    assert_eq!(
        uniform(&mut Stream::new([0; 32]), 0),
        Err(FairError::EmptyRange)
    );
    assert!(matches!(
        Fenwick::new(&[u64::MAX, 1]),
        Err(FairError::WeightOverflow)
    ));
    assert!(matches!(
        pick(&[1, 2], 3),
        Err(FairError::PickOutOfRange { .. })
    ));
    assert!(matches!(
        Fenwick::new(&[]).unwrap().pick(0),
        Err(FairError::PickOutOfRange { .. })
    ));
    assert!(inclusion_proof(&[], 0).is_err());
    assert!(consistency_proof(&leaves(3, 0), 0).is_err());
    assert!(consistency_proof(&leaves(3, 0), 4).is_err());
    assert_eq!(
        consistency_proof(&leaves(3, 0), 3).unwrap(),
        Vec::<Hash>::new()
    );
    let long = "x".repeat(70_000);
    assert!(matches!(
        engine::fair::fairdraw::user_commit(&long, "m", &[0; 16]),
        Err(FairError::TooLong { len: 70_000 })
    ));
    let seg = [engine::fair::fairspin::Segment {
        id: "a".into(),
        weight: 0,
    }];
    assert_eq!(
        engine::fair::fairspin::segment(&[0; 32], &seg),
        Err(FairError::NoWeight)
    );
    let w = [0u8; 32];
    let b = engine::fair::Beacon::NONE;
    assert!(engine::fair::fairspin::seed(&w, &w, &[], 0, &b).is_err());
    assert!(engine::fair::fairspin::seed(&w, &w, &[1; 65], 0, &b).is_err());
    assert_eq!(engine::fair::beacon::round_time(0), Err(FairError::NoRound));
}

proptest! {
    #[test]
    fn short_sha256_matches_streaming(data in prop::collection::vec(any::<u8>(), 0..200)) {
        use sha2::Digest;
        let expect: Hash = sha2::Sha256::digest(&data).into();
        prop_assert_eq!(engine::fair::hash::sha256_short(&data), expect);
        prop_assert_eq!(sha256(&data), expect);
        prop_assert_eq!(leaf_hash(&data), {
            let mut m = vec![0u8];
            m.extend_from_slice(&data);
            let h: Hash = sha2::Sha256::digest(&m).into();
            h
        });
    }
}

#[test]
fn short_sha256_every_length_around_the_padding_boundaries() {
    use sha2::Digest;
    for len in 0..=130usize {
        let data: Vec<u8> = (0..len).map(|i| (i * 31 + 7) as u8).collect();
        let expect: Hash = sha2::Sha256::digest(&data).into();
        assert_eq!(engine::fair::hash::sha256_short(&data), expect, "len {len}");
    }
}

/// RFC 6962 `PATH` and `SUBPROOF` straight from the RFC text, to pin the stored tree's proofs.
fn rfc_path(d: &[Hash], m: usize) -> Vec<Hash> {
    let n = d.len();
    if n <= 1 {
        return vec![];
    }
    let k = if n.is_power_of_two() {
        n / 2
    } else {
        n.next_power_of_two() / 2
    };
    if m < k {
        [rfc_path(&d[..k], m), vec![mth(&d[k..])]].concat()
    } else {
        [rfc_path(&d[k..], m - k), vec![mth(&d[..k])]].concat()
    }
}

fn rfc_subproof(d: &[Hash], m: usize, b: bool) -> Vec<Hash> {
    let n = d.len();
    if m == n {
        return if b { vec![] } else { vec![mth(d)] };
    }
    let k = if n.is_power_of_two() {
        n / 2
    } else {
        n.next_power_of_two() / 2
    };
    if m <= k {
        [rfc_subproof(&d[..k], m, b), vec![mth(&d[k..])]].concat()
    } else {
        [rfc_subproof(&d[k..], m - k, false), vec![mth(&d[..k])]].concat()
    }
}

#[test]
fn stored_tree_proofs_equal_the_rfc_definitions() {
    for n in 1..=70usize {
        let d = leaves(n, 11);
        let tree = engine::fair::MerkleTree::new(d.clone());
        assert_eq!(tree.root(), mth(&d), "root {n}");
        for i in 0..n {
            assert_eq!(
                tree.inclusion_proof(i).unwrap(),
                rfc_path(&d, i),
                "path {i} of {n}"
            );
        }
        for m in 1..=n {
            assert_eq!(
                tree.consistency_proof(m).unwrap(),
                rfc_subproof(&d, m, true),
                "proof {m} of {n}"
            );
        }
    }
    assert_eq!(engine::fair::MerkleTree::new(vec![]).root(), sha256(&[]));
}
