//! Lots: points grouped by when they expire, so spending can use the soonest-expiring first.

use std::num::NonZeroU32;

use serde::{Deserialize, Serialize};

use super::error::LedgerError;
use super::ids::{LotId, MemberId, PurchaseId};
use super::points::Points;
use crate::time::Timestamp;

const MS_PER_DAY: i64 = 86_400_000;

/// When earned points stop being spendable. Months and years are Jalali, in Tehran time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "days")]
pub enum ExpiryPolicy {
    Never,
    /// Exactly this many 24-hour days after earning.
    AfterDays(NonZeroU32),
    /// At the first instant of the next Jalali month.
    EndOfMonth,
    /// At the first instant of the next Jalali year (Nowruz).
    EndOfYear,
}

impl ExpiryPolicy {
    /// The first instant at which points earned at `earned_at` are expired; `None` for never.
    pub fn expires_at(self, earned_at: Timestamp) -> Result<Option<Timestamp>, LedgerError> {
        let instant = match self {
            ExpiryPolicy::Never => return Ok(None),
            ExpiryPolicy::AfterDays(days) => after_days(earned_at, days.get())?,
            ExpiryPolicy::EndOfMonth => Timestamp::from_tehran_start_of_day(
                earned_at.tehran_date().end_of_month().next_day(),
            ),
            ExpiryPolicy::EndOfYear => Timestamp::from_tehran_start_of_day(
                earned_at.tehran_date().end_of_year().next_day(),
            ),
        };
        Ok(Some(instant))
    }
}

/// `at` plus whole 24-hour days, refusing to leave the representable range.
pub fn after_days(at: Timestamp, days: u32) -> Result<Timestamp, LedgerError> {
    i64::from(days)
        .checked_mul(MS_PER_DAY)
        .and_then(|ms| at.unix_millis().checked_add(ms))
        .map(Timestamp::from_unix_millis)
        .ok_or(LedgerError::TimeOutOfRange)
}

/// Points earned together that share an expiry and a lock.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Lot {
    pub id: LotId,
    pub earned_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    /// While `Some`, the lot sits in the pending account and cannot be spent.
    pub pending_until: Option<Timestamp>,
    /// The purchase that earned it, so a return can take back these points first.
    pub purchase: Option<PurchaseId>,
    pub original: Points,
    pub remaining: Points,
}

impl Lot {
    pub fn is_pending(&self) -> bool {
        self.pending_until.is_some()
    }

    pub fn is_expired(&self, now: Timestamp) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }

    /// Whether an earning at `now` can change this lot: it has expired, or its pending time is
    /// up. An earning reads no other lot (the owed points it settles come only from lots it
    /// unlocks: a member who owes holds no spendable points), so a store may load just these
    /// (`MemberSnapshot::unread`).
    pub fn due(&self, now: Timestamp) -> bool {
        self.is_expired(now) || self.pending_until.is_some_and(|at| at <= now)
    }

    /// Spending order: soonest expiry first, never-expiring last; ties go to the older lot, then
    /// the lower id, so the order is total and every replay picks the same lots.
    pub fn spend_key(&self) -> (i64, Timestamp, LotId) {
        (
            self.expires_at.map_or(i64::MAX, Timestamp::unix_millis),
            self.earned_at,
            self.id,
        )
    }
}

/// A lot the plan creates; the writer gives it an id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NewLot {
    pub member: MemberId,
    pub earned_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    pub pending_until: Option<Timestamp>,
    pub purchase: Option<PurchaseId>,
    pub amount: Points,
}

impl NewLot {
    pub fn into_lot(self, id: LotId) -> Lot {
        Lot {
            id,
            earned_at: self.earned_at,
            expires_at: self.expires_at,
            pending_until: self.pending_until,
            purchase: self.purchase,
            original: self.amount,
            remaining: self.amount,
        }
    }
}

/// A change to the lots table. Lots are only ever opened, drawn down or unlocked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "change")]
pub enum LotChange {
    Open(NewLot),
    /// `remaining -= amount`; a lot drawn to zero stays as history.
    Draw {
        member: MemberId,
        lot: LotId,
        amount: Points,
    },
    /// Moves the lot from pending to spendable.
    Unlock {
        member: MemberId,
        lot: LotId,
    },
}

/// Spendable lots in the order a spend consumes them.
pub fn spend_order(lots: &[Lot]) -> Vec<&Lot> {
    let mut open: Vec<&Lot> = lots
        .iter()
        .filter(|l| !l.is_pending() && !l.remaining.is_zero())
        .collect();
    open.sort_by_key(|l| l.spend_key());
    open
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jalali::JalaliDate;

    fn tehran(year: i32, month: u8, day: u8) -> Timestamp {
        Timestamp::from_tehran_start_of_day(JalaliDate::new(year, month, day).expect("valid date"))
    }

    #[test]
    fn end_of_month_is_the_next_jalali_month_in_tehran() {
        let earned =
            Timestamp::from_unix_millis(tehran(1403, 6, 31).unix_millis() + 23 * 3_600_000);
        let expires = ExpiryPolicy::EndOfMonth.expires_at(earned).ok().flatten();
        assert_eq!(expires, Some(tehran(1403, 7, 1)));
        // Esfand of a leap year has 30 days; the next month is Farvardin of the next year.
        let expires = ExpiryPolicy::EndOfMonth
            .expires_at(tehran(1403, 12, 30))
            .ok()
            .flatten();
        assert_eq!(expires, Some(tehran(1404, 1, 1)));
    }

    #[test]
    fn end_of_year_is_nowruz() {
        let expires = ExpiryPolicy::EndOfYear
            .expires_at(tehran(1403, 2, 10))
            .ok()
            .flatten();
        assert_eq!(expires, Some(tehran(1404, 1, 1)));
    }

    #[test]
    fn after_days_counts_whole_days_and_never_is_none() {
        let start = tehran(1403, 1, 1);
        let ten = NonZeroU32::new(10)
            .map(ExpiryPolicy::AfterDays)
            .expect("non-zero");
        assert_eq!(
            ten.expires_at(start).ok().flatten(),
            Some(start.plus_days(10))
        );
        assert_eq!(ExpiryPolicy::Never.expires_at(start), Ok(None));
        assert_eq!(
            after_days(Timestamp::from_unix_millis(i64::MAX - 1), 1),
            Err(LedgerError::TimeOutOfRange)
        );
    }
}
