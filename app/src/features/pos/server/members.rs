//! Enrolling a member at the till and looking one up.

use engine::access::{Role, RoleSet};
use engine::card::CardNumber;
use engine::ledger::{MemberId, Money, Points};
use engine::phone::PhoneNumber;
use engine::profile::PersonName;
use engine::tiers::{TierId, TierLadder};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::features::accounts::server::service::internal;
use crate::platform::server::clock;
use crate::platform::server::state::AppState;
use crate::platform::server::store::{Account, Login, NewAccount, StoreError, StoredProfile, two_places};
use crate::features::pos::server::{MemberKey, find_member, policy};
use crate::platform::error::ErrorCode;

/// How many fresh numbers to try when a random card number is already taken.
const CARD_ATTEMPTS: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrolInput {
    pub phone: PhoneNumber,
    pub first_name: Option<PersonName>,
    pub last_name: Option<PersonName>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MemberView {
    pub member_id: i64,
    /// 16 ASCII digits.
    pub card_number: String,
}

impl MemberView {
    fn of(account: &Account) -> Self {
        Self { member_id: account.id.0, card_number: account.card.as_str().to_owned() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolled {
    /// False when the phone was a member already; `member` is then that member.
    pub created: bool,
    pub member: MemberView,
}

/// What the till shows about a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MemberStatus {
    pub member_id: i64,
    pub card_number: String,
    pub name: Option<String>,
    /// Spendable points.
    #[schema(value_type = i64)]
    pub points: Points,
    /// Points of recent purchases, spendable after the return window.
    #[schema(value_type = i64)]
    pub pending_points: Points,
    #[schema(value_type = i64)]
    pub owed_points: Points,
    #[schema(value_type = String, example = "1250.00")]
    pub credit: Money,
    #[schema(value_type = String, example = "0.00")]
    pub owed_credit: Money,
    /// The tier id, e.g. `bronze`.
    pub tier: String,
}

/// Enrols a member by mobile number, with the sign-up bonus. The account has no password yet, so
/// nobody can sign in with it until the member claims it; the same phone again answers with the
/// existing member.
pub async fn enrol(state: &AppState, input: &EnrolInput) -> Result<Enrolled, ErrorCode> {
    let login = Login::Phone(input.phone.clone());
    for _ in 0..CARD_ATTEMPTS {
        let new = NewAccount {
            login: login.clone(),
            // Not a hash of anything: no password verifies against it.
            password_hash: String::new(),
            roles: RoleSet::of(&[Role::Member]),
            profile: StoredProfile {
                first_name: input.first_name.clone(),
                last_name: input.last_name.clone(),
                ..StoredProfile::default()
            },
            card: CardNumber::issue(clock::random_u64()),
            now: clock::now(),
            owed_sign_up_award: true,
        };
        match state.db.accounts.create_account(new).await {
            Ok(account) => {
                crate::features::earning::server::events::reward_sign_up(state, account.id).await;
                return Ok(Enrolled { created: true, member: MemberView::of(&account) });
            }
            Err(StoreError::Duplicate("card")) => continue,
            Err(StoreError::Duplicate(_)) => {
                let existing = state.db.accounts.account_by_login(&login).await.map_err(internal)?;
                let existing = existing.ok_or_else(|| internal("a taken phone without an account"))?;
                return Ok(Enrolled { created: false, member: MemberView::of(&existing) });
            }
            Err(e) => return Err(internal(e)),
        }
    }
    Err(internal("no free card number after several tries"))
}

pub async fn lookup(state: &AppState, key: &MemberKey) -> Result<MemberStatus, ErrorCode> {
    status(state, &find_member(state, key).await?).await
}

/// What the till shows about an account already found.
pub async fn status(state: &AppState, account: &Account) -> Result<MemberStatus, ErrorCode> {
    let member = MemberId::new(account.id.0).map_err(internal)?;
    let balances = state.db.ledger.balances(member).await.map_err(internal)?;
    let policy = policy::active(state).await?;
    let tier = held_tier(state, member, policy.tiers()).await?;
    Ok(MemberStatus {
        member_id: account.id.0,
        card_number: account.card.as_str().to_owned(),
        name: account.profile.display_name(),
        points: balances.points,
        pending_points: balances.pending_points,
        owed_points: balances.owed_points,
        credit: two_places(balances.credit),
        owed_credit: two_places(balances.owed_credit),
        tier: tier.to_string(),
    })
}

/// The tier the member holds on `ladder`. A tier no longer on the ladder reads as the base tier,
/// as `earn::evaluate` treats it.
pub async fn held_tier(state: &AppState, member: MemberId, ladder: &TierLadder) -> Result<TierId, ErrorCode> {
    let stored = state.db.pos.tier_state(member).await.map_err(internal)?;
    Ok(stored.map(|s| s.tier).filter(|t| ladder.get(t).is_some()).unwrap_or_else(|| ladder.base().id.clone()))
}
