//! What every till request would otherwise read first: the branch behind a key, the member
//! behind a card, and the earning policy in force. Each copy lives at most `cache_ttl_secs` and
//! is dropped the moment it changes: by the write that changes it on this instance
//! (`Caches::changed`), and on every other instance through Redis (`bus`), when one is set.
//!
//! A lookup that began before a change must not store what it read: every change bumps a
//! generation, and a value read under an older generation is served once but not kept.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use engine::card::CardNumber;
use engine::earn::{BranchId, Policy};
use engine::time::{GregorianDate, Timestamp};
use moka::sync::Cache;

use crate::platform::server::store::{Account, AccountId, StoreResult};

/// What changed, as the bus names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A key was revoked.
    BranchKeys,
    /// A card was replaced.
    Cards,
    /// A policy was saved.
    Policy,
}

impl Change {
    pub fn name(self) -> &'static str {
        match self {
            Self::BranchKeys => "branch_keys",
            Self::Cards => "cards",
            Self::Policy => "policy",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        [Self::BranchKeys, Self::Cards, Self::Policy].into_iter().find(|c| c.name() == name)
    }
}

/// The policy in force and the stored version it came from (`None`: the starter policy, as a
/// new installation runs).
#[derive(Debug)]
pub struct PolicyInForce {
    pub version: Option<i64>,
    pub policy: Policy,
}

/// What a till write needs of the member a card names. A birthday edited in the profile reaches
/// it within the time to live (a card replacement at once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub id: AccountId,
    pub signed_up_at: Timestamp,
    pub birthday: Option<GregorianDate>,
}

impl From<&Account> for Holder {
    fn from(account: &Account) -> Self {
        Self { id: account.id, signed_up_at: account.created_at, birthday: account.profile.birthday }
    }
}

struct Loaded {
    shared: Arc<PolicyInForce>,
    at: Instant,
}

/// Most entries either cache holds: a club with more active cards than this reads the rest.
const MAX_ENTRIES: u64 = 200_000;

pub struct Caches {
    branch_keys: Cache<String, BranchId>,
    cards: Cache<String, Holder>,
    policy: RwLock<Option<Loaded>>,
    generation: AtomicU64,
    ttl: Duration,
}

impl Caches {
    pub fn new(ttl: Duration) -> Self {
        Self {
            branch_keys: Cache::builder().max_capacity(MAX_ENTRIES).time_to_live(ttl).build(),
            cards: Cache::builder().max_capacity(MAX_ENTRIES).time_to_live(ttl).build(),
            policy: RwLock::new(None), generation: AtomicU64::new(0),
            ttl,
        }
    }

    /// Drops what `change` made stale. Local only: `bus::announce` also tells the others.
    pub fn changed(&self, change: Change) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        match change {
            Change::BranchKeys => self.branch_keys.invalidate_all(),
            Change::Cards => self.cards.invalidate_all(),
            Change::Policy => {
                if let Ok(mut slot) = self.policy.write() {
                    *slot = None;
                }
            }
        }
    }

    /// Everything, as after a gap in the bus's messages.
    pub fn forget_all(&self) {
        for change in [Change::BranchKeys, Change::Cards, Change::Policy] {
            self.changed(change);
        }
    }

    /// The branch of the key with this digest (not revoked), from the cache or from `load`.
    pub async fn branch_by_key<F>(&self, digest: &str, load: F) -> StoreResult<Option<BranchId>>
    where
        F: Future<Output = StoreResult<Option<BranchId>>>,
    {
        through(&self.branch_keys, &self.generation, digest, load).await
    }

    /// Who holds this card now, from the cache or from `load`.
    pub async fn holder_of<F>(&self, card: &CardNumber, load: F) -> StoreResult<Option<Holder>>
    where
        F: Future<Output = StoreResult<Option<Holder>>>,
    {
        through(&self.cards, &self.generation, card.as_str(), load).await
    }

    /// The policy in force, from the cache or from `load`.
    pub async fn policy<F>(&self, load: F) -> StoreResult<Arc<PolicyInForce>>
    where
        F: Future<Output = StoreResult<PolicyInForce>>,
    {
        if let Ok(slot) = self.policy.read()
            && let Some(loaded) = slot.as_ref()
            && loaded.at.elapsed() < self.ttl
        {
            return Ok(loaded.shared.clone());
        }
        let before = self.generation.load(Ordering::SeqCst);
        let shared = Arc::new(load.await?);
        if let Ok(mut slot) = self.policy.write()
            && self.generation.load(Ordering::SeqCst) == before
        {
            *slot = Some(Loaded { shared: shared.clone(), at: Instant::now() });
        }
        Ok(shared)
    }
}

/// Read-through with the generation rule: kept only if nothing changed while it was read.
async fn through<V, F>(cache: &Cache<String, V>, generation: &AtomicU64, key: &str, load: F) -> StoreResult<Option<V>>
where
    V: Clone + Send + Sync + 'static,
    F: Future<Output = StoreResult<Option<V>>>,
{
    if let Some(value) = cache.get(key) {
        return Ok(Some(value));
    }
    let before = generation.load(Ordering::SeqCst);
    let value = load.await?;
    if let Some(found) = &value {
        cache.insert(key.to_owned(), found.clone());
        // A change between the read and the insert: the change's `invalidate_all` may have run
        // before this insert, so drop it here.
        if generation.load(Ordering::SeqCst) != before {
            cache.invalidate(key);
        }
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    fn branch(id: i64) -> BranchId {
        BranchId::new(id).expect("positive id")
    }

    #[tokio::test]
    async fn a_key_is_read_once_until_its_branch_keys_change() {
        let caches = Caches::new(Duration::from_secs(60));
        let reads = AtomicUsize::new(0);
        let load = || async {
            reads.fetch_add(1, Ordering::SeqCst);
            Ok(Some(branch(7)))
        };
        assert_eq!(caches.branch_by_key("d", load()).await.expect("loads"), Some(branch(7)));
        assert_eq!(caches.branch_by_key("d", load()).await.expect("cached"), Some(branch(7)));
        assert_eq!(reads.load(Ordering::SeqCst), 1);
        caches.changed(Change::BranchKeys);
        caches.branch_by_key("d", load()).await.expect("loads again");
        assert_eq!(reads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn an_unknown_key_is_not_remembered() {
        let caches = Caches::new(Duration::from_secs(60));
        assert_eq!(caches.branch_by_key("d", async { Ok(None) }).await.expect("loads"), None);
        assert_eq!(caches.branch_by_key("d", async { Ok(Some(branch(1))) }).await.expect("loads"), Some(branch(1)));
    }

    #[tokio::test]
    async fn a_read_overtaken_by_a_change_is_served_but_not_kept() {
        let caches = Caches::new(Duration::from_secs(60));
        let stale = caches.branch_by_key("d", async {
            caches.changed(Change::BranchKeys);
            Ok(Some(branch(1)))
        });
        assert_eq!(stale.await.expect("loads"), Some(branch(1)));
        assert_eq!(caches.branch_by_key("d", async { Ok(None) }).await.expect("reads again"), None);
    }

    #[tokio::test]
    async fn the_policy_is_replaced_when_one_is_saved() {
        let caches = Caches::new(Duration::from_secs(60));
        let first = caches.policy(async { Ok(PolicyInForce { version: Some(1), policy: Policy::starter() }) }).await.expect("loads");
        let again = caches.policy(async { Ok(PolicyInForce { version: Some(2), policy: Policy::starter() }) }).await.expect("cached");
        assert_eq!((first.version, again.version), (Some(1), Some(1)));
        caches.changed(Change::Policy);
        let saved = caches.policy(async { Ok(PolicyInForce { version: Some(2), policy: Policy::starter() }) }).await.expect("loads");
        assert_eq!(saved.version, Some(2));
    }

    #[tokio::test]
    async fn copies_lapse_after_their_time_to_live() {
        let caches = Caches::new(Duration::from_millis(20));
        caches.policy(async { Ok(PolicyInForce { version: Some(1), policy: Policy::starter() }) }).await.expect("loads");
        tokio::time::sleep(Duration::from_millis(40)).await;
        let later = caches.policy(async { Ok(PolicyInForce { version: Some(2), policy: Policy::starter() }) }).await.expect("loads");
        assert_eq!(later.version, Some(2));
    }

    #[test]
    fn changes_travel_by_name() {
        for change in [Change::BranchKeys, Change::Cards, Change::Policy] {
            assert_eq!(Change::parse(change.name()), Some(change));
        }
        assert_eq!(Change::parse("everything"), None);
    }
}
