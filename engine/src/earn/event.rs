//! What happened to a member, as the app reports it to `evaluate`.

use serde::{Deserialize, Serialize};

use super::ids::{BranchId, EventName};
use crate::ledger::Money;
use crate::tiers::TierId;
use crate::time::{GregorianDate, Timestamp};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Event {
    Purchase(Purchase),
    SignUp,
    ProfileCompleted,
    /// The member's birthday in `year` (the app fires it once, on the day).
    Birthday {
        year: i32,
    },
    /// Evaluated for the inviter.
    Referral {
        step: ReferralStep,
    },
    Custom {
        name: EventName,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralStep {
    InviteeSignedUp,
    InviteeFirstPurchase,
}

/// A purchase with what the rules may ask about the member at that moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Purchase {
    pub member: MemberFacts,
    pub amount: Money,
    pub branch: BranchId,
    /// When the purchase happened; windows and limit periods use it, not the time it was recorded.
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberFacts {
    /// The member's current tier; `None` (or an id no longer on the ladder) means the base tier.
    pub tier: Option<TierId>,
    pub signed_up_at: Timestamp,
    pub birthday: Option<GregorianDate>,
    /// Purchases before this one; this one is visit `visits_before + 1`.
    pub visits_before: u64,
    pub first_purchase: bool,
}

impl Event {
    /// The instant rules are judged at: the purchase time for a purchase, otherwise `now`.
    pub fn at(&self, now: Timestamp) -> Timestamp {
        match self {
            Event::Purchase(p) => p.at,
            _ => now,
        }
    }
}

/// Whether `at` falls on the member's birthday: same Jalali month and day in Tehran. A birthday
/// on 30 Esfand is kept on 29 Esfand in common years.
pub fn is_birthday(birthday: GregorianDate, at: Timestamp) -> bool {
    let born = birthday.to_jalali();
    let today = at.tehran_date();
    let day = born.day.min(crate::jalali::JalaliDate::days_in_month(
        today.year, born.month,
    ));
    today.month == born.month && today.day == day
}
