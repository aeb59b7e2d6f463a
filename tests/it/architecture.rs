//! The engine stays pure: no IO crates in its dependency graph, no clock or OS randomness in its
//! source. (It is also built for wasm32 by the test command.)

use std::collections::HashSet;
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
    // `cargo tree` resolves the engine's own features; workspace-wide metadata would mix in
    // features that other members turn on for shared crates.
    let output = std::process::Command::new(env!("CARGO"))
        .args(["tree", "--offline", "-p", "engine", "-e", "normal", "--prefix", "none", "--format", "{p}", "--manifest-path"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml"))
        .output()
        .expect("cargo tree runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let tree = String::from_utf8(output.stdout).expect("utf-8");
    let names: HashSet<&str> = tree.lines().filter_map(|line| line.split_whitespace().next()).collect();
    assert!(names.contains("engine") && names.len() > 3, "the tree was read: {names:?}");
    let bad: Vec<&&str> = FORBIDDEN_CRATES.iter().filter(|name| names.contains(**name)).collect();
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
