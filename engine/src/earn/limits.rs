//! Per-member, per-period usage of limited rules: what the store keeps so limits hold across events.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::ids::RuleId;
use super::rules::Period;
use crate::ledger::Points;
use crate::time::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{0:?} is not a period key (day:1403-01-15, month:1403-01, year:1403 or ever)")]
pub struct PeriodKeyError(String);

/// One concrete period, Tehran time. Its text form (`day:1403-01-15`, `month:1403-01`,
/// `year:1403`, `ever`) is the column the store keys usage rows by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum PeriodKey {
    Day { year: i32, month: u8, day: u8 },
    Month { year: i32, month: u8 },
    Year(i32),
    Ever,
}

impl PeriodKey {
    /// The period of kind `period` that contains `at`.
    pub fn at(period: Period, at: Timestamp) -> Self {
        let d = at.tehran_date();
        match period {
            Period::Day => PeriodKey::Day {
                year: d.year,
                month: d.month,
                day: d.day,
            },
            Period::JalaliMonth => PeriodKey::Month {
                year: d.year,
                month: d.month,
            },
            Period::JalaliYear => PeriodKey::Year(d.year),
            Period::Ever => PeriodKey::Ever,
        }
    }

    /// Every key that can be live at `at`: the usage rows the app loads before `evaluate`.
    pub fn all_at(at: Timestamp) -> [PeriodKey; 4] {
        [
            Period::Day,
            Period::JalaliMonth,
            Period::JalaliYear,
            Period::Ever,
        ]
        .map(|p| PeriodKey::at(p, at))
    }
}

impl fmt::Display for PeriodKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PeriodKey::Day { year, month, day } => write!(f, "day:{year:04}-{month:02}-{day:02}"),
            PeriodKey::Month { year, month } => write!(f, "month:{year:04}-{month:02}"),
            PeriodKey::Year(year) => write!(f, "year:{year:04}"),
            PeriodKey::Ever => f.write_str("ever"),
        }
    }
}

impl FromStr for PeriodKey {
    type Err = PeriodKeyError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || PeriodKeyError(text.to_owned());
        if text == "ever" {
            return Ok(PeriodKey::Ever);
        }
        let (kind, rest) = text.split_once(':').ok_or_else(bad)?;
        let parts: Vec<&str> = rest.split('-').collect();
        let year = |s: &str| s.parse::<i32>().ok().filter(|y| (1..=9999).contains(y));
        let month = |s: &str| s.parse::<u8>().ok().filter(|m| (1..=12).contains(m));
        let key = match (kind, parts.as_slice()) {
            ("year", [y]) => year(y).map(PeriodKey::Year),
            ("month", [y, m]) => year(y)
                .zip(month(m))
                .map(|(year, month)| PeriodKey::Month { year, month }),
            ("day", [y, m, d]) => {
                let date = year(y)
                    .zip(month(m))
                    .zip(d.parse::<u8>().ok())
                    .and_then(|((y, m), d)| crate::jalali::JalaliDate::new(y, m, d).ok());
                date.map(|d| PeriodKey::Day {
                    year: d.year,
                    month: d.month,
                    day: d.day,
                })
            }
            _ => None,
        };
        key.filter(|k| k.to_string() == text).ok_or_else(bad)
    }
}

impl TryFrom<String> for PeriodKey {
    type Error = PeriodKeyError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<PeriodKey> for String {
    fn from(key: PeriodKey) -> String {
        key.to_string()
    }
}

/// Points one rule awarded one member in one period: one row (member, rule, period, points).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleUsage {
    pub rule: RuleId,
    pub period: PeriodKey,
    pub points: Points,
}

/// What a member has already received from limited rules, summed per rule and period. Rows for
/// other periods are harmless; missing rows count as zero, so the app must load at least the
/// rows for `PeriodKey::all_at(event time)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    used: BTreeMap<(RuleId, PeriodKey), Points>,
}

impl History {
    pub fn new<I: IntoIterator<Item = RuleUsage>>(rows: I) -> Self {
        let mut history = Self::default();
        history.record(rows);
        history
    }

    /// Adds usage, e.g. `award.usage` after the award was committed (simulations and tests).
    pub fn record<I: IntoIterator<Item = RuleUsage>>(&mut self, rows: I) {
        for row in rows {
            let slot = self.used.entry((row.rule, row.period)).or_default();
            *slot = slot.checked_add(row.points).unwrap_or(Points::MAX);
        }
    }

    pub fn used(&self, rule: &RuleId, period: PeriodKey) -> Points {
        self.used
            .get(&(rule.clone(), period))
            .copied()
            .unwrap_or_default()
    }

    pub fn rows(&self) -> impl Iterator<Item = RuleUsage> + '_ {
        self.used.iter().map(|((rule, period), points)| RuleUsage {
            rule: rule.clone(),
            period: *period,
            points: *points,
        })
    }
}
