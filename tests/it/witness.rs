//! Witnesses cosign the log: `bashgah witness` checks the log's signature and its consistency
//! with what it cosigned before, the club keeps only its configured witnesses' cosignatures of
//! checkpoints it really signed, and the audit page shows them.

use app::features::fairness::server::witness_cli::Witness;
use engine::fair::checkpoint::{self, Checkpoint};
use engine::fair::cosignature::{CosignerKey, cosign};
use engine::fair::{Record, sha256, signed_note};
use engine::fair::log::DrawReveal;

use crate::support::{Backend, TestApp, now};

const WITNESS: &str = "auditor.example/w1";

fn temp_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join("bashgah-tests").join(format!("witness-{}-{}", std::process::id(), now().unix_millis()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A club that accepts the witness whose secret key is in `dir/witness.key`.
async fn club_with_witness(dir: &std::path::Path) -> (TestApp, Witness) {
    let key_file = dir.join("witness.key");
    let seed: [u8; 32] = rand_seed();
    std::fs::write(&key_file, format!("{}\n", engine::fair::hexstr::encode(&seed))).expect("key");
    let vkey = CosignerKey::from_seed(WITNESS, &seed).expect("key").encode();
    let app = TestApp::spawn_with(Backend::Sqlite, &[("BASHGAH_WITNESSES", vkey)]).await;
    let log_key = app.state.fairlog_key.signer().await.expect("signer").verifier_key().clone();
    let witness = Witness { log_url: app.url(""), log_key, name: WITNESS.into(), key_file, state_file: dir.join("witness.state") };
    (app, witness)
}

fn rand_seed() -> [u8; 32] {
    sha256(format!("witness-{}-{}", std::process::id(), now().unix_millis()).as_bytes())
}

async fn append(app: &TestApp, n: u8) {
    let record = Record::DrawReveal(DrawReveal { draw_id: format!("test-{n}"), server_seed: [n; 32] });
    app.state.db.fairlog.append(&record, now()).await.expect("appended");
}

async fn listed(app: &TestApp) -> Vec<serde_json::Value> {
    let list: serde_json::Value = reqwest::get(app.url("/api/log/cosignatures")).await.expect("sent").json().await.expect("json");
    list.as_array().expect("a list").clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_witness_cosigns_the_growing_log_and_the_audit_page_shows_it() {
    let dir = temp_dir();
    let (app, witness) = club_with_witness(&dir).await;
    append(&app, 1).await;
    let secs = (now().unix_millis() / 1000) as u64;
    let first = witness.cosign_latest(secs).await.expect("cosigned");
    let key = witness.key().expect("key");
    assert_eq!(engine::fair::cosignature::verify_cosigned(&first, &key).expect("verifies").checkpoint.size, 1);
    append(&app, 2).await;
    append(&app, 3).await;
    witness.cosign_latest(secs + 1).await.expect("consistent, cosigned again");
    let list = listed(&app).await;
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!((list[0]["witness"].as_str(), list[0]["size"].as_u64()), (Some(WITNESS), Some(3)), "the latest cosigned size");
    let page = reqwest::get(app.url("/audit")).await.expect("sent").text().await.expect("page");
    assert!(page.contains("data-test=\"cosignature\"") && page.contains(WITNESS), "the audit page lists the witness");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_witness_refuses_a_log_that_went_back_or_forked() {
    let dir = temp_dir();
    let (app, witness) = club_with_witness(&dir).await;
    append(&app, 1).await;
    let larger = Checkpoint::new("bashgah.local/fairlog", 9, sha256(b"some root")).body().expect("body");
    std::fs::write(&witness.state_file, larger).expect("state");
    let refused = witness.cosign_latest(1).await.expect_err("went back");
    assert!(refused.to_string().contains("WENT BACK"), "{refused}");
    let same_size = Checkpoint::new("bashgah.local/fairlog", 1, sha256(b"another root")).body().expect("body");
    std::fs::write(&witness.state_file, same_size).expect("state");
    let refused = witness.cosign_latest(1).await.expect_err("forked");
    assert!(refused.to_string().contains("FORKED"), "{refused}");
    assert!(listed(&app).await.is_empty(), "nothing was cosigned");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_club_keeps_only_configured_witnesses_cosigning_its_own_checkpoints() {
    let dir = temp_dir();
    let (app, _witness) = club_with_witness(&dir).await;
    append(&app, 1).await;
    let note = reqwest::get(app.url("/api/log/checkpoint")).await.expect("sent").text().await.expect("note");
    let (body, _) = signed_note::split(&note).expect("split");
    let post = |text: String| {
        let url = app.url("/api/log/cosignatures");
        async move {
            let answer = reqwest::Client::new().post(url).body(text).send().await.expect("sent");
            let status = answer.status().as_u16();
            (status, answer.json::<serde_json::Value>().await.map(|v| v["code"].as_str().unwrap_or_default().to_owned()).unwrap_or_default())
        }
    };
    // A stranger's cosignature of a real checkpoint.
    let stranger = cosign(body, &[5; 32], "stranger.example/w", 1).expect("cosigned");
    assert_eq!(post(format!("{note}{stranger}\n")).await, (403, "unknown_witness".to_owned()));
    // A checkpoint of a tree the log never had, signed by another key.
    let forged = checkpoint::sign(&Checkpoint::new("bashgah.local/fairlog", 1, sha256(b"x")), &[6; 32], "bashgah.local/fairlog").expect("signed");
    assert_eq!(post(forged).await, (422, "bad_cosignature".to_owned()));
    assert_eq!(post("not a note".into()).await, (422, "bad_cosignature".to_owned()));
    assert!(listed(&app).await.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}
