//! `bashgah verify` and the audit page share one presentation of `verify(bundle)`: run it on the
//! published bundle vectors, which the engine and the Python verifier already agree on.

use std::path::Path;

use app::platform::i18n::Lang;
use app::features::fairness::verify_text::{report_text, verify};

pub fn bundle_vectors() -> Vec<serde_json::Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../engine/tests/vectors/fairness.json");
    let all: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).expect("vectors")).expect("json");
    all["vectors"].as_array().expect("vectors").iter().filter(|v| v["kind"] == "fair_bundle").cloned().collect()
}

pub fn bundle_named(name: &str) -> (String, Option<String>) {
    let vector = bundle_vectors().into_iter().find(|v| v["name"] == name).expect("the vector exists");
    (vector["bundle"].to_string(), vector["pinned_key"].as_str().map(str::to_owned))
}

#[test]
fn every_bundle_vector_gives_its_expected_verdict_and_explains_failures() {
    let vectors = bundle_vectors();
    assert!(vectors.len() >= 20, "bundle vectors found");
    for vector in vectors {
        let name = vector["name"].as_str().expect("name");
        let report = verify(&vector["bundle"].to_string(), vector["pinned_key"].as_str()).expect("a bundle");
        assert_eq!(report.ok(), vector["ok"].as_bool().expect("ok"), "{name}");
        let text = report_text(&report, Lang::Fa);
        if !report.ok() {
            assert!(text.contains("FAIL") || text.contains("skip"), "{name}: {text}");
        }
        assert_eq!(text.lines().filter(|l| !l.starts_with(' ')).count(), report.checks.len(), "{name}: a line per check");
    }
}

#[test]
fn a_malformed_bundle_or_key_is_named_as_such() {
    assert!(verify("{\"format\": \"nope\"}", None).expect_err("refused").contains("not an audit bundle"));
    let (bundle, _) = bundle_named("spin, beacon round 123: every check passes");
    assert!(verify(&bundle, Some("not-a-key")).expect_err("refused").contains("invalid log key"));
}
