//! `Policy::starter`: a sensible default club for `bashgah demo` and for a new installation. It is
//! kept as the JSON an admin would store, so it also documents the policy's JSON shape.

use super::policy::Policy;

/// 1 point per 10,000 rials; sign-up 50, profile 100, birthday 200 (once a Jalali year),
/// referral 100 and 200 (capped per month so a farm of fake invitees pays little); bronze (base,
/// 1% cashback), silver from 1,000 points earned in a rolling year (×1.25, 2%), gold from 5,000
/// (×1.5, 3%); 30 days' grace; purchase points pending 7 days, expiring after 365.
pub const STARTER_JSON: &str = include_str!("starter.json");

impl Policy {
    pub fn starter() -> Policy {
        // A constant document, checked by `the_starter_policy_parses` in the tests.
        #[allow(clippy::expect_used)]
        Policy::from_json(STARTER_JSON).expect("the starter policy is valid")
    }
}
