//! The catalog's reads (the home page, categories, catalog and search pages, a
//! product), kept in memory: every page a shopper browses needs them, and they
//! change only when an admin edits the catalog or a checkout takes stock.
//!
//! Every change made through this instance moves the cache to a new generation
//! once its transaction has committed, so the next read goes to the database: a
//! shopper never sees a price, a stock level or an image older than the last change
//! made here. A read that was under way during the change keeps its answer to
//! itself (it is stored under the generation it began in, which no one reads any
//! more). Changes made by another instance on the same database show once the
//! entries here expire: `catalog_cache_secs` after they were read.

use jewelry_app::error::Failure;
use std::any::Any;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// What is read: one entry per page of the catalog asked for.
#[derive(Clone, Debug, Hash, PartialEq, Eq)]
pub(crate) enum Key {
    Home,
    Categories,
    /// A catalog page's canonical address (category, search, sort, page).
    Catalog(String),
    Product(String),
    /// Every product on sale, folded for searching.
    SearchIndex,
}

/// Entries kept at most (every distinct search is one).
const CAPACITY: u64 = 10_000;

pub struct CatalogCache {
    generation: AtomicU64,
    /// `None` when the cache is off (`catalog_cache_secs = 0`).
    entries: Option<moka::sync::Cache<(u64, Key), Arc<dyn Any + Send + Sync>>>,
}

impl CatalogCache {
    /// Entries live `ttl` at most; zero keeps none.
    pub fn new(ttl: Duration) -> Self {
        let entries =
            (!ttl.is_zero()).then(|| moka::sync::Cache::builder().max_capacity(CAPACITY).time_to_live(ttl).build());
        CatalogCache { generation: AtomicU64::new(0), entries }
    }

    /// The value stored for `key` in this generation, else what `load` reads
    /// (stored unless the catalog changed meanwhile). Errors are not stored.
    pub(crate) async fn get_or_load<T, F>(&self, key: Key, load: F) -> Result<T, Failure>
    where
        T: Clone + Send + Sync + 'static,
        F: Future<Output = Result<T, Failure>>,
    {
        let Some(entries) = &self.entries else { return load.await };
        let generation = self.generation.load(Ordering::Acquire);
        let cached = entries.get(&(generation, key.clone()));
        if let Some(hit) = cached.as_ref().and_then(|entry| entry.downcast_ref::<T>()) {
            return Ok(hit.clone());
        }
        let value = load.await?;
        if self.generation.load(Ordering::Acquire) == generation {
            entries.insert((generation, key), Arc::new(value.clone()));
        }
        Ok(value)
    }

    /// Moves on with every change: what was read in another generation is not served.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// How long a read is kept, `None` when nothing is (`catalog_cache_secs` is zero).
    pub fn ttl(&self) -> Option<Duration> {
        self.entries.as_ref().and_then(|entries| entries.policy().time_to_live())
    }

    /// The catalog changed (committed): nothing read before is served again.
    pub fn changed(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        if let Some(entries) = &self.entries {
            entries.invalidate_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    async fn read(cache: &CatalogCache, loads: &AtomicUsize, value: u32) -> u32 {
        cache
            .get_or_load(Key::Home, async {
                loads.fetch_add(1, Ordering::SeqCst);
                Ok(value)
            })
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_read_is_served_from_memory_until_the_catalog_changes() {
        let (cache, loads) = (CatalogCache::new(Duration::from_secs(60)), AtomicUsize::new(0));
        assert_eq!(read(&cache, &loads, 1).await, 1);
        assert_eq!(read(&cache, &loads, 2).await, 1, "the stored answer");
        assert_eq!(loads.load(Ordering::SeqCst), 1);
        cache.changed();
        assert_eq!(read(&cache, &loads, 3).await, 3, "read again after the change");
        assert_eq!(loads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_read_under_way_during_a_change_is_not_kept() {
        let cache = CatalogCache::new(Duration::from_secs(60));
        let loads = AtomicUsize::new(0);
        let during = cache
            .get_or_load(Key::Product("ring".into()), async {
                cache.changed(); // committed while this read was on its way
                Ok("old price")
            })
            .await
            .unwrap();
        assert_eq!(during, "old price");
        let after = cache
            .get_or_load(Key::Product("ring".into()), async {
                loads.fetch_add(1, Ordering::SeqCst);
                Ok("new price")
            })
            .await
            .unwrap();
        assert_eq!((after, loads.load(Ordering::SeqCst)), ("new price", 1));
    }

    #[tokio::test]
    async fn entries_expire_after_their_time_to_live_and_none_are_kept_when_it_is_zero() {
        let (cache, loads) = (CatalogCache::new(Duration::from_millis(50)), AtomicUsize::new(0));
        assert_eq!(cache.ttl(), Some(Duration::from_millis(50)), "what the kept pages live by too");
        read(&cache, &loads, 1).await;
        tokio::time::sleep(Duration::from_millis(120)).await;
        assert_eq!(read(&cache, &loads, 2).await, 2, "another instance's change shows after the time to live");
        let (off, loads) = (CatalogCache::new(Duration::ZERO), AtomicUsize::new(0));
        assert_eq!(off.ttl(), None);
        read(&off, &loads, 1).await;
        read(&off, &loads, 1).await;
        assert_eq!(loads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn errors_are_not_kept() {
        let cache = CatalogCache::new(Duration::from_secs(60));
        let failed: Result<u32, Failure> = cache
            .get_or_load(Key::Categories, async { Err(Failure::Shop(jewelry_app::error::ShopError::Unavailable)) })
            .await;
        assert!(failed.is_err());
        let loads = AtomicUsize::new(0);
        let ok = cache
            .get_or_load(Key::Categories, async {
                loads.fetch_add(1, Ordering::SeqCst);
                Ok(7u32)
            })
            .await;
        assert_eq!((ok.unwrap(), loads.load(Ordering::SeqCst)), (7, 1));
    }
}
