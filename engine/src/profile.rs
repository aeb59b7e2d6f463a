//! A member's profile fields, each checked once where it enters.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::time::GregorianDate;

const MAX_NAME_CHARS: usize = 60;
const MAX_CITY_CHARS: usize = 40;
const OLDEST_AGE_YEARS: i32 = 120;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProfileError {
    #[error("a name has 1 to {MAX_NAME_CHARS} letters")]
    BadName,
    #[error("a city has 1 to {MAX_CITY_CHARS} letters")]
    BadCity,
    #[error("a birthday cannot be in the future or more than {OLDEST_AGE_YEARS} years ago")]
    BadBirthday,
    #[error("unknown gender")]
    BadGender,
}

fn clean_text(input: &str, max_chars: usize) -> Option<String> {
    let collapsed = input.split_whitespace().collect::<Vec<_>>().join(" ");
    let len = collapsed.chars().count();
    let ok = (1..=max_chars).contains(&len) && !collapsed.chars().any(char::is_control);
    ok.then_some(collapsed)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(input: &str) -> Result<Self, ProfileError> {
        clean_text(input, MAX_NAME_CHARS).map(Self).ok_or(ProfileError::BadName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct City(String);

impl City {
    pub fn parse(input: &str) -> Result<Self, ProfileError> {
        clean_text(input, MAX_CITY_CHARS).map(Self).ok_or(ProfileError::BadCity)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Female,
    Male,
    Other,
}

impl Gender {
    pub fn parse(input: &str) -> Result<Self, ProfileError> {
        match input {
            "female" => Ok(Self::Female),
            "male" => Ok(Self::Male),
            "other" => Ok(Self::Other),
            _ => Err(ProfileError::BadGender),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Female => "female",
            Self::Male => "male",
            Self::Other => "other",
        }
    }
}

/// A birthday that is neither in the future nor implausibly old, judged against `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Birthday(GregorianDate);

impl Birthday {
    pub fn new(date: GregorianDate, today: GregorianDate) -> Result<Self, ProfileError> {
        let oldest = GregorianDate { year: today.year - OLDEST_AGE_YEARS, ..today };
        if date > today || date < oldest {
            Err(ProfileError::BadBirthday)
        } else {
            Ok(Self(date))
        }
    }

    pub fn date(self) -> GregorianDate {
        self.0
    }
}

/// The profile as a whole; `is_complete` decides the completion reward.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub first_name: Option<PersonName>,
    pub last_name: Option<PersonName>,
    pub birthday: Option<Birthday>,
    pub city: Option<City>,
    pub gender: Option<Gender>,
}

impl Profile {
    pub fn is_complete(&self) -> bool {
        self.first_name.is_some()
            && self.last_name.is_some()
            && self.birthday.is_some()
            && self.city.is_some()
            && self.gender.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> GregorianDate {
        GregorianDate::new(y, m, d).expect("valid date")
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(PersonName::parse("  سارا   کریمی ").map(|n| n.as_str().to_owned()).as_deref(), Ok("سارا کریمی"));
        assert_eq!(PersonName::parse("   "), Err(ProfileError::BadName));
        assert_eq!(PersonName::parse(&"ا".repeat(61)), Err(ProfileError::BadName));
    }

    #[test]
    fn birthdays_in_the_future_or_too_old_are_refused() {
        let today = date(2026, 11, 30);
        assert!(Birthday::new(date(1990, 7, 5), today).is_ok());
        assert!(Birthday::new(today, today).is_ok());
        assert_eq!(Birthday::new(date(2026, 12, 1), today), Err(ProfileError::BadBirthday));
        assert_eq!(Birthday::new(date(1900, 1, 1), today), Err(ProfileError::BadBirthday));
    }
}
