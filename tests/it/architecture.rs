//! The engine stays pure: no IO crates in its dependency graph, no clock or OS randomness in its
//! source. (It is also built for wasm32 by the test command.)

use std::collections::{HashMap, HashSet};
use std::path::Path;

const FORBIDDEN_CRATES: &[&str] = &[
    "tokio", "sqlx", "axum", "hyper", "reqwest", "mio", "async-std", "leptos", "tower", "redis", "getrandom",
    "socket2", "chrono", "rand",
];

const FORBIDDEN_CALLS: &[&str] = &[
    "SystemTime::now", "Instant::now", "thread_rng", "OsRng", "std::fs", "std::net", "std::env", "std::process",
    "async fn",
];

#[test]
fn the_engine_depends_on_no_io_crate() {
    let output = std::process::Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--offline", "--manifest-path"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml"))
        .output()
        .expect("cargo metadata runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).expect("metadata is JSON");
    let names: HashMap<&str, &str> = metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| (p["id"].as_str().expect("id"), p["name"].as_str().expect("name")))
        .collect();
    let nodes: HashMap<&str, &serde_json::Value> = metadata["resolve"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| (n["id"].as_str().expect("id"), n))
        .collect();
    let engine = names.iter().find(|(_, name)| **name == "engine").map(|(id, _)| *id).expect("engine package");
    let mut seen = HashSet::new();
    let mut stack = vec![engine];
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        for dep in nodes[id]["deps"].as_array().expect("deps") {
            let normal = dep["dep_kinds"].as_array().expect("kinds").iter().any(|k| k["kind"].is_null());
            if normal {
                stack.push(dep["pkg"].as_str().expect("pkg"));
            }
        }
    }
    let bad: Vec<&str> = seen.iter().map(|id| names[id]).filter(|name| FORBIDDEN_CRATES.contains(name)).collect();
    assert!(bad.is_empty(), "the engine must stay pure, but depends on {bad:?}");
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_engine_reads_no_clock_and_no_os_randomness() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../engine/src"), &mut files);
    assert!(files.len() > 5, "engine sources found");
    let mut found = Vec::new();
    for file in files {
        let source = std::fs::read_to_string(&file).expect("readable");
        for call in FORBIDDEN_CALLS {
            if source.contains(call) {
                found.push(format!("{}: {call}", file.display()));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
