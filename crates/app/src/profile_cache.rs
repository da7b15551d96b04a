//! An in-memory cache of members' profile items for anonymous reads, the hottest path of a
//! public instance. Entries hold the owner's whole item list; visibility is still decided per
//! request by `guildhall_domain::visible_items`. The cache follows the change feed: a write on
//! this node marks it behind, and the next anonymous read follows the feed before trusting it
//! (so a member sees their own change at once, and a burst of writes costs one follow, not one
//! each); `serve` tails the feed so writes made by other nodes evict entries within the tail
//! interval.

use guildhall_domain::profile::ProfileItem;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

/// One member's cached profile.
#[derive(Clone, Debug)]
pub struct CachedProfile {
    /// The member's account id; a change-feed entry with this actor evicts the profile.
    pub owner_id: String,
    /// The member's handle, the key the cache is looked up by.
    pub handle: String,
    /// Every item, in order.
    pub items: Vec<ProfileItem>,
}

#[derive(Default)]
struct Inner {
    by_handle: HashMap<String, Arc<CachedProfile>>,
    handle_of: HashMap<String, String>,
    /// Last change-feed sequence number applied.
    watermark: i64,
}

/// The cache.
pub struct ProfileCache {
    inner: RwLock<Inner>,
    capacity: usize,
    /// Whether this node wrote to the feed since the cache last followed it.
    behind: AtomicBool,
}

impl ProfileCache {
    /// A cache of at most `capacity` profiles, current as of feed position `watermark`.
    pub fn new(capacity: usize, watermark: i64) -> Self {
        Self {
            inner: RwLock::new(Inner {
                watermark,
                ..Inner::default()
            }),
            capacity,
            behind: AtomicBool::new(false),
        }
    }

    /// The cached profile of `handle`; none while the cache is behind this node's writes.
    pub fn get(&self, handle: &str) -> Option<Arc<CachedProfile>> {
        if self.is_behind() {
            return None;
        }
        self.inner.read().ok()?.by_handle.get(handle).cloned()
    }

    /// Notes that this node wrote to the feed: the cache is not to be trusted until it follows.
    pub fn fell_behind(&self) {
        self.behind.store(true, Ordering::Release);
    }

    /// Whether this node wrote to the feed since the cache last followed it.
    pub fn is_behind(&self) -> bool {
        self.behind.load(Ordering::Acquire)
    }

    /// Called as a follow of the feed starts: writes committed before now are in what it
    /// reads, and a write committed meanwhile marks the cache behind again.
    pub(crate) fn following(&self) {
        self.behind.store(false, Ordering::Release);
    }

    /// The feed position the cache reflects.
    pub fn watermark(&self) -> i64 {
        self.inner.read().map_or(i64::MAX, |i| i.watermark)
    }

    /// Stores a profile loaded when the cache was at `seen_watermark`. Skipped if the cache has
    /// moved on since, because the load may predate a change it already applied.
    pub fn insert(&self, seen_watermark: i64, profile: CachedProfile) {
        let Ok(mut inner) = self.inner.write() else {
            return;
        };
        if inner.watermark != seen_watermark || self.capacity == 0 {
            return;
        }
        if inner.by_handle.len() >= self.capacity {
            // Evict an arbitrary entry: cheap, and fair enough for a read-mostly cache.
            if let Some(victim) = inner.by_handle.keys().next().cloned()
                && let Some(old) = inner.by_handle.remove(&victim)
            {
                inner.handle_of.remove(&old.owner_id);
            }
        }
        inner
            .handle_of
            .insert(profile.owner_id.clone(), profile.handle.clone());
        inner
            .by_handle
            .insert(profile.handle.clone(), Arc::new(profile));
    }

    /// Applies feed entries: evicts every profile whose owner caused one, and advances the
    /// watermark to `up_to`.
    pub fn apply(&self, actors: impl IntoIterator<Item = String>, up_to: i64) {
        let Ok(mut inner) = self.inner.write() else {
            return;
        };
        for actor in actors {
            if let Some(handle) = inner.handle_of.remove(&actor) {
                inner.by_handle.remove(&handle);
            }
        }
        inner.watermark = inner.watermark.max(up_to);
    }

    /// How many profiles are cached.
    pub fn len(&self) -> usize {
        self.inner.read().map_or(0, |i| i.by_handle.len())
    }

    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(id: &str, handle: &str) -> CachedProfile {
        CachedProfile {
            owner_id: id.into(),
            handle: handle.into(),
            items: vec![],
        }
    }

    #[test]
    fn evicts_on_feed_and_refuses_stale_inserts() {
        let cache = ProfileCache::new(2, 10);
        cache.insert(10, profile("u1", "ada"));
        assert!(cache.get("ada").is_some());
        cache.apply(["u1".to_string()], 11);
        assert!(cache.get("ada").is_none());
        cache.insert(10, profile("u1", "ada"));
        assert!(
            cache.get("ada").is_none(),
            "loaded before change 11: not cached"
        );
        cache.insert(11, profile("u1", "ada"));
        cache.insert(11, profile("u2", "bob"));
        cache.insert(11, profile("u3", "eve"));
        assert_eq!(cache.len(), 2, "capacity holds");
    }
}
