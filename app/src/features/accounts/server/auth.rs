//! Passwords and the login throttle.

use std::num::NonZeroU32;
use std::sync::LazyLock;
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use engine::password::Password;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Hashes with Argon2id on a blocking thread: a hash takes tens of milliseconds of CPU.
pub async fn hash_password(password: &Password) -> anyhow::Result<String> {
    let secret = password.expose().to_owned();
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(secret.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| anyhow::anyhow!("cannot hash password: {e}"))
    })
    .await?
}

/// Checks a password. With no stored hash it still spends the time of a check, so an unknown
/// account cannot be told from a wrong password by the answer's speed.
pub async fn verify_password(password: &str, stored: Option<&str>) -> bool {
    let secret = password.to_owned();
    let stored = stored.map(str::to_owned);
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let hash = stored.as_deref().unwrap_or(DECOY_HASH.as_str());
        let Ok(parsed) = PasswordHash::new(hash) else { return false };
        Argon2::default().verify_password(secret.as_bytes(), &parsed).is_ok() && known
    })
    .await
    .unwrap_or(false)
}

/// A hash, with the parameters of real ones, of a random password nobody knows.
static DECOY_HASH: LazyLock<String> = LazyLock::new(|| {
    let secret = crate::platform::server::clock::random_u64().to_string();
    Argon2::default().hash_password(secret.as_bytes()).map(|hash| hash.to_string()).unwrap_or_default()
});

/// Limits login attempts per account and per client address, and sign-ups per client address.
pub struct LoginThrottle {
    per_account: DefaultKeyedRateLimiter<String>,
    per_address: DefaultKeyedRateLimiter<String>,
    sign_ups: DefaultKeyedRateLimiter<String>,
}

const ACCOUNT_ATTEMPTS_PER_MINUTE: u32 = 5;
const ADDRESS_ATTEMPTS_PER_MINUTE: u32 = 30;
/// Each sign-up costs a password hash and makes an account; a person makes one.
const ADDRESS_SIGN_UPS_PER_MINUTE: u32 = 10;

impl LoginThrottle {
    pub fn new() -> Self {
        let per_minute = |n: u32| Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN));
        Self {
            per_account: RateLimiter::keyed(per_minute(ACCOUNT_ATTEMPTS_PER_MINUTE)),
            per_address: RateLimiter::keyed(per_minute(ADDRESS_ATTEMPTS_PER_MINUTE)),
            sign_ups: RateLimiter::keyed(per_minute(ADDRESS_SIGN_UPS_PER_MINUTE)),
        }
    }

    /// Counts an attempt; `Err(wait)` when either limit is spent.
    pub fn attempt(&self, account: &str, address: &str) -> Result<(), Duration> {
        let now = DefaultClock::default().now();
        self.per_address
            .check_key(&address.to_owned())
            .and_then(|()| self.per_account.check_key(&account.to_owned()))
            .map_err(|not_until| not_until.wait_time_from(now))
    }

    /// Counts a sign-up from `address` under `login`: the address's sign-up limit and the login's
    /// attempt limit (so a taken login cannot be probed faster by sign-up than by login).
    pub fn sign_up(&self, login: &str, address: &str) -> Result<(), Duration> {
        let now = DefaultClock::default().now();
        self.sign_ups
            .check_key(&address.to_owned())
            .and_then(|()| self.per_account.check_key(&login.to_owned()))
            .map_err(|not_until| not_until.wait_time_from(now))
    }

    /// Drops the state of keys that have recovered, so memory does not grow with every address.
    pub fn forget_idle(&self) {
        self.per_account.retain_recent();
        self.per_address.retain_recent();
        self.sign_ups.retain_recent();
    }
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_password() {
        let password = Password::parse("correct horse").expect("valid");
        let hash = hash_password(&password).await.expect("hashes");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", Some(&hash)).await);
        assert!(!verify_password("wrong horse", Some(&hash)).await);
        assert!(!verify_password("correct horse", None).await);
    }

    #[test]
    fn the_sixth_attempt_on_one_account_waits() {
        let throttle = LoginThrottle::new();
        for _ in 0..ACCOUNT_ATTEMPTS_PER_MINUTE {
            assert!(throttle.attempt("09121234567", "10.0.0.1").is_ok());
        }
        let wait = throttle.attempt("09121234567", "10.0.0.2").expect_err("limited");
        assert!(wait > Duration::from_secs(1), "{wait:?}");
        assert!(throttle.attempt("09127654321", "10.0.0.1").is_ok(), "other accounts are not affected");
    }
}
