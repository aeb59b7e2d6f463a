//! The Jalali (Solar Hijri) calendar, Iran's official calendar.
//!
//! Conversion follows Kazimierz Borkowski's arithmetic as published in the widely used `jalaali`
//! libraries: it agrees with the astronomical calendar for Jalali years −61 to 3177. It is written
//! out here because the engine may not depend on anything that reads the clock, and the crates that
//! ship it pull in one.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Jalali years at which the 33-year leap cycle shifts.
const BREAKS: [i64; 20] = [
    -61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324,
    2394, 2456, 3178,
];

pub const MONTH_NAMES_FA: [&str; 12] = [
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن",
    "اسفند",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum JalaliError {
    #[error("year {0} is outside the supported range")]
    YearOutOfRange(i32),
    #[error("{year}/{month}/{day} is not a day of the Jalali calendar")]
    NoSuchDay { year: i32, month: u8, day: u8 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct JalaliDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

struct YearInfo {
    /// 0 for a leap year, otherwise the years since the last one.
    leap: i64,
    gregorian_year: i64,
    /// Day of March on which the Jalali year starts.
    march_day: i64,
}

fn year_info(jy: i64) -> YearInfo {
    let gy = jy + 621;
    let mut leap_j = -14;
    let mut jp = BREAKS[0];
    let mut jump = 0;
    for &jm in &BREAKS[1..] {
        jump = jm - jp;
        if jy < jm {
            break;
        }
        leap_j += jump / 33 * 8 + (jump % 33) / 4;
        jp = jm;
    }
    let mut n = jy - jp;
    leap_j += n / 33 * 8 + (n % 33 + 3) / 4;
    if jump % 33 == 4 && jump - n == 4 {
        leap_j += 1;
    }
    let leap_g = gy / 4 - (gy / 100 + 1) * 3 / 4 - 150;
    let march_day = 20 + leap_j - leap_g;
    if jump - n < 6 {
        n = n - jump + (jump + 4) / 33 * 33;
    }
    let mut leap = ((n + 1) % 33 - 1) % 4;
    if leap == -1 {
        leap = 4;
    }
    YearInfo { leap, gregorian_year: gy, march_day }
}

fn supported(year: i32) -> bool {
    (BREAKS[0]..BREAKS[BREAKS.len() - 1]).contains(&i64::from(year))
}

pub(crate) fn gregorian_to_julian_day(year: i32, month: u32, day: u32) -> i64 {
    let (gy, gm, gd) = (i64::from(year), i64::from(month), i64::from(day));
    let d = (gy + (gm - 8) / 6 + 100_100) * 1461 / 4 + (153 * ((gm + 9) % 12) + 2) / 5 + gd
        - 34_840_408;
    d - (gy + 100_100 + (gm - 8) / 6) / 100 * 3 / 4 + 752
}

pub(crate) fn julian_day_to_gregorian(jdn: i64) -> (i32, u32, u32) {
    let mut j = 4 * jdn + 139_361_631;
    j += (4 * jdn + 183_187_720) / 146_097 * 3 / 4 * 4 - 3908;
    let i = (j % 1461) / 4 * 5 + 308;
    let gd = (i % 153) / 5 + 1;
    let gm = (i / 153) % 12 + 1;
    let gy = j / 1461 - 100_100 + (8 - gm) / 6;
    // The ranges are bounded by construction: month 1..=12, day 1..=31.
    (gy as i32, gm as u32, gd as u32)
}

impl JalaliDate {
    pub fn new(year: i32, month: u8, day: u8) -> Result<Self, JalaliError> {
        if !supported(year) {
            return Err(JalaliError::YearOutOfRange(year));
        }
        if !(1..=12).contains(&month) || day == 0 || day > Self::days_in_month(year, month) {
            return Err(JalaliError::NoSuchDay { year, month, day });
        }
        Ok(Self { year, month, day })
    }

    pub fn is_leap_year(year: i32) -> bool {
        year_info(i64::from(year)).leap == 0
    }

    pub fn days_in_month(year: i32, month: u8) -> u8 {
        match month {
            1..=6 => 31,
            7..=11 => 30,
            _ if Self::is_leap_year(year) => 30,
            _ => 29,
        }
    }

    pub fn from_gregorian(year: i32, month: u32, day: u32) -> Self {
        Self::from_julian_day(gregorian_to_julian_day(year, month, day))
    }

    pub fn to_gregorian(self) -> (i32, u32, u32) {
        julian_day_to_gregorian(self.julian_day())
    }

    pub fn julian_day(self) -> i64 {
        let info = year_info(i64::from(self.year));
        let month = i64::from(self.month);
        gregorian_to_julian_day(info.gregorian_year as i32, 3, info.march_day as u32)
            + (month - 1) * 31
            - month / 7 * (month - 7)
            + i64::from(self.day)
            - 1
    }

    pub fn from_julian_day(jdn: i64) -> Self {
        let (gy, _, _) = julian_day_to_gregorian(jdn);
        let mut jy = i64::from(gy) - 621;
        let info = year_info(jy);
        let first_day = gregorian_to_julian_day(gy, 3, info.march_day as u32);
        let mut k = jdn - first_day;
        if k >= 0 {
            if k <= 185 {
                return Self::from_parts(jy, 1 + k / 31, k % 31 + 1);
            }
            k -= 186;
        } else {
            jy -= 1;
            k += 179;
            // `leap == 1` means this year follows a leap year, whose Esfand has 30 days.
            if info.leap == 1 {
                k += 1;
            }
        }
        Self::from_parts(jy, 7 + k / 30, k % 30 + 1)
    }

    fn from_parts(year: i64, month: i64, day: i64) -> Self {
        // Month and day come out of the arithmetic above already within 1..=12 and 1..=31.
        Self { year: year as i32, month: month as u8, day: day as u8 }
    }

    /// The last day of this date's month.
    pub fn end_of_month(self) -> Self {
        Self { day: Self::days_in_month(self.year, self.month), ..self }
    }

    /// The last day of this date's year (29 or 30 Esfand).
    pub fn end_of_year(self) -> Self {
        Self { month: 12, day: Self::days_in_month(self.year, 12), ..self }
    }

    /// The day after this one.
    pub fn next_day(self) -> Self {
        Self::from_julian_day(self.julian_day() + 1)
    }

    /// Parses `1403/01/15` or `1403-1-15`, in any digit script.
    pub fn parse(text: &str) -> Result<Self, JalaliError> {
        let normalized = crate::text::ascii_digits(text.trim());
        let mut parts = normalized.split(['/', '-']);
        let mut next = || parts.next().and_then(|p| p.trim().parse::<i64>().ok());
        let bad = JalaliError::NoSuchDay { year: 0, month: 0, day: 0 };
        let (Some(y), Some(m), Some(d)) = (next(), next(), next()) else { return Err(bad) };
        if next().is_some() {
            return Err(bad);
        }
        let year = i32::try_from(y).map_err(|_| bad)?;
        let month = u8::try_from(m).map_err(|_| JalaliError::NoSuchDay { year, month: 0, day: 0 })?;
        let day = u8::try_from(d).map_err(|_| JalaliError::NoSuchDay { year, month, day: 0 })?;
        Self::new(year, month, day)
    }

    /// `1403/01/15` with ASCII digits; the UI localises the digits.
    pub fn to_slashed(self) -> String {
        format!("{:04}/{:02}/{:02}", self.year, self.month, self.day)
    }

    /// `۱۵ فروردین ۱۴۰۳`.
    pub fn to_persian_long(self) -> String {
        let month = MONTH_NAMES_FA[usize::from(self.month - 1)];
        crate::text::persian_digits(&format!("{} {} {}", self.day, month, self.year))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_new_years_days() {
        assert_eq!(JalaliDate::from_gregorian(2024, 3, 20), JalaliDate { year: 1403, month: 1, day: 1 });
        assert_eq!(JalaliDate::from_gregorian(2025, 3, 21), JalaliDate { year: 1404, month: 1, day: 1 });
        assert_eq!(JalaliDate::from_gregorian(1979, 2, 11), JalaliDate { year: 1357, month: 11, day: 22 });
        assert_eq!(JalaliDate { year: 1403, month: 12, day: 30 }.to_gregorian(), (2025, 3, 20));
    }

    #[test]
    fn leap_years_follow_the_33_year_cycle() {
        let leaps: Vec<i32> = (1395..=1410).filter(|&y| JalaliDate::is_leap_year(y)).collect();
        assert_eq!(leaps, vec![1395, 1399, 1403, 1408]);
        assert!(JalaliDate::new(1404, 12, 30).is_err());
        assert!(JalaliDate::new(1403, 12, 30).is_ok());
    }

    #[test]
    fn every_day_from_1900_to_2100_round_trips_and_follows_the_previous() {
        let start = gregorian_to_julian_day(1900, 1, 1);
        let end = gregorian_to_julian_day(2100, 12, 31);
        let mut previous = JalaliDate::from_julian_day(start - 1);
        for jdn in start..=end {
            let date = JalaliDate::from_julian_day(jdn);
            assert_eq!(date.julian_day(), jdn);
            assert_eq!(JalaliDate::new(date.year, date.month, date.day), Ok(date));
            let expected_next = if previous.day < JalaliDate::days_in_month(previous.year, previous.month) {
                JalaliDate { day: previous.day + 1, ..previous }
            } else if previous.month < 12 {
                JalaliDate { month: previous.month + 1, day: 1, ..previous }
            } else {
                JalaliDate { year: previous.year + 1, month: 1, day: 1 }
            };
            assert_eq!(date, expected_next, "day after {previous:?}");
            previous = date;
        }
    }

    #[test]
    fn parses_any_digit_script() {
        assert_eq!(JalaliDate::parse("۱۳۷۰/۰۵/۰۹"), JalaliDate::new(1370, 5, 9));
        assert_eq!(JalaliDate::parse("1370-5-9"), JalaliDate::new(1370, 5, 9));
        assert!(JalaliDate::parse("1370/13/01").is_err());
        assert!(JalaliDate::parse("1370/05").is_err());
        assert!(JalaliDate::parse("1370/05/09/1").is_err());
        assert_eq!(JalaliDate::new(1403, 1, 15).map(|d| d.to_persian_long()).as_deref(), Ok("۱۵ فروردین ۱۴۰۳"));
    }
}
