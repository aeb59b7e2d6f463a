//! A verification report as the audit page receives it from the verifier module, in JSON: the
//! same checks as `engine::fair::Report`, in owned strings.

use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    Passed,
    Failed,
    Warning,
    Skipped,
}

impl CheckStatus {
    /// The word the CLI prints and the page's `data-status` carries.
    pub fn word(&self) -> &'static str {
        match self {
            Self::Passed => "pass",
            Self::Failed => "FAIL",
            Self::Warning => "warn",
            Self::Skipped => "skip",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CheckView {
    pub name: String,
    pub status: CheckStatus,
    pub detail: String,
    pub meaning_en: String,
    pub meaning_fa: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ReportView {
    pub ok: bool,
    pub checks: Vec<CheckView>,
}

/// What `verifier::verify_bundle` answers: a report, or why there is none.
pub fn parse(answer: &str) -> Result<ReportView, String> {
    #[derive(Deserialize)]
    struct Refusal {
        error: String,
    }
    if let Ok(Refusal { error }) = serde_json::from_str::<Refusal>(answer) {
        return Err(error);
    }
    serde_json::from_str(answer).map_err(|e| format!("unreadable report: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_and_refusals_are_read() {
        let report = parse(r#"{"ok":false,"checks":[{"name":"seed","status":"failed","detail":"d","meaning_en":"e","meaning_fa":"f"}]}"#);
        let report = report.expect("a report");
        assert!(!report.ok);
        assert_eq!(report.checks[0].status, CheckStatus::Failed);
        assert_eq!(parse(r#"{"error":"not an audit bundle: x"}"#), Err("not an audit bundle: x".to_owned()));
    }
}
