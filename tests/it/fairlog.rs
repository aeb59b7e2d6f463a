//! The fairness log in storage and its public endpoints: dense append-only indices under
//! concurrency, signed checkpoints, inclusion and consistency proofs that verify, a key that
//! survives a restart, and clear errors.

use std::collections::BTreeSet;

use engine::fair::fairspin::{self, Segment, Spin};
use engine::fair::log::{SpinRecord, SpinSeedCommit, WheelConfig};
use engine::fair::merkle_verify::{verify_consistency, verify_inclusion};
use engine::fair::{Beacon, Checkpoint, Hash, Record, VerifierKey, checkpoint, hexstr, merkle, sha256};
use engine::time::Timestamp;

use crate::support::{TestApp, on_both_backends};

const NOW: Timestamp = Timestamp::from_unix_millis(1_760_000_000_000);

fn segments() -> Vec<Segment> {
    [("p100", 50), ("p500", 20), ("coupon-cafe", 15), ("try-again", 14), ("jackpot", 1)]
        .into_iter()
        .map(|(id, weight)| Segment { id: id.to_owned(), weight })
        .collect()
}

fn wheel() -> Record {
    Record::WheelConfig(WheelConfig::new("main-wheel", segments()).expect("wheel"))
}

fn seed_commit(member: &str) -> Record {
    let server_seed = sha256(member.as_bytes());
    Record::SpinSeedCommit(SpinSeedCommit {
        member: member.to_owned(),
        server_commit: fairspin::server_commit(&server_seed),
    })
}

fn spin(member: &str, nonce: u64) -> Record {
    let segments = segments();
    let spin = Spin {
        segments: &segments,
        server_seed: sha256(member.as_bytes()),
        client_seed: b"member-chosen-seed",
        nonce,
        beacon: Beacon::NONE,
    };
    let outcome = fairspin::spin(&spin).expect("spin");
    Record::Spin(SpinRecord::new(member, &spin, &outcome, 1_760_000_000 + nonce, &[]))
}

fn hash(text: &serde_json::Value) -> Hash {
    hexstr::decode32(text.as_str().expect("hex string")).expect("32-byte hex")
}

fn hashes(list: &serde_json::Value) -> Vec<Hash> {
    list.as_array().expect("array").iter().map(hash).collect()
}

async fn get_json(app: &TestApp, path: &str) -> (u16, serde_json::Value) {
    let response = app.client().get(path).await;
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON body"))
}

/// The served verifier key, as a verifier reads it, and the same key the server signs with.
async fn served_key(app: &TestApp) -> VerifierKey {
    let served = VerifierKey::parse(&app.client().text("/api/log/key").await).expect("a valid verifier key");
    let key = app.state.fairlog_key.signer().await.expect("key").verifier_key().clone();
    assert_eq!(served.encode(), key.encode());
    served
}

async fn served_checkpoint(app: &TestApp, key: &VerifierKey) -> Checkpoint {
    let response = app.client().get("/api/log/checkpoint").await;
    assert_eq!(response.status(), 200);
    let kind = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(kind.starts_with("text/plain"), "{kind}");
    checkpoint::verify_with(&response.text().await.expect("body"), key).expect("the checkpoint verifies")
}

on_both_backends! {
    async fn concurrent_appends_take_dense_indices(app) {
        let tasks: Vec<_> = (0..50)
            .map(|i| {
                let log = app.state.db.fairlog.clone();
                tokio::spawn(async move { log.append(&seed_commit(&format!("member-{i}")), NOW).await })
            })
            .collect();
        let mut indices = Vec::new();
        for task in tasks {
            indices.push(task.await.expect("task").expect("appended"));
        }
        indices.sort_unstable();
        assert_eq!(indices, (0..50).collect::<Vec<u64>>(), "dense, no gaps, no duplicates");
        assert_eq!(app.state.db.fairlog.size().await.expect("size"), 50);
        let mut members = BTreeSet::new();
        for index in 0..50 {
            let entry = app.state.db.fairlog.record(index).await.expect("read").expect("present");
            let Ok(Record::SpinSeedCommit(r)) = Record::decode(entry.record.as_bytes()) else { panic!("{entry:?}") };
            members.insert(r.member);
        }
        assert_eq!(members.len(), 50, "every append is stored once");
    }
}

on_both_backends! {
    async fn records_checkpoints_and_proofs_verify(app) {
        let log = &app.state.db.fairlog;
        let mut records = vec![wheel(), seed_commit("m-7"), spin("m-7", 0)];
        for (expected, record) in records.iter().enumerate() {
            assert_eq!(log.append(record, NOW).await.expect("appended"), expected as u64);
        }
        let key = served_key(&app).await;
        let old = served_checkpoint(&app, &key).await;
        assert_eq!((old.origin.as_str(), old.size), (app.state.config.log_origin.as_str(), 3));
        for nonce in 1..6 {
            records.push(spin("m-7", nonce));
            log.append(&spin("m-7", nonce), NOW).await.expect("appended");
        }
        let now = served_checkpoint(&app, &key).await;
        assert_eq!(now.size, 8);

        for (index, record) in records.iter().enumerate() {
            let (status, served) = get_json(&app, &format!("/api/log/records/{index}")).await;
            assert_eq!(status, 200);
            let text = served["record"].as_str().expect("record text");
            assert_eq!(text, record.encode_string(), "the canonical bytes, unchanged");
            assert_eq!(served["kind"], record.kind());
            let leaf = hash(&served["leaf_hash"]);
            assert_eq!(leaf, merkle::leaf_hash(text.as_bytes()));
            let (status, proof) = get_json(&app, &format!("/api/log/proof/inclusion?index={index}&size=8")).await;
            assert_eq!(status, 200, "{proof}");
            verify_inclusion(&leaf, index as u64, 8, &hashes(&proof["proof"]), &now.root).expect("included");
        }
        let (_, at_old) = get_json(&app, "/api/log/proof/inclusion?index=1&size=3").await;
        verify_inclusion(&records[1].leaf_hash(), 1, 3, &hashes(&at_old["proof"]), &old.root).expect("in the old tree");

        let (status, proof) = get_json(&app, "/api/log/proof/consistency?old=3&new=8").await;
        assert_eq!(status, 200, "{proof}");
        verify_consistency(3, 8, &old.root, &now.root, &hashes(&proof["proof"])).expect("the old tree is a prefix");
        let (_, latest) = get_json(&app, "/api/log/proof/consistency?old=8").await;
        assert_eq!(latest["new"], 8, "the current size by default");
        verify_consistency(8, 8, &now.root, &now.root, &hashes(&latest["proof"])).expect("same tree");
    }
}

on_both_backends! {
    async fn the_log_key_survives_a_restart(app) {
        let dir = std::env::temp_dir().join(format!("bashgah-fairlog-{}-{:?}", std::process::id(), app.backend));
        let _ = std::fs::remove_dir_all(&dir);
        let mut config = (*app.state.config).clone();
        config.data_dir = dir.clone();
        let start = |config: app::platform::server::Config| async move {
            let db = app::platform::server::open_database(&config).await.expect("database opens");
            app::platform::server::app_state(config, db).expect("state")
        };
        let first = start(config.clone()).await;
        let key = first.fairlog_key.signer().await.expect("made").verifier_key().clone();
        first.db.fairlog.append(&wheel(), NOW).await.expect("appended");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join("fairlog.key")).expect("key file").permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "only the server's user reads the key");
        }

        let again = start(config).await;
        let signer = again.fairlog_key.signer().await.expect("read back");
        assert_eq!(signer.verifier_key(), &key, "same data directory, same key");
        let size = again.db.fairlog.size().await.expect("size");
        let root = again.db.fairlog.root(size).await.expect("read").expect("root");
        let note = signer.checkpoint(size, root).expect("signed");
        assert_eq!(checkpoint::verify_with(&note, &key).expect("verifies").size, 1);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

on_both_backends! {
    async fn bad_requests_get_clear_json_errors(app) {
        let english = |path: &str| app.client().http.get(app.url(path)).header("accept-language", "en").send();
        let response = english("/api/log/records/0").await.expect("GET");
        assert_eq!(response.status(), 404);
        let body: serde_json::Value = response.json().await.expect("JSON");
        assert_eq!(body["code"], "unknown_log_record");
        assert_eq!(body["message"], "The public log has no record with this index.");
        let (status, body) = get_json(&app, "/api/log/records/not-a-number").await;
        assert_eq!((status, body["code"].as_str()), (404, Some("unknown_log_record")));

        let log = &app.state.db.fairlog;
        log.append(&wheel(), NOW).await.expect("appended");
        log.append(&seed_commit("m-1"), NOW).await.expect("appended");
        for path in [
            "/api/log/proof/inclusion?index=0&size=3",
            "/api/log/proof/inclusion?index=1&size=1",
            "/api/log/proof/inclusion?index=0&size=0",
            "/api/log/proof/consistency?old=2&new=1",
            "/api/log/proof/consistency?old=0&new=2",
            "/api/log/proof/consistency?old=1&new=3",
        ] {
            let (status, body) = get_json(&app, path).await;
            assert_eq!((status, body["code"].as_str()), (422, Some("bad_tree_size")), "{path}");
        }
        let (status, body) = get_json(&app, "/api/log/proof/inclusion?index=2&size=2").await;
        assert_eq!((status, body["code"].as_str()), (404, Some("unknown_log_record")));
        let (status, body) = get_json(&app, "/api/log/proof/inclusion?index=x").await;
        assert_eq!((status, body["code"].as_str()), (422, Some("bad_request")));
        let (status, body) = get_json(&app, "/api/log/records/1").await;
        assert_eq!((status, body["kind"].as_str()), (200, Some("SPIN_SEED_COMMIT")), "no login needed");
    }
}
