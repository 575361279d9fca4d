//! Recently accepted `eventId`s, so a retried or repeated event is counted once.
//!
//! Two generations of ids per shard: the current one fills, and when it is full or
//! older than the window it becomes the previous one and the old previous is
//! dropped. Memory stays bounded whatever the traffic; an id is remembered for at
//! least one window unless traffic fills a generation sooner.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use uuid::Uuid;

const SHARDS: usize = 16;

pub struct RecentIds {
    shards: Vec<Mutex<Generations>>,
    window: Duration,
    capacity_per_generation: usize,
}

struct Generations {
    current: HashSet<u128>,
    previous: HashSet<u128>,
    started: Instant,
}

impl RecentIds {
    /// Remembers ids for `window`, holding at most about `capacity` ids in all.
    pub fn new(window: Duration, capacity: usize) -> Self {
        let capacity_per_generation = (capacity / SHARDS / 2).max(16);
        RecentIds {
            shards: (0..SHARDS)
                .map(|_| {
                    Mutex::new(Generations {
                        current: HashSet::new(),
                        previous: HashSet::new(),
                        started: Instant::now(),
                    })
                })
                .collect(),
            window,
            capacity_per_generation,
        }
    }

    /// Records `id`; `true` the first time it is seen within the window.
    pub fn first_time(&self, id: Uuid) -> bool {
        let key = id.as_u128();
        let shard = &self.shards[(key as usize) % SHARDS];
        let mut g = shard
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if g.current.len() >= self.capacity_per_generation || g.started.elapsed() >= self.window {
            g.previous = std::mem::take(&mut g.current);
            g.started = Instant::now();
        }
        if g.previous.contains(&key) {
            return false;
        }
        g.current.insert(key)
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
    fn ids_survive_one_rotation_and_are_forgotten_after_two() {
        let recent = RecentIds::new(Duration::from_millis(40), 1_000);
        let id = Uuid::from_u128(7);
        assert!(recent.first_time(id));
        std::thread::sleep(Duration::from_millis(50));
        assert!(
            !recent.first_time(id),
            "still remembered from the previous generation"
        );
        std::thread::sleep(Duration::from_millis(50));
        // A rotation on another id of the same shard drops the generation holding it.
        recent.first_time(Uuid::from_u128(7 + SHARDS as u128));
        std::thread::sleep(Duration::from_millis(50));
        recent.first_time(Uuid::from_u128(7 + 2 * SHARDS as u128));
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
