//! Who may enter where. The app maps every route to an [`Area`]; this table is the one place that
//! decides, so a test can walk all routes and all roles against it.

use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Member,
    Cashier,
    Partner,
    Auditor,
    Admin,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown role {0:?}")]
pub struct UnknownRole(pub String);

impl Role {
    pub const ALL: [Role; 5] = [Role::Member, Role::Cashier, Role::Partner, Role::Auditor, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Cashier => "cashier",
            Self::Partner => "partner",
            Self::Auditor => "auditor",
            Self::Admin => "admin",
        }
    }

    pub fn parse(input: &str) -> Result<Self, UnknownRole> {
        Self::ALL.into_iter().find(|r| r.as_str() == input).ok_or_else(|| UnknownRole(input.to_owned()))
    }

    const fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// The roles one account holds. Stored as a bit set so a row carries it in one integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct RoleSet(u8);

impl RoleSet {
    pub const fn empty() -> Self {
        Self(0)
    }

    pub fn of(roles: &[Role]) -> Self {
        Self(roles.iter().fold(0, |bits, r| bits | r.bit()))
    }

    /// Reads the stored form; bits that name no role are refused rather than ignored.
    pub fn from_bits(bits: i64) -> Option<Self> {
        let all = Self::of(&Role::ALL).0;
        u8::try_from(bits).ok().filter(|b| b & !all == 0).map(Self)
    }

    pub fn bits(self) -> i64 {
        i64::from(self.0)
    }

    pub fn contains(self, role: Role) -> bool {
        self.0 & role.bit() != 0
    }

    pub fn with(self, role: Role) -> Self {
        Self(self.0 | role.bit())
    }

    pub fn without(self, role: Role) -> Self {
        Self(self.0 & !role.bit())
    }

    pub fn iter(self) -> impl Iterator<Item = Role> {
        Role::ALL.into_iter().filter(move |r| self.contains(*r))
    }
}

/// A part of the product with one rule for who may use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Area {
    /// Anyone, signed in or not: home, sign-up, login, the audit pages, health.
    Public,
    /// Any signed-in account: logout, language, own profile.
    Account,
    /// A member's own card, points and games.
    Member,
    /// The till.
    Till,
    /// A partner brand's listings.
    Partner,
    /// Audit bundles beyond the public ones.
    Audit,
    /// Configuration and people.
    Admin,
    /// The POS REST API. No session enters it: each request proves itself with a branch key.
    Pos,
    /// Witnesses' cosignatures of the log. No session enters it: each request proves itself
    /// with a signature, in its body, by one of the witness keys the club is configured with.
    Witness,
    /// The partner REST API (coupon redemptions). No session enters it: each request proves
    /// itself with a partner brand's key.
    PartnerApi,
    /// `GET /metrics`. No session enters it: the scraper proves itself with the metrics token
    /// (or, without one, by being on the loopback).
    Metrics,
}

impl Area {
    /// Areas whose requests carry their own proof (a key or a signature) and never a session.
    pub fn proves_itself(self) -> bool {
        matches!(self, Self::Pos | Self::Witness | Self::PartnerApi | Self::Metrics)
    }
}

/// Whether someone holding `roles` (none when anonymous) may use `area`.
pub fn may_enter(roles: Option<RoleSet>, area: Area) -> bool {
    let Some(roles) = roles else { return area == Area::Public };
    let any = |wanted: &[Role]| wanted.iter().any(|r| roles.contains(*r));
    match area {
        Area::Public | Area::Account => true,
        Area::Member => any(&[Role::Member]),
        Area::Till => any(&[Role::Cashier, Role::Admin]),
        Area::Partner => any(&[Role::Partner, Role::Admin]),
        Area::Audit => any(&[Role::Auditor, Role::Admin]),
        Area::Admin => any(&[Role::Admin]),
        Area::Pos | Area::Witness | Area::PartnerApi | Area::Metrics => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anonymous_visitors_only_see_public_areas() {
        assert!(may_enter(None, Area::Public));
        assert!(!may_enter(None, Area::Account));
        assert!(!may_enter(None, Area::Member));
    }

    #[test]
    fn only_admins_configure() {
        for role in Role::ALL {
            assert_eq!(may_enter(Some(RoleSet::of(&[role])), Area::Admin), role == Role::Admin, "{role:?}");
        }
        assert!(may_enter(Some(RoleSet::of(&[Role::Admin])), Area::Till));
        assert!(!may_enter(Some(RoleSet::of(&[Role::Member])), Area::Till));
        assert!(may_enter(Some(RoleSet::of(&[Role::Member, Role::Cashier])), Area::Till));
    }

    #[test]
    fn role_sets_round_trip_through_storage() {
        let set = RoleSet::of(&[Role::Member, Role::Auditor]);
        assert_eq!(RoleSet::from_bits(set.bits()), Some(set));
        assert_eq!(RoleSet::from_bits(1 << 6), None);
        assert_eq!(set.iter().collect::<Vec<_>>(), vec![Role::Member, Role::Auditor]);
        assert_eq!(Role::parse("cashier"), Ok(Role::Cashier));
        assert!(Role::parse("root").is_err());
    }
}
