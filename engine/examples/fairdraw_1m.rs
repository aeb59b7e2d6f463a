//! Timing of a `fairdraw/v1` draw with 1,000,000 tickets (target: < 1 s to run, < 1 s to verify).
//! `cargo run --release -p engine --example fairdraw_1m [entries] [prizes]`

use std::time::Instant;

use engine::fair::fairdraw::{Entry, leaf_hashes, user_commit};
use engine::fair::fairdraw_verify::{Draw, run, verify};
use engine::fair::fairdraw_winners::winners;
use engine::fair::merkle::root;
use engine::fair::merkle_verify::{verify_consistency, verify_inclusion};
use engine::fair::{Beacon, MerkleTree, sha256};

fn main() {
    let mut args = std::env::args()
        .skip(1)
        .map(|a| a.parse::<usize>().expect("number"));
    let n = args.next().unwrap_or(1_000_000);
    let k = args.next().unwrap_or(100);
    let draw_id = "draw-bench-1m";

    // Setup, not timed as part of the draw: ~1 ticket in 3 shares a member with another.
    let t = Instant::now();
    let members = (n * 2 / 3).max(1);
    let commits: Vec<_> = (0..members)
        .map(|m| {
            user_commit(draw_id, &format!("member-{m}"), &[(m % 251) as u8; 16]).expect("short")
        })
        .collect();
    let entries: Vec<Entry> = (0..n)
        .map(|i| Entry {
            user_commit: commits[((i as u64 * 7919) % members as u64) as usize],
            weight: (i as u64 % 5) + 1,
            client_seed: sha256(&(i as u64).to_le_bytes()),
        })
        .collect();
    println!("setup: {n} entries, {members} members: {:?}", t.elapsed());

    let draw = Draw {
        draw_id,
        open_record_hash: sha256(b"open"),
        server_seed: sha256(b"server"),
        beacon: Beacon {
            round: 123,
            rho: sha256(b"rho"),
        },
        k,
        entries: &entries,
    };
    let t = Instant::now();
    let out = run(&draw).expect("draw runs");
    let run_time = t.elapsed();
    println!("run (leaves + root + seed + {k} winners): {run_time:?}");
    println!(
        "  N {} W {} root {:02x?}.. first winners {:?}",
        out.close.n,
        out.close.w,
        &out.close.entries_root[..4],
        &out.winners[..out.winners.len().min(5)]
    );

    let t = Instant::now();
    verify(&draw, &out).expect("verifies");
    println!(
        "verify (commitment, root, totals, seed, winners): {:?}",
        t.elapsed()
    );

    // Breakdown of the run.
    let t = Instant::now();
    let hashes = leaf_hashes(draw_id, &entries).expect("short");
    println!("  of which leaf hashes: {:?}", t.elapsed());
    let t = Instant::now();
    let _ = root(&hashes);
    println!("  of which root from leaf hashes: {:?}", t.elapsed());
    let t = Instant::now();
    let _ = winners(&out.seed, &entries, k).expect("winners");
    println!(
        "  of which {k} winners (Fenwick build, member index, picks): {:?}",
        t.elapsed()
    );

    let t = Instant::now();
    let tree = MerkleTree::new(hashes);
    println!(
        "stored tree (all levels, for serving proofs): {:?}",
        t.elapsed()
    );
    let t = Instant::now();
    let step = (n / 1000).max(1);
    let mut count = 0u32;
    for i in (0..n).step_by(step) {
        let proof = tree.inclusion_proof(i).expect("index");
        let leaf = &tree.leaf_hashes()[i];
        verify_inclusion(leaf, i as u64, n as u64, &proof, &out.close.entries_root)
            .expect("included");
        count += 1;
    }
    println!(
        "{count} inclusion proofs built from the stored tree and verified: {:?}",
        t.elapsed()
    );
    let t = Instant::now();
    let proof = tree.consistency_proof(n / 3 + 1).expect("sizes");
    let old = MerkleTree::new(tree.leaf_hashes()[..n / 3 + 1].to_vec()).root();
    let built = t.elapsed();
    verify_consistency(
        (n / 3 + 1) as u64,
        n as u64,
        &old,
        &out.close.entries_root,
        &proof,
    )
    .expect("consistent");
    println!(
        "consistency proof {} -> {n} ({} hashes, incl. old root): {built:?}",
        n / 3 + 1,
        proof.len()
    );
}
