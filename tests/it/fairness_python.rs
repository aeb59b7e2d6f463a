//! The independent Python verifier must agree with the engine on every published vector.

use std::path::Path;

#[test]
fn the_python_verifier_agrees_on_every_vector() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let output = std::process::Command::new("python3")
        .arg(root.join("tests/fairness/verify.py"))
        .arg(root.join("engine/tests/vectors/fairness.json"))
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}
