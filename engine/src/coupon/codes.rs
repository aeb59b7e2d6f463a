//! Coupon codes and the CSV pools partners upload.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Most rows one uploaded pool may have.
pub const MAX_POOL_ROWS: usize = 100_000;
const MAX_CODE_LEN: usize = 40;
const MIN_CODE_LEN: usize = 4;

/// A coupon code: 4 to 40 of `A-Z`, `0-9` and `-`, upper-cased (what a till types and a
/// barcode carries).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CodeText(String);

impl CodeText {
    pub fn parse(text: &str) -> Option<Self> {
        let code = text.trim().to_ascii_uppercase();
        let ok = (MIN_CODE_LEN..=MAX_CODE_LEN).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-');
        ok.then_some(Self(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CodeText {
    type Error = &'static str;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text).ok_or("a code is 4 to 40 of A-Z, 0-9 and -")
    }
}

impl From<CodeText> for String {
    fn from(code: CodeText) -> Self {
        code.0
    }
}

/// Why one row of a pool was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum PoolError {
    #[error("row {row}: {text:?} is not a code (4 to 40 of A-Z, 0-9 and -)")]
    NotACode { row: usize, text: String },
    #[error("row {row}: {code} is already on row {first}")]
    Duplicate { row: usize, code: String, first: usize },
    #[error("row {row}: not readable as CSV: {why}")]
    Unreadable { row: usize, why: String },
    #[error("the file has more than {MAX_POOL_ROWS} rows")]
    TooManyRows,
}

/// What a pool upload found: the codes to load and every refused row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PoolReport {
    pub codes: Vec<CodeText>,
    pub errors: Vec<PoolError>,
    /// Rows read, the header and blank rows included.
    pub rows: usize,
}

/// Reads a pool: one code in the first column of each row, an optional header row `code`,
/// blank rows skipped. A file with any refused row loads nothing: the partner fixes the rows
/// named and uploads again.
pub fn read_pool(text: &str) -> PoolReport {
    let mut report = PoolReport::default();
    let mut seen: HashMap<CodeText, usize> = HashMap::new();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    for (at, record) in reader.records().enumerate() {
        let row = at + 1;
        report.rows = row;
        if row > MAX_POOL_ROWS {
            report.errors.push(PoolError::TooManyRows);
            break;
        }
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                report.errors.push(PoolError::Unreadable { row, why: e.to_string() });
                continue;
            }
        };
        let cell = record.get(0).unwrap_or("").trim().trim_start_matches('\u{feff}');
        if cell.is_empty() || (row == 1 && cell.eq_ignore_ascii_case("code")) {
            continue;
        }
        match CodeText::parse(cell) {
            None => report.errors.push(PoolError::NotACode { row, text: cell.chars().take(60).collect() }),
            Some(code) => match seen.get(&code) {
                Some(&first) => report.errors.push(PoolError::Duplicate { row, code: code.as_str().to_owned(), first }),
                None => {
                    seen.insert(code.clone(), row);
                    report.codes.push(code);
                }
            },
        }
    }
    if !report.errors.is_empty() {
        report.codes.clear();
    }
    report
}
