#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Unit tests of earning rules; shared builders here, cases by topic in the submodules.

use std::num::NonZeroU32;

use rust_decimal::Decimal;

use super::*;
use crate::jalali::JalaliDate;
use crate::ledger::{ExpiryPolicy, MemberId, Money, Points, PurchaseId, PurchaseRef};
use crate::tiers::{LadderError, TierId};
use crate::time::{GregorianDate, Timestamp};

const HOUR: i64 = 3_600_000;

fn pts(n: i64) -> Points {
    Points::new(n).unwrap()
}
fn rials(text: &str) -> Money {
    text.parse().unwrap()
}
fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}
fn rid(text: &str) -> RuleId {
    RuleId::parse(text).unwrap()
}
fn tid(text: &str) -> TierId {
    TierId::parse(text).unwrap()
}
fn jdate(y: i32, m: u8, d: u8) -> JalaliDate {
    JalaliDate::new(y, m, d).unwrap()
}
/// Tehran midnight at the start of a Jalali day, plus `ms`.
fn tehran(y: i32, m: u8, d: u8, ms: i64) -> Timestamp {
    let start = Timestamp::from_tehran_start_of_day(jdate(y, m, d));
    Timestamp::from_unix_millis(start.unix_millis() + ms)
}
fn branch(n: i64) -> BranchId {
    BranchId::new(n).unwrap()
}

fn facts(tier: Option<&str>) -> MemberFacts {
    MemberFacts {
        tier: tier.map(tid),
        signed_up_at: tehran(1402, 1, 1, 0),
        birthday: None,
        visits_before: 4,
        first_purchase: false,
    }
}

fn purchase(tier: Option<&str>, amount: &str, at: Timestamp) -> Event {
    Event::Purchase(Purchase {
        member: facts(tier),
        amount: rials(amount),
        branch: branch(1),
        at,
    })
}

fn with(edit: impl FnOnce(&mut PolicyDraft)) -> Policy {
    let mut draft = Policy::starter().to_draft();
    edit(&mut draft);
    Policy::parse(draft).unwrap()
}

fn try_with(edit: impl FnOnce(&mut PolicyDraft)) -> Result<Policy, PolicyError> {
    let mut draft = Policy::starter().to_draft();
    edit(&mut draft);
    Policy::parse(draft)
}

fn rule(id: &str, kind: RuleKind) -> Rule {
    Rule {
        id: rid(id),
        enabled: true,
        kind,
        window: None,
        limits: Vec::new(),
    }
}

fn multiplier(id: &str, factor: &str) -> Multiplier {
    Multiplier {
        id: rid(id),
        enabled: true,
        factor: dec(factor),
        rules: Vec::new(),
        tiers: Vec::new(),
        branches: Vec::new(),
        window: None,
        on_birthday: false,
        joined_within_days: None,
    }
}

fn noon() -> Timestamp {
    tehran(1403, 5, 10, 12 * HOUR)
}

fn run(policy: &Policy, event: &Event) -> Award {
    evaluate(policy, event, &History::default(), noon())
}

fn notes(award: &Award) -> Vec<&Note> {
    award.lines.iter().map(|l| &l.note).collect()
}

mod limits;
mod multipliers;
mod policy;
mod rules;
