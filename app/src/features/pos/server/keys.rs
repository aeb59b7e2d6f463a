//! Branches and their API keys. A key is `bk_` and 32 random bytes in base64url; only its
//! SHA-256 is stored, so a key is shown once, when it is made.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use engine::earn::BranchId;

use crate::features::accounts::server::service::internal;
use crate::platform::server::bus::announce;
use crate::platform::server::caches::Change;
use crate::platform::server::clock;
use crate::platform::server::state::AppState;
use crate::platform::server::store::{Branch, BranchKey, KeyDigest, StoreError};
use crate::platform::error::ErrorCode;

const KEY_PREFIX: &str = "bk_";
/// `bk_` and six characters: enough to tell keys apart, far too little to guess the rest.
const SHOWN_CHARS: usize = 9;
const MAX_BRANCH_NAME_CHARS: usize = 60;

/// A key just made: the secret, to show once, and what the store keeps of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedKey {
    pub secret: String,
    pub stored: BranchKey,
}

pub(crate) fn digest(secret: &str) -> String {
    engine::fair::hexstr::encode(&engine::fair::hash::sha256(secret.as_bytes()))
}

fn new_key() -> (String, KeyDigest) {
    new_key_with(KEY_PREFIX)
}

/// A fresh key `<prefix>` and 32 random bytes in base64url, and what a store keeps of it.
pub(crate) fn new_key_with(key_prefix: &str) -> (String, KeyDigest) {
    let mut bytes = [0_u8; 32];
    for chunk in bytes.chunks_mut(8) {
        chunk.copy_from_slice(&clock::random_u64().to_le_bytes());
    }
    let secret = format!("{key_prefix}{}", URL_SAFE_NO_PAD.encode(bytes));
    let prefix = secret.chars().take(SHOWN_CHARS).collect();
    let stored = KeyDigest { hash: digest(&secret), prefix };
    (secret, stored)
}

fn branch_name(input: &str) -> Result<String, ErrorCode> {
    let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
    let len = name.chars().count();
    ((1..=MAX_BRANCH_NAME_CHARS).contains(&len) && !name.chars().any(char::is_control))
        .then_some(name)
        .ok_or(ErrorCode::BadBranchName)
}

/// Creates a branch with its first key.
pub async fn create_branch(state: &AppState, name: &str) -> Result<(Branch, IssuedKey), ErrorCode> {
    let name = branch_name(name)?;
    let (secret, key) = new_key();
    match state.db.club.create_branch(&name, &key, clock::now()).await {
        Ok((branch, stored)) => Ok((branch, IssuedKey { secret, stored })),
        Err(StoreError::Duplicate("branch")) => Err(ErrorCode::BranchExists),
        Err(e) => Err(internal(e)),
    }
}

/// Another key for a branch, e.g. for a second till or to rotate the first.
pub async fn issue_key(state: &AppState, branch: BranchId) -> Result<IssuedKey, ErrorCode> {
    let (secret, key) = new_key();
    match state.db.club.add_key(branch, &key, clock::now()).await {
        Ok(stored) => Ok(IssuedKey { secret, stored }),
        Err(StoreError::NotFound) => Err(ErrorCode::NotFound),
        Err(e) => Err(internal(e)),
    }
}

pub async fn revoke_key(state: &AppState, key: i64) -> Result<(), ErrorCode> {
    match state.db.club.revoke_key(key, clock::now()).await {
        Ok(()) => {
            announce(state, Change::BranchKeys).await;
            Ok(())
        }
        Err(StoreError::NotFound) => Err(ErrorCode::NotFound),
        Err(e) => Err(internal(e)),
    }
}

/// The branch of an `Authorization: Bearer bk_…` header whose key is not revoked.
pub async fn authenticate(state: &AppState, authorization: Option<&str>) -> Result<BranchId, ErrorCode> {
    let secret = authorization
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|s| s.starts_with(KEY_PREFIX))
        .ok_or(ErrorCode::BadApiKey)?;
    let digest = digest(secret);
    let found = state.caches.branch_by_key(&digest, state.db.club.branch_by_key(&digest)).await;
    found.map_err(internal)?.ok_or(ErrorCode::BadApiKey)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_long_random_and_stored_as_digests() {
        let (a, stored) = new_key();
        let (b, _) = new_key();
        assert_ne!(a, b);
        assert_eq!(a.len(), KEY_PREFIX.len() + 43, "32 bytes in unpadded base64url");
        assert_eq!(stored.hash, digest(&a));
        assert!(a.starts_with(&stored.prefix) && stored.prefix.len() == SHOWN_CHARS);
    }

    #[test]
    fn branch_names_are_trimmed_and_bounded() {
        assert_eq!(branch_name("  شعبه   مرکزی "), Ok("شعبه مرکزی".to_owned()));
        assert_eq!(branch_name(" "), Err(ErrorCode::BadBranchName));
        assert_eq!(branch_name(&"x".repeat(61)), Err(ErrorCode::BadBranchName));
    }
}
