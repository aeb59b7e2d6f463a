//! Referrals: each member's invite code and who invited whom.

use async_trait::async_trait;
use engine::referral::InviteCode;

use crate::platform::server::store::{AccountId, StoreResult};

#[async_trait]
pub trait ReferralStore: Send + Sync + 'static {
    /// The member's invite code, if one was issued.
    async fn invite_code(&self, member: AccountId) -> StoreResult<Option<InviteCode>>;
    /// Gives the member `code` unless they hold one already (then false). `Duplicate` when
    /// another member holds `code`.
    async fn issue_invite_code(&self, member: AccountId, code: &InviteCode) -> StoreResult<bool>;
    /// The member whose invite code this is.
    async fn member_by_invite_code(&self, code: &InviteCode) -> StoreResult<Option<AccountId>>;
    /// Records that `inviter` invited `invitee`, unless someone already did or it is the same
    /// account; true when recorded.
    async fn set_inviter(&self, invitee: AccountId, inviter: AccountId) -> StoreResult<bool>;
    async fn inviter(&self, invitee: AccountId) -> StoreResult<Option<AccountId>>;
}
