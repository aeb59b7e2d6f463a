//! The writes the ledger accepts. Each arrives with a client id (see `Book::apply`).

use serde::{Deserialize, Serialize};

use super::account::Amount;
use super::ids::{MemberId, PurchaseId};
use super::lots::ExpiryPolicy;
use super::money::Money;
use super::points::Points;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Request {
    /// Points and/or credit earned, usually by a purchase.
    Earn(Earn),
    /// The member spends points or credit (a spin, a ticket, a coupon, part of a bill).
    Spend { member: MemberId, amount: Amount },
    /// One atomic move of points or credit from one member to another. Points keep their expiry.
    MemberTransfer {
        from: MemberId,
        to: MemberId,
        amount: Amount,
    },
    /// Part or all of a purchase came back; `returned` is this return's share of its total.
    Return {
        member: MemberId,
        purchase: PurchaseId,
        returned: Money,
    },
    /// Expire and unlock lots as of now. Every other request does this first for its members.
    Sweep { member: MemberId },
    /// A manual correction by an admin.
    Adjust {
        member: MemberId,
        change: Adjustment,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Earn {
    pub member: MemberId,
    pub points: Points,
    pub credit: Money,
    pub policy: ExpiryPolicy,
    /// Days the points stay pending (the return window); zero makes them spendable at once.
    pub pending_days: u32,
    /// The purchase that earned them, so that a return can reverse its share.
    pub purchase: Option<PurchaseRef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PurchaseRef {
    pub id: PurchaseId,
    pub total: Money,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Adjustment {
    GrantPoints {
        points: Points,
        policy: ExpiryPolicy,
    },
    DeductPoints {
        points: Points,
    },
    GrantCredit {
        credit: Money,
    },
    DeductCredit {
        credit: Money,
    },
}

impl Request {
    /// The members whose snapshots the planner needs, ascending. Locking rows in this order
    /// means two concurrent transfers between the same members cannot deadlock.
    pub fn members(&self) -> Vec<MemberId> {
        let mut members = match self {
            Request::Earn(earn) => vec![earn.member],
            Request::MemberTransfer { from, to, .. } => vec![*from, *to],
            Request::Spend { member, .. }
            | Request::Return { member, .. }
            | Request::Sweep { member }
            | Request::Adjust { member, .. } => vec![*member],
        };
        members.sort_unstable();
        members.dedup();
        members
    }

    /// The purchase row the planner needs, if any: to refuse a second earn, or to reverse.
    pub fn purchase(&self) -> Option<PurchaseId> {
        match self {
            Request::Earn(earn) => earn.purchase.map(|p| p.id),
            Request::Return { purchase, .. } => Some(*purchase),
            _ => None,
        }
    }
}
