//! Recently accepted `eventId`s, so a retried or repeated event is counted once.
//!
//! Two generations of ids per shard: the current one fills, and when it is full or
//! older than the window it becomes the previous one and the old previous is
//! dropped. Memory stays bounded whatever the traffic; an id is remembered for at
//! least one window unless traffic fills a generation sooner.

use std::collections::HashSet;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use uuid::Uuid;

const SHARDS: usize = 16;

pub struct RecentIds {
    /// Ids are kept as a 64-bit keyed hash: half the memory of the 128-bit id, one
    /// hash per event instead of two, and the secret key keeps clients from
    /// crafting collisions (two ids colliding by chance among a million: 1 in 2^44).
    keys: RandomState,
    shards: Vec<Mutex<Generations>>,
    window: Duration,
    capacity_per_generation: usize,
}

/// The stored values are already keyed hashes: the table uses them as they are.
#[derive(Default)]
struct AlreadyHashed(u64);

impl Hasher for AlreadyHashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type HashedSet = HashSet<u64, BuildHasherDefault<AlreadyHashed>>;

struct Generations {
    current: HashedSet,
    previous: HashedSet,
    started: Instant,
    /// Inserts since the clock was last read: reading it on every event costs more
    /// than the rest of the check.
    since_clock: u32,
}

/// The clock is read once per this many inserts (and whenever a shard is idle).
const CLOCK_EVERY: u32 = 64;

impl RecentIds {
    /// Remembers ids for `window`, holding at most about `capacity` ids in all.
    pub fn new(window: Duration, capacity: usize) -> Self {
        let capacity_per_generation = (capacity / SHARDS / 2).max(16);
        RecentIds {
            keys: RandomState::new(),
            shards: (0..SHARDS)
                .map(|_| {
                    Mutex::new(Generations {
                        current: HashedSet::default(),
                        previous: HashedSet::default(),
                        started: Instant::now(),
                        since_clock: 0,
                    })
                })
                .collect(),
            window,
            capacity_per_generation,
        }
    }

    /// The id's keyed hash and its shard.
    fn locate(&self, id: Uuid) -> (u64, usize) {
        let key = self.keys.hash_one(id.as_u128());
        (key, (key >> 60) as usize % SHARDS)
    }

    /// Records `id`; `true` the first time it is seen within the window.
    pub fn first_time(&self, id: Uuid) -> bool {
        let (key, shard) = self.locate(id);
        let shard = &self.shards[shard];
        let mut g = shard.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        g.since_clock += 1;
        let full = g.current.len() >= self.capacity_per_generation;
        let check_clock = g.since_clock >= CLOCK_EVERY || g.current.len() < CLOCK_EVERY as usize;
        if full || (check_clock && g.started.elapsed() >= self.window) {
            // The old previous generation's table is cleared and reused: no
            // allocation or rehash while the set refills.
            let g = &mut *g;
            std::mem::swap(&mut g.previous, &mut g.current);
            g.current.clear();
            g.started = Instant::now();
            g.since_clock = 0;
        } else if check_clock {
            g.since_clock = 0;
        }
        if g.previous.contains(&key) {
            return false;
        }
        g.current.insert(key)
    }

    /// Forgets `id`, recorded by [`RecentIds::first_time`] for an event that was
    /// not taken after all (its line could not be written): its retry is no repeat.
    pub fn forget(&self, id: Uuid) {
        let (key, shard) = self.locate(id);
        let mut g = self.shards[shard].lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        g.current.remove(&key);
        g.previous.remove(&key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_counts_once() {
        let recent = RecentIds::new(Duration::from_secs(60), 1_000);
        let id = Uuid::from_u128(42);
        assert!(recent.first_time(id));
        assert!(!recent.first_time(id));
        assert!(recent.first_time(Uuid::from_u128(43)));
    }

    #[test]
    fn a_forgotten_id_counts_again() {
        let recent = RecentIds::new(Duration::from_secs(60), 1_000);
        let id = Uuid::from_u128(42);
        assert!(recent.first_time(id));
        recent.forget(id);
        assert!(recent.first_time(id), "taken again after it was forgotten");
        assert!(!recent.first_time(id));
    }

    #[test]
    fn ids_survive_one_rotation_and_are_forgotten_after_two() {
        let recent = RecentIds::new(Duration::from_millis(40), 1_000);
        let id = Uuid::from_u128(7);
        assert!(recent.first_time(id));
        std::thread::sleep(Duration::from_millis(50));
        assert!(!recent.first_time(id), "still remembered from the previous generation");
        std::thread::sleep(Duration::from_millis(50));
        // Rotations, caused by other ids of the same shard, drop the generation holding it.
        let mut neighbours =
            (8u128..).map(Uuid::from_u128).filter(|other| recent.locate(*other).1 == recent.locate(id).1);
        recent.first_time(neighbours.next().unwrap());
        std::thread::sleep(Duration::from_millis(50));
        recent.first_time(neighbours.next().unwrap());
        assert!(recent.first_time(id), "forgotten after two windows");
    }

    #[test]
    fn memory_is_bounded() {
        let recent = RecentIds::new(Duration::from_secs(3600), 3_200);
        for i in 0..100_000u128 {
            recent.first_time(Uuid::from_u128(i));
        }
        let held: usize = recent
            .shards
            .iter()
            .map(|s| {
                let g = s.lock().unwrap();
                g.current.len() + g.previous.len()
            })
            .sum();
        assert!(held <= 3_200, "{held} ids held");
    }
}
