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

/// Limits login attempts per account and per client address, and sign-ups per client address:
/// in this process, and with Redis across every instance (`SharedThrottle`), so that two
/// instances do not give an attacker twice the attempts.
pub struct LoginThrottle {
    per_account: DefaultKeyedRateLimiter<String>,
    per_address: DefaultKeyedRateLimiter<String>,
    sign_ups: DefaultKeyedRateLimiter<String>,
    shared: Option<SharedThrottle>,
}

const ACCOUNT_ATTEMPTS_PER_MINUTE: u32 = 5;
const ADDRESS_ATTEMPTS_PER_MINUTE: u32 = 30;
/// Each sign-up costs a password hash and makes an account; a person makes one.
const ADDRESS_SIGN_UPS_PER_MINUTE: u32 = 10;

impl LoginThrottle {
    /// `shared`: the limits counted across instances, when Redis is configured.
    pub fn new(shared: Option<SharedThrottle>) -> Self {
        let per_minute = |n: u32| Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN));
        Self {
            per_account: RateLimiter::keyed(per_minute(ACCOUNT_ATTEMPTS_PER_MINUTE)),
            per_address: RateLimiter::keyed(per_minute(ADDRESS_ATTEMPTS_PER_MINUTE)),
            sign_ups: RateLimiter::keyed(per_minute(ADDRESS_SIGN_UPS_PER_MINUTE)),
            shared,
        }
    }

    /// Counts an attempt; `Err(wait)` when either limit is spent.
    pub async fn attempt(&self, account: &str, address: &str) -> Result<(), Duration> {
        let now = DefaultClock::default().now();
        self.per_address
            .check_key(&address.to_owned())
            .and_then(|()| self.per_account.check_key(&account.to_owned()))
            .map_err(|not_until| not_until.wait_time_from(now))?;
        match &self.shared {
            Some(shared) => {
                shared.count(&[("address", address, ADDRESS_ATTEMPTS_PER_MINUTE), ("account", account, ACCOUNT_ATTEMPTS_PER_MINUTE)]).await
            }
            None => Ok(()),
        }
    }

    /// Counts a sign-up from `address` under `login`: the address's sign-up limit and the login's
    /// attempt limit (so a taken login cannot be probed faster by sign-up than by login).
    pub async fn sign_up(&self, login: &str, address: &str) -> Result<(), Duration> {
        let now = DefaultClock::default().now();
        self.sign_ups
            .check_key(&address.to_owned())
            .and_then(|()| self.per_account.check_key(&login.to_owned()))
            .map_err(|not_until| not_until.wait_time_from(now))?;
        match &self.shared {
            Some(shared) => shared.count(&[("sign_up", address, ADDRESS_SIGN_UPS_PER_MINUTE), ("account", login, ACCOUNT_ATTEMPTS_PER_MINUTE)]).await,
            None => Ok(()),
        }
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
        Self::new(None)
    }
}

/// The same limits counted in Redis: one counter per key and minute (`INCR`, expiring after
/// two), named by a digest so that no login or address is stored in Redis. A Redis that does not
/// answer leaves the per-instance limits in force rather than locking everybody out.
pub struct SharedThrottle {
    client: redis::Client,
    connection: tokio::sync::OnceCell<redis::aio::ConnectionManager>,
    prefix: String,
}

impl SharedThrottle {
    pub fn new(url: &str, prefix: &str) -> anyhow::Result<Self> {
        Ok(Self { client: redis::Client::open(url)?, connection: tokio::sync::OnceCell::new(), prefix: prefix.to_owned() })
    }

    async fn connection(&self) -> redis::RedisResult<redis::aio::ConnectionManager> {
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_number_of_retries(1)
            .set_connection_timeout(Some(Duration::from_secs(1)))
            .set_response_timeout(Some(Duration::from_secs(1)));
        Ok(self.connection.get_or_try_init(|| redis::aio::ConnectionManager::new_with_config(self.client.clone(), config)).await?.clone())
    }

    /// Counts one event under each `(kind, key, limit)`; `Err(wait)` if any count passes its limit.
    async fn count(&self, keys: &[(&str, &str, u32)]) -> Result<(), Duration> {
        let unix = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_secs();
        let minute = unix / 60;
        let mut pipe = redis::pipe();
        for (kind, key, _) in keys {
            let digest = engine::fair::hexstr::encode(&engine::fair::hash::sha256(key.as_bytes()));
            let name = format!("{}:throttle:{kind}:{}:{minute}", self.prefix, digest.get(..32).unwrap_or(&digest));
            pipe.incr(&name, 1).expire(&name, 120).ignore();
        }
        let counted: redis::RedisResult<Vec<u32>> = async { pipe.query_async(&mut self.connection().await?).await }.await;
        match counted {
            Ok(counts) if counts.iter().zip(keys).any(|(n, (_, _, limit))| n > limit) => Err(Duration::from_secs(60 - unix % 60)),
            Ok(_) => Ok(()),
            Err(error) => {
                tracing::warn!(%error, "the shared login limits cannot be counted; this instance's limits apply");
                Ok(())
            }
        }
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

    #[tokio::test]
    async fn the_sixth_attempt_on_one_account_waits() {
        let throttle = LoginThrottle::new(None);
        for _ in 0..ACCOUNT_ATTEMPTS_PER_MINUTE {
            assert!(throttle.attempt("09121234567", "10.0.0.1").await.is_ok());
        }
        let wait = throttle.attempt("09121234567", "10.0.0.2").await.expect_err("limited");
        assert!(wait > Duration::from_secs(1), "{wait:?}");
        assert!(throttle.attempt("09127654321", "10.0.0.1").await.is_ok(), "other accounts are not affected");
    }
}
