//! The verifier the audit page loads on demand: `verify_bundle` checks an audit bundle with the
//! engine, in the visitor's browser. It is a module of its own so that every other page's
//! bundle carries none of the BLS12-381 and Ed25519 code.

mod draw_timing;

use engine::fair::{VerifierKey, verify_bundle_json};
use serde_json::json;
use wasm_bindgen::prelude::wasm_bindgen;

pub use draw_timing::fairdraw_timing;

/// The report as JSON: `{"ok":…,"checks":[{"name","status","detail","meaning_en","meaning_fa"}]}`,
/// or `{"error":…}` when the key or the bundle cannot be read at all.
#[wasm_bindgen]
pub fn verify_bundle(bundle_json: &str, key: &str) -> String {
    let key = key.trim();
    let pinned = if key.is_empty() { Ok(None) } else { VerifierKey::parse(key).map(Some) };
    let pinned = match pinned {
        Ok(pinned) => pinned,
        Err(e) => return json!({ "error": format!("invalid log key: {e}") }).to_string(),
    };
    match verify_bundle_json(bundle_json, pinned.as_ref()) {
        Ok(report) => json!({ "ok": report.ok(), "checks": report.checks }).to_string(),
        Err(e) => json!({ "error": format!("not an audit bundle: {e}") }).to_string(),
    }
}
