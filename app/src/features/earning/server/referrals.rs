//! Invite links: a member's invite code, and linking a new account to whoever invited it.

use engine::referral::InviteCode;

use crate::platform::server::clock;
use crate::platform::server::state::AppState;
use crate::platform::server::store::{AccountId, StoreError, StoreResult};

/// How many fresh codes to try when a random one is already taken.
const CODE_ATTEMPTS: usize = 8;

/// The member's invite code, issued the first time it is asked for.
pub async fn invite_code(state: &AppState, member: AccountId) -> StoreResult<InviteCode> {
    let referrals = &state.db.referrals;
    for _ in 0..CODE_ATTEMPTS {
        if let Some(code) = referrals.invite_code(member).await? {
            return Ok(code);
        }
        let code = InviteCode::issue(clock::random_u64());
        match referrals.issue_invite_code(member, &code).await {
            Ok(true) => return Ok(code),
            // A concurrent request issued one first (read it next round), or the code is taken.
            Ok(false) | Err(StoreError::Duplicate(_)) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(StoreError::Corrupt("no free invite code after several tries".to_owned()))
}

/// Records that the holder of `code` invited the new account `invitee`. A code that names nobody
/// (mistyped, made up) is ignored: it must never stand between a person and joining.
pub async fn link_inviter(state: &AppState, invitee: AccountId, code: &str) {
    let Ok(code) = InviteCode::parse(code) else { return };
    let linked = match state.db.referrals.member_by_invite_code(&code).await {
        Ok(Some(inviter)) => state.db.referrals.set_inviter(invitee, inviter).await.map(|_| ()),
        Ok(None) => Ok(()),
        Err(e) => Err(e),
    };
    if let Err(error) = linked {
        tracing::warn!(invitee = invitee.0, %error, "cannot record who invited the member");
    }
}
