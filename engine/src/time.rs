//! Instants as plain values. The app reads the clock; the engine only receives the result.

use serde::{Deserialize, Serialize};

use crate::jalali::JalaliDate;

const MS_PER_DAY: i64 = 86_400_000;
/// Iran has kept UTC+03:30 all year since it abolished daylight saving time in 2022.
const TEHRAN_OFFSET_MS: i64 = (3 * 60 + 30) * 60 * 1000;
/// Julian day number of 1970-01-01.
const UNIX_EPOCH_JDN: i64 = 2_440_588;

/// Milliseconds since the Unix epoch (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(i64);

impl Timestamp {
    pub const fn from_unix_millis(ms: i64) -> Self {
        Self(ms)
    }

    pub const fn unix_millis(self) -> i64 {
        self.0
    }

    /// Adds whole days, saturating at the ends of the representable range.
    pub fn plus_days(self, days: i64) -> Self {
        Self(self.0.saturating_add(days.saturating_mul(MS_PER_DAY)))
    }

    /// The calendar day in Tehran on which this instant falls.
    pub fn tehran_date(self) -> JalaliDate {
        let local_days = (self.0 + TEHRAN_OFFSET_MS).div_euclid(MS_PER_DAY);
        JalaliDate::from_julian_day(local_days + UNIX_EPOCH_JDN)
    }

    /// Midnight at the start of `date`, Tehran time.
    pub fn from_tehran_start_of_day(date: JalaliDate) -> Self {
        let days = date.julian_day() - UNIX_EPOCH_JDN;
        Self(days * MS_PER_DAY - TEHRAN_OFFSET_MS)
    }

    /// `minutes` after midnight of `date`, Tehran time (a time of day as people enter it).
    pub fn from_tehran(date: JalaliDate, minutes: u32) -> Self {
        Self(Self::from_tehran_start_of_day(date).0 + i64::from(minutes) * 60_000)
    }

    /// Minutes since midnight in Tehran, 0..1440.
    pub fn tehran_minutes(self) -> u32 {
        let ms = (self.0 + TEHRAN_OFFSET_MS).rem_euclid(MS_PER_DAY);
        // Below 1440 by the rem_euclid above, so it always fits.
        u32::try_from(ms / 60_000).unwrap_or(0)
    }
}

/// A Gregorian calendar date, for values that people enter or read in that calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct GregorianDate {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl GregorianDate {
    /// Checks that the date exists; a value of this type is always a real day.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Self> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days).contains(&day).then_some(Self { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse_iso(text: &str) -> Option<Self> {
        let mut parts = text.trim().splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        Self::new(year, month, day)
    }

    /// Parses a date typed in either calendar: years before 1700 are Jalali (`1370/05/09`),
    /// later ones Gregorian (`1991-07-31`), in any digit script and with `/` or `-`.
    pub fn parse_any_calendar(text: &str) -> Option<Self> {
        let ascii = crate::text::ascii_digits(text.trim()).replace('/', "-");
        let year: i32 = ascii.split('-').next()?.parse().ok()?;
        if year < 1700 {
            let (y, m, d) = crate::jalali::JalaliDate::parse(&ascii).ok()?.to_gregorian();
            Self::new(y, m, d)
        } else {
            Self::parse_iso(&ascii)
        }
    }

    pub fn to_iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    pub fn julian_day(self) -> i64 {
        crate::jalali::gregorian_to_julian_day(self.year, self.month, self.day)
    }

    pub fn from_julian_day(jdn: i64) -> Self {
        let (year, month, day) = crate::jalali::julian_day_to_gregorian(jdn);
        Self { year, month, day }
    }

    pub fn to_jalali(self) -> JalaliDate {
        JalaliDate::from_julian_day(self.julian_day())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tehran_midnight_is_the_previous_evening_in_utc() {
        // 1403-01-01 (Nowruz) began at 2024-03-19T20:30:00Z.
        let nowruz = JalaliDate::new(1403, 1, 1).expect("valid date");
        let start = Timestamp::from_tehran_start_of_day(nowruz);
        assert_eq!(start.unix_millis(), 1_710_880_200_000);
        assert_eq!(start.tehran_date(), nowruz);
        assert_eq!(Timestamp::from_unix_millis(start.unix_millis() - 1).tehran_date().day, 29);
        let evening = Timestamp::from_tehran(nowruz, 20 * 60 + 30);
        assert_eq!((evening.tehran_date(), evening.tehran_minutes()), (nowruz, 1230));
        assert_eq!(evening.unix_millis() - start.unix_millis(), (20 * 60 + 30) * 60_000);
    }

    #[test]
    fn gregorian_dates_are_checked() {
        assert!(GregorianDate::new(2024, 2, 29).is_some());
        assert!(GregorianDate::new(2023, 2, 29).is_none());
        assert!(GregorianDate::new(2023, 13, 1).is_none());
        assert_eq!(GregorianDate::parse_iso("1990-07-05").map(|d| d.to_iso()).as_deref(), Some("1990-07-05"));
        assert!(GregorianDate::parse_iso("1990-07").is_none());
        assert_eq!(GregorianDate::parse_any_calendar("۱۳۷۰/۰۵/۰۹"), GregorianDate::new(1991, 7, 31));
        assert_eq!(GregorianDate::parse_any_calendar("1991/07/31"), GregorianDate::new(1991, 7, 31));
        assert_eq!(GregorianDate::parse_any_calendar("1404/12/30"), None, "1404 is not a leap year");
    }
}
