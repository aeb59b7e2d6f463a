//! Configuration: documented defaults, an optional file, then the environment; checked at start.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use anyhow::{Context, bail};
use serde::Deserialize;

pub const DEFAULT_FILE: &str = include_str!("../../../config/default.toml");

#[derive(Clone, Deserialize)]
pub struct Config {
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    database_url: String,
    redis_url: String,
    /// Prefix of every Redis key, so several clubs (or test runs) can share one Redis.
    pub redis_prefix: String,
    pub site_root: PathBuf,
    pub secure_cookies: bool,
    public_url: String,
    trusted_proxies: String,
    pub request_timeout_secs: u64,
    pub occurred_at_window_hours: u64,
    pub log: String,
    /// Origin line of the fairness log's checkpoints, and the name of its signing key.
    pub log_origin: String,
    /// `drand` or `none`.
    pub beacon: String,
    beacon_relays: String,
    pub beacon_delta_secs: u64,
    pub beacon_patience_secs: u64,
    pub draw_delta_secs: u64,
    pub draw_tick_secs: u64,
    witnesses: String,
    /// Seconds a cached branch key, card or policy may be served before it is read again (each
    /// is also dropped at once when it changes).
    pub cache_ttl_secs: u64,
    /// Ledger writes waiting for the group-commit writer before new ones get 503.
    pub write_queue: usize,
    /// The most writes the writer commits in one transaction.
    pub write_batch: usize,
    /// Bearer token for `GET /metrics`. Empty: only clients on the loopback may read it.
    metrics_token: String,
}

impl Config {
    /// Reads the configuration the process was started with.
    pub fn load() -> anyhow::Result<Self> {
        Self::from_sources(std::env::var("BASHGAH_CONFIG").ok(), |name| std::env::var(name).ok())
    }

    /// Reads configuration from an optional file and a variable lookup, so tests need not touch
    /// the process environment.
    pub fn from_sources(file: Option<String>, var: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let mut builder = config::Config::builder()
            .add_source(config::File::from_str(DEFAULT_FILE, config::FileFormat::Toml));
        if let Some(path) = file {
            builder = builder.add_source(config::File::with_name(&path).required(true));
        }
        for key in ["addr", "data_dir", "database_url", "redis_url", "redis_prefix", "site_root", "secure_cookies", "public_url", "trusted_proxies", "request_timeout_secs", "occurred_at_window_hours", "log", "log_origin", "beacon", "beacon_relays", "beacon_delta_secs", "beacon_patience_secs", "draw_delta_secs", "draw_tick_secs", "witnesses", "cache_ttl_secs", "write_queue", "write_batch", "metrics_token"] {
            if let Some(value) = var(&format!("BASHGAH_{}", key.to_ascii_uppercase())) {
                builder = builder.set_override(key, value)?;
            }
        }
        for (key, name) in [("database_url", "DATABASE_URL"), ("redis_url", "REDIS_URL")] {
            if let Some(value) = var(name) {
                builder = builder.set_override(key, value)?;
            }
        }
        let config: Self = builder
            .build()
            .context("cannot read the configuration")?
            .try_deserialize()
            .context("invalid configuration")?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> anyhow::Result<()> {
        let url = self.database_url();
        if !["sqlite:", "postgres:", "postgresql:"].iter().any(|s| url.starts_with(s)) {
            bail!("DATABASE_URL must start with sqlite: or postgres:");
        }
        if let Some(redis) = self.redis_url()
            && !redis.starts_with("redis://")
            && !redis.starts_with("rediss://")
        {
            bail!("REDIS_URL must start with redis:// or rediss://");
        }
        match self.beacon.as_str() {
            "none" => {}
            "drand" => {
                if self.beacon_relays().is_empty() {
                    bail!("beacon = \"drand\" needs at least one relay in beacon_relays");
                }
                if let Some(bad) = self.beacon_relays().iter().find(|r| !r.starts_with("http://") && !r.starts_with("https://")) {
                    bail!("beacon relay {bad} must start with http:// or https://");
                }
            }
            other => bail!("beacon must be \"drand\" or \"none\", not {other:?}"),
        }
        if !(1..=60).contains(&self.beacon_delta_secs) || !(1..=300).contains(&self.beacon_patience_secs) {
            bail!("beacon_delta_secs must be 1 to 60 and beacon_patience_secs 1 to 300");
        }
        self.parsed_trusted_proxies()?;
        self.parsed_witnesses()?;
        if !self.public_url.is_empty() {
            let url = url::Url::parse(&self.public_url).context("public_url must be an absolute URL")?;
            if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
                bail!("public_url must be an http:// or https:// URL with a host");
            }
        }
        if !(1..=600).contains(&self.request_timeout_secs) {
            bail!("request_timeout_secs must be 1 to 600");
        }
        if self.beacon == "drand" && self.request_timeout_secs <= self.beacon_delta_secs + self.beacon_patience_secs {
            bail!("request_timeout_secs must exceed beacon_delta_secs + beacon_patience_secs, or beacon spins time out");
        }
        if !(1..=3600).contains(&self.draw_delta_secs) || !(1..=600).contains(&self.draw_tick_secs) {
            bail!("draw_delta_secs must be 1 to 3600 and draw_tick_secs 1 to 600");
        }
        if !(1..=24 * 365).contains(&self.occurred_at_window_hours) {
            bail!("occurred_at_window_hours must be 1 to 8760");
        }
        if !(1..=300).contains(&self.cache_ttl_secs) {
            bail!("cache_ttl_secs must be 1 to 300");
        }
        if !(1..=1_000_000).contains(&self.write_queue) || !(1..=1000).contains(&self.write_batch) {
            bail!("write_queue must be 1 to 1000000 and write_batch 1 to 1000");
        }
        if !engine::fair::signed_note::valid_key_name(&self.log_origin) {
            bail!("log_origin must be non-empty, without spaces or '+'");
        }
        Ok(())
    }

    /// The drand relays, without trailing slashes.
    pub fn beacon_relays(&self) -> Vec<String> {
        self.beacon_relays.split(',').map(|r| r.trim().trim_end_matches('/').to_owned()).filter(|r| !r.is_empty()).collect()
    }

    fn parsed_trusted_proxies(&self) -> anyhow::Result<Vec<IpAddr>> {
        self.trusted_proxies
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| p.parse().with_context(|| format!("trusted_proxies: {p:?} is not an IP address")))
            .collect()
    }

    fn parsed_witnesses(&self) -> anyhow::Result<Vec<engine::fair::cosignature::CosignerKey>> {
        self.witnesses
            .split(',')
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(|w| engine::fair::cosignature::CosignerKey::parse(w).map_err(|e| anyhow::anyhow!("witnesses: {w:?} is not a cosigner vkey ({e})")))
            .collect()
    }

    /// The witnesses whose cosignatures are accepted (checked at start, so never an error here).
    pub fn witnesses(&self) -> Vec<engine::fair::cosignature::CosignerKey> {
        self.parsed_witnesses().unwrap_or_default()
    }

    /// The proxies whose `X-Forwarded-For` is believed (checked at start, so never an error here).
    pub fn trusted_proxies(&self) -> Vec<IpAddr> {
        self.parsed_trusted_proxies().unwrap_or_default()
    }

    /// The site's public address without a trailing slash, for links the server makes.
    pub fn public_url(&self) -> String {
        if self.public_url.is_empty() {
            format!("http://{}", self.addr)
        } else {
            self.public_url.trim_end_matches('/').to_owned()
        }
    }

    /// The database URL; by default a SQLite file inside the data directory.
    pub fn database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!("sqlite://{}", self.data_dir.join("bashgah.sqlite").display())
        } else {
            self.database_url.clone()
        }
    }

    /// The token `GET /metrics` asks for, if one is configured.
    pub fn metrics_token(&self) -> Option<&str> {
        (!self.metrics_token.is_empty()).then_some(self.metrics_token.as_str())
    }

    pub fn redis_url(&self) -> Option<&str> {
        (!self.redis_url.is_empty()).then_some(self.redis_url.as_str())
    }

    /// Every setting in force as `name = value`, secrets redacted: for `print-config` and `Debug`.
    pub fn describe(&self) -> Vec<(&'static str, String)> {
        use crate::platform::server::store::redact;
        vec![
            ("addr", self.addr.to_string()),
            ("data_dir", self.data_dir.display().to_string()),
            ("database_url", redact(&self.database_url())),
            ("redis_url", self.redis_url().map(redact).unwrap_or_default()),
            ("redis_prefix", self.redis_prefix.clone()),
            ("site_root", self.site_root.display().to_string()),
            ("secure_cookies", self.secure_cookies.to_string()),
            ("public_url", self.public_url()),
            ("trusted_proxies", self.trusted_proxies.clone()),
            ("request_timeout_secs", self.request_timeout_secs.to_string()),
            ("occurred_at_window_hours", self.occurred_at_window_hours.to_string()),
            ("log", self.log.clone()),
            ("log_origin", self.log_origin.clone()),
            ("beacon", self.beacon.clone()),
            ("beacon_relays", self.beacon_relays.clone()),
            ("beacon_delta_secs", self.beacon_delta_secs.to_string()),
            ("beacon_patience_secs", self.beacon_patience_secs.to_string()),
            ("draw_delta_secs", self.draw_delta_secs.to_string()),
            ("draw_tick_secs", self.draw_tick_secs.to_string()),
            ("witnesses", self.witnesses.clone()),
            ("cache_ttl_secs", self.cache_ttl_secs.to_string()),
            ("write_queue", self.write_queue.to_string()),
            ("write_batch", self.write_batch.to_string()),
            ("metrics_token", if self.metrics_token.is_empty() { String::new() } else { "(set)".to_owned() }),
        ]
    }
}

/// Never the database password, whatever prints the configuration.
impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut out = f.debug_struct("Config");
        for (name, value) in self.describe() {
            out.field(name, &value);
        }
        out.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(vars: &[(&str, &str)]) -> anyhow::Result<Config> {
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect();
        Config::from_sources(None, move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
    }

    #[test]
    fn defaults_give_a_local_sqlite_club() {
        let config = with(&[]).expect("defaults are valid");
        assert_eq!(config.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.database_url(), "sqlite://data/bashgah.sqlite");
        assert_eq!(config.redis_url(), None);
    }

    #[test]
    fn environment_overrides_the_file() {
        let config = with(&[("BASHGAH_ADDR", "0.0.0.0:8080"), ("DATABASE_URL", "postgres://db/club")]).expect("valid");
        assert_eq!(config.addr.to_string(), "0.0.0.0:8080");
        assert_eq!(config.database_url(), "postgres://db/club");
    }

    #[test]
    fn bad_values_are_refused_with_a_reason() {
        assert!(with(&[("BASHGAH_ADDR", "not an address")]).is_err());
        let error = with(&[("DATABASE_URL", "mysql://db")]).expect_err("unsupported database");
        assert!(error.to_string().contains("DATABASE_URL"), "{error}");
        assert!(with(&[("REDIS_URL", "http://cache")]).is_err());
        assert!(with(&[("BASHGAH_TRUSTED_PROXIES", "10.0.0.1, proxy.local")]).is_err());
        assert!(with(&[("BASHGAH_PUBLIC_URL", "club.example")]).is_err());
        assert!(with(&[("BASHGAH_REQUEST_TIMEOUT_SECS", "5")]).is_err(), "shorter than a beacon spin's wait");
    }

    #[test]
    fn secrets_never_print() {
        let config = with(&[("DATABASE_URL", "postgres://club@db/club?password=s3cret"), ("REDIS_URL", "redis://:s3cret@cache")])
            .expect("valid");
        assert!(!format!("{config:?}").contains("s3cret"), "{config:?}");
        assert!(config.describe().iter().all(|(_, value)| !value.contains("s3cret")));
    }

    #[test]
    fn public_url_and_proxies_are_read() {
        let config = with(&[("BASHGAH_PUBLIC_URL", "https://club.example/"), ("BASHGAH_TRUSTED_PROXIES", "10.0.0.1, ::1")])
            .expect("valid");
        assert_eq!(config.public_url(), "https://club.example");
        assert_eq!(config.trusted_proxies().len(), 2);
        assert_eq!(with(&[]).expect("defaults").public_url(), "http://127.0.0.1:3000");
    }
}
