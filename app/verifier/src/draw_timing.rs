//! Times a `fairdraw/v1` draw in the visitor's browser: the engine compiled to WebAssembly runs
//! and then verifies a synthetic draw of `n` tickets (the same shape as the native benchmark,
//! `engine/examples/fairdraw_1m.rs`). The browser benchmark in BENCHMARKS.md calls it.

use engine::fair::fairdraw::{Entry, user_commit};
use engine::fair::fairdraw_verify::{Draw, run, verify};
use engine::fair::{Beacon, sha256};
use wasm_bindgen::prelude::wasm_bindgen;

/// `{"entries":n,"setup_ms":…,"run_ms":…,"verify_ms":…,"ok":true}`, or `{"error":…}`.
#[wasm_bindgen]
pub fn fairdraw_timing(n: u32) -> String {
    let n = n as usize;
    let draw_id = "draw-bench-1m";
    let start = js_sys::Date::now();
    let members = (n * 2 / 3).max(1);
    let commits: Result<Vec<_>, _> =
        (0..members).map(|m| user_commit(draw_id, &format!("member-{m}"), &[(m % 251) as u8; 16])).collect();
    let Ok(commits) = commits else { return r#"{"error":"user commit"}"#.to_owned() };
    let entries: Vec<Entry> = (0..n)
        .map(|i| Entry {
            user_commit: commits[((i as u64 * 7919) % members as u64) as usize],
            weight: (i as u64 % 5) + 1,
            client_seed: sha256(&(i as u64).to_le_bytes()),
        })
        .collect();
    let draw = Draw {
        draw_id,
        open_record_hash: sha256(b"open"),
        server_seed: sha256(b"server"),
        beacon: Beacon { round: 123, rho: sha256(b"rho") },
        k: 100,
        entries: &entries,
    };
    let ran = js_sys::Date::now();
    let Ok(outcome) = run(&draw) else { return r#"{"error":"run"}"#.to_owned() };
    let verifying = js_sys::Date::now();
    let ok = verify(&draw, &outcome).is_ok();
    let done = js_sys::Date::now();
    format!(
        r#"{{"entries":{n},"setup_ms":{:.0},"run_ms":{:.0},"verify_ms":{:.0},"ok":{ok}}}"#,
        ran - start,
        verifying - ran,
        done - verifying
    )
}
