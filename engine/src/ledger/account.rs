//! Accounts: where value sits. Every account holds exactly one asset.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::ids::MemberId;
use super::money::Money;
use super::points::Points;

/// The two things the ledger counts. They never mix: a posting moves one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Asset {
    Points,
    Credit,
}

impl Asset {
    pub const fn name(self) -> &'static str {
        match self {
            Asset::Points => "points",
            Asset::Credit => "credit",
        }
    }
}

/// An amount of one asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Amount {
    Points(Points),
    Credit(Money),
}

impl Amount {
    pub const fn asset(self) -> Asset {
        match self {
            Amount::Points(_) => Asset::Points,
            Amount::Credit(_) => Asset::Credit,
        }
    }

    pub fn is_zero(self) -> bool {
        match self {
            Amount::Points(p) => p.is_zero(),
            Amount::Credit(m) => m.is_zero(),
        }
    }

    /// Points as themselves, credit in hundredths: the unit invariant checks add up.
    pub fn units(self) -> i128 {
        match self {
            Amount::Points(p) => i128::from(p.get()),
            Amount::Credit(m) => i128::from(m.to_minor()),
        }
    }
}

/// The accounts each member has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberAccount {
    /// Points the member can spend now.
    Points,
    /// Points earned but locked until the return window of their purchase closes.
    PendingPoints,
    /// Points the member owes because a return took back points already spent. A debt account:
    /// its balance is what flowed out minus what flowed in.
    OwedPoints,
    /// Cash credit (cashback, gift credit, referral commission) the member can spend.
    Credit,
    /// Credit the member owes, the money counterpart of `OwedPoints`.
    OwedCredit,
}

impl MemberAccount {
    pub const ALL: [MemberAccount; 5] = [
        MemberAccount::Points,
        MemberAccount::PendingPoints,
        MemberAccount::OwedPoints,
        MemberAccount::Credit,
        MemberAccount::OwedCredit,
    ];

    pub const fn asset(self) -> Asset {
        match self {
            MemberAccount::Points | MemberAccount::PendingPoints | MemberAccount::OwedPoints => {
                Asset::Points
            }
            MemberAccount::Credit | MemberAccount::OwedCredit => Asset::Credit,
        }
    }

    /// Debt accounts count outflow as their balance; the others count inflow.
    pub const fn is_debt(self) -> bool {
        matches!(self, MemberAccount::OwedPoints | MemberAccount::OwedCredit)
    }
}

/// The club's own accounts, one per asset. Their balances may be negative: the issuance account
/// of points is minus everything ever issued and not taken back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SystemAccount {
    /// Source of earned value, and sink of value a return takes back.
    Issuance,
    /// Sink of value members spend.
    Redemption,
    /// Sink of points whose lots expired.
    Expiry,
    /// Counterparty of manual corrections.
    Adjustment,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "owner")]
pub enum Account {
    Member {
        member: MemberId,
        account: MemberAccount,
    },
    System {
        account: SystemAccount,
        asset: Asset,
    },
}

impl Account {
    pub const fn member(member: MemberId, account: MemberAccount) -> Account {
        Account::Member { member, account }
    }

    pub const fn system(account: SystemAccount, asset: Asset) -> Account {
        Account::System { account, asset }
    }

    pub const fn asset(self) -> Asset {
        match self {
            Account::Member { account, .. } => account.asset(),
            Account::System { asset, .. } => asset,
        }
    }
}

impl fmt::Display for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Account::Member { member, account } => write!(f, "member {member} {account:?}"),
            Account::System { account, asset } => write!(f, "system {account:?} {}", asset.name()),
        }
    }
}
