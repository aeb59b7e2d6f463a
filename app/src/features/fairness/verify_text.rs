//! One way to present `verify(bundle)`: every check with what a failure means, in either
//! language. The CLI prints it; the audit page renders the same report in the browser.

use engine::fair::{Report, Status, VerifierKey, verify_bundle_json};

use crate::platform::i18n::Lang;

/// Verifies a bundle's JSON, pinning the log key when one is given.
pub fn verify(bundle_json: &str, key: Option<&str>) -> Result<Report, String> {
    let pinned = key
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(|k| VerifierKey::parse(k).map_err(|e| format!("invalid log key: {e}")))
        .transpose()?;
    verify_bundle_json(bundle_json, pinned.as_ref()).map_err(|e| format!("not an audit bundle: {e}"))
}

pub fn status_word(status: Status) -> &'static str {
    match status {
        Status::Passed => "pass",
        Status::Failed => "FAIL",
        Status::Warning => "warn",
        Status::Skipped => "skip",
    }
}

/// The report as lines of text: a line per check, with its meaning when it did not pass.
pub fn report_text(report: &Report, lang: Lang) -> String {
    let mut out = String::new();
    for check in &report.checks {
        out.push_str(&format!("{}  {:<24} {}\n", status_word(check.status), check.name, check.detail));
        if check.status != Status::Passed {
            let meaning = match lang {
                Lang::Fa => check.meaning_fa,
                Lang::En => check.meaning_en,
            };
            out.push_str(&format!("      {meaning}\n"));
        }
    }
    out
}
