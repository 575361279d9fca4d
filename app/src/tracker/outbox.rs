//! The tracker's queue, without a browser: when a batch goes, what a send's answer
//! means, how retries back off, and what the queue keeps. The browser side only
//! carries out the [`Effect`]s it answers, so every rule here is tested with a
//! simulated clock and transport.

use super::{BATCH_SIZE, FLUSH_INTERVAL_MS, MAX_BACKOFF_MS, MAX_QUEUE};
use std::collections::VecDeque;

/// The first retry waits this long; each further one twice as long, up to
/// [`MAX_BACKOFF_MS`].
pub const FIRST_BACKOFF_MS: u32 = 1_000;

/// What the browser side is to do next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect<E> {
    /// POST this batch now; report its answer with [`Outbox::answered`].
    Send(Vec<E>),
    /// Call [`Outbox::timer_fired`] after this many milliseconds.
    StartTimer(u32),
    /// The timer started before is not needed any more.
    CancelTimer,
}

/// What a send's answer means for its batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// 2xx, or 4xx: the server has judged the batch; sending it again cannot help.
    Done,
    /// No answer (a network error, or no answer in time), or 5xx: worth another try.
    Retry,
}

/// `status` is the answer's HTTP status, `None` when there was none.
pub fn delivery(status: Option<u16>) -> Delivery {
    match status {
        Some(status) if status < 500 => Delivery::Done,
        _ => Delivery::Retry,
    }
}

#[derive(Debug)]
pub struct Outbox<E> {
    queue: VecDeque<E>,
    /// The batch sent and not answered yet.
    in_flight: Option<Vec<E>>,
    timer_pending: bool,
    /// Zero, or how long the last retry waited.
    backoff_ms: u32,
}

impl<E> Default for Outbox<E> {
    fn default() -> Self {
        Outbox { queue: VecDeque::new(), in_flight: None, timer_pending: false, backoff_ms: 0 }
    }
}

impl<E: Clone> Outbox<E> {
    /// Events waiting to be sent (the batch in flight not counted).
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    /// A new event. The queue holds at most [`MAX_QUEUE`]: beyond that the oldest
    /// goes. A full batch is sent at once unless one is in flight or a retry is
    /// waiting; otherwise the batch leaves when the flush timer fires.
    pub fn push(&mut self, event: E) -> Vec<Effect<E>> {
        if self.queue.len() >= MAX_QUEUE {
            self.queue.pop_front();
        }
        self.queue.push_back(event);
        if self.queue.len() >= BATCH_SIZE && self.in_flight.is_none() && self.backoff_ms == 0 {
            let mut effects = self.cancel_timer();
            effects.extend(self.flush());
            effects
        } else {
            self.schedule(FLUSH_INTERVAL_MS)
        }
    }

    pub fn timer_fired(&mut self) -> Vec<Effect<E>> {
        self.timer_pending = false;
        self.flush()
    }

    /// The answer to the batch in flight: `status`, or `None` without one.
    /// `jitter_ms` (0 to 250, random) keeps many browsers from retrying together.
    pub fn answered(&mut self, status: Option<u16>, jitter_ms: u32) -> Vec<Effect<E>> {
        let Some(batch) = self.in_flight.take() else {
            return Vec::new();
        };
        match delivery(status) {
            Delivery::Done => self.backoff_ms = 0,
            Delivery::Retry => {
                // Back at the front, in order, as far as the queue has room.
                for event in batch.into_iter().rev() {
                    if self.queue.len() >= MAX_QUEUE {
                        break;
                    }
                    self.queue.push_front(event);
                }
                self.backoff_ms = (self.backoff_ms * 2).clamp(FIRST_BACKOFF_MS, MAX_BACKOFF_MS);
            }
        }
        match (self.queue.len(), self.backoff_ms) {
            (0, _) => Vec::new(),
            // The retry waits its backoff, even if a flush was due sooner.
            (_, backoff) if backoff > 0 => {
                let mut effects = self.cancel_timer();
                effects.extend(self.schedule(backoff + jitter_ms));
                effects
            }
            // A full batch is waiting: it goes now.
            (n, _) if n >= BATCH_SIZE => {
                let mut effects = self.cancel_timer();
                effects.extend(self.flush());
                effects
            }
            _ => self.schedule(FLUSH_INTERVAL_MS),
        }
    }

    /// The page is going away: everything queued, in chunks for `sendBeacon`
    /// (the batch in flight finishes on its own: its fetch is `keepalive`).
    pub fn take_for_beacon(&mut self) -> (Vec<Effect<E>>, Vec<Vec<E>>) {
        let effects = self.cancel_timer();
        let events: Vec<E> = self.queue.drain(..).collect();
        (effects, events.chunks(BATCH_SIZE * 2).map(<[E]>::to_vec).collect())
    }

    /// Consent was taken back: nothing queued is sent, the batch in flight is
    /// forgotten (its answer changes nothing), and no timer runs.
    pub fn clear(&mut self) -> Vec<Effect<E>> {
        self.queue.clear();
        self.in_flight = None;
        self.backoff_ms = 0;
        self.cancel_timer()
    }

    /// Events the browser would not take as a beacon (its quota was full): kept for
    /// the next send.
    pub fn beacon_refused(&mut self, unsent: Vec<E>) -> Vec<Effect<E>> {
        for event in unsent {
            if self.queue.len() >= MAX_QUEUE {
                self.queue.pop_front();
            }
            self.queue.push_back(event);
        }
        self.schedule(FLUSH_INTERVAL_MS)
    }

    fn flush(&mut self) -> Vec<Effect<E>> {
        if self.in_flight.is_some() || self.queue.is_empty() {
            return Vec::new();
        }
        let n = self.queue.len().min(BATCH_SIZE);
        let batch: Vec<E> = self.queue.drain(..n).collect();
        self.in_flight = Some(batch.clone());
        vec![Effect::Send(batch)]
    }

    fn schedule(&mut self, delay_ms: u32) -> Vec<Effect<E>> {
        if self.timer_pending {
            return Vec::new();
        }
        self.timer_pending = true;
        vec![Effect::StartTimer(delay_ms)]
    }

    fn cancel_timer(&mut self) -> Vec<Effect<E>> {
        if std::mem::replace(&mut self.timer_pending, false) { vec![Effect::CancelTimer] } else { Vec::new() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cleared_outbox_sends_nothing_more() {
        let mut outbox = Outbox::default();
        let effects = outbox.push(1u32);
        assert!(matches!(effects.as_slice(), [Effect::StartTimer(_)]), "{effects:?}");
        let effects = outbox.timer_fired();
        assert!(matches!(effects.as_slice(), [Effect::Send(b)] if b == &[1]), "{effects:?}");
        outbox.push(2);
        let effects = outbox.clear();
        assert!(matches!(effects.as_slice(), [Effect::CancelTimer]), "{effects:?}");
        assert_eq!(outbox.queued(), 0);
        assert!(outbox.answered(None, 0).is_empty(), "the failed batch is not retried");
        assert!(outbox.timer_fired().is_empty());
        assert!(outbox.take_for_beacon().1.is_empty());
    }

    /// The browser around an outbox, in simulated time: one timer, one send at a
    /// time, answered `round_trip_ms` after it left with the next scripted status
    /// (200 once the script runs out).
    struct Browser {
        outbox: Outbox<u32>,
        now: u32,
        timer_at: Option<u32>,
        answer_at: Option<u32>,
        script: VecDeque<Option<u16>>,
        round_trip_ms: u32,
        /// Every send: when it left, and what it held.
        sent: Vec<(u32, Vec<u32>)>,
        /// What the server took (answered below 500).
        delivered: Vec<u32>,
    }

    impl Browser {
        fn new(script: impl IntoIterator<Item = Option<u16>>) -> Browser {
            Browser {
                outbox: Outbox::default(),
                now: 0,
                timer_at: None,
                answer_at: None,
                script: script.into_iter().collect(),
                round_trip_ms: 50,
                sent: Vec::new(),
                delivered: Vec::new(),
            }
        }

        fn carry_out(&mut self, effects: Vec<Effect<u32>>) {
            for effect in effects {
                match effect {
                    Effect::Send(batch) => {
                        assert!(self.answer_at.is_none(), "one send at a time");
                        assert!(!batch.is_empty() && batch.len() <= BATCH_SIZE);
                        self.sent.push((self.now, batch));
                        self.answer_at = Some(self.now + self.round_trip_ms);
                    }
                    Effect::StartTimer(ms) => {
                        assert!(self.timer_at.is_none(), "one timer at a time");
                        self.timer_at = Some(self.now + ms);
                    }
                    Effect::CancelTimer => self.timer_at = None,
                }
            }
        }

        fn track(&mut self, event: u32) {
            let effects = self.outbox.push(event);
            self.carry_out(effects);
        }

        /// Runs the clock to `until`, firing the timer and answering sends on the way.
        fn run_until(&mut self, until: u32) {
            loop {
                let next = [self.timer_at, self.answer_at].into_iter().flatten().min();
                let Some(at) = next.filter(|at| *at <= until) else { break };
                self.now = at;
                if self.answer_at == Some(at) {
                    self.answer_at = None;
                    let status = self.script.pop_front().unwrap_or(Some(200));
                    if status.is_some_and(|s| s < 400) {
                        self.delivered.extend(self.sent.last().unwrap().1.iter().copied());
                    }
                    let effects = self.outbox.answered(status, 0);
                    self.carry_out(effects);
                } else {
                    self.timer_at = None;
                    let effects = self.outbox.timer_fired();
                    self.carry_out(effects);
                }
            }
            self.now = until;
        }

        fn send_times(&self) -> Vec<u32> {
            self.sent.iter().map(|(at, _)| *at).collect()
        }
    }

    const MINUTE: u32 = 60_000;

    #[test]
    fn the_answer_decides_whether_a_batch_is_sent_again() {
        for status in [200, 202, 204, 400, 401, 413, 415, 422, 429] {
            assert_eq!(delivery(Some(status)), Delivery::Done, "{status}");
        }
        for status in [Some(500), Some(502), Some(503), None] {
            assert_eq!(delivery(status), Delivery::Retry, "{status:?}");
        }
    }

    #[test]
    fn ten_events_go_at_once_and_fewer_wait_two_seconds() {
        let mut browser = Browser::new([]);
        for event in 0..9 {
            browser.track(event);
        }
        assert!(browser.sent.is_empty(), "nine wait for the timer");
        browser.track(9);
        assert_eq!(browser.sent, [(0, (0..10).collect())], "the tenth sends the batch at once");
        assert_eq!(browser.timer_at, None, "and the timer is cancelled");

        for event in 10..13 {
            browser.track(event);
        }
        browser.run_until(FLUSH_INTERVAL_MS - 1);
        assert_eq!(browser.sent.len(), 1, "not before two seconds");
        browser.run_until(FLUSH_INTERVAL_MS);
        assert_eq!(browser.sent[1], (FLUSH_INTERVAL_MS, vec![10, 11, 12]));
        browser.run_until(MINUTE);
        assert_eq!(browser.delivered, (0..13).collect::<Vec<_>>());
        assert_eq!(browser.sent.len(), 2, "nothing sent twice");
    }

    #[test]
    fn a_full_queue_leaves_in_batches_of_ten_one_after_another() {
        let mut browser = Browser::new([]);
        for event in 0..35 {
            browser.track(event);
        }
        browser.run_until(MINUTE);
        let sizes: Vec<usize> = browser.sent.iter().map(|(_, b)| b.len()).collect();
        assert_eq!(sizes, [10, 10, 10, 5]);
        // A full batch follows the answer before it at once; the rest waits for the timer.
        assert_eq!(browser.send_times(), [0, 50, 100, 150 + FLUSH_INTERVAL_MS]);
        assert_eq!(browser.delivered, (0..35).collect::<Vec<_>>());
    }

    #[test]
    fn failures_are_retried_in_order_backing_off_from_one_second_to_thirty() {
        let failures = [Some(503), None, Some(500), None, Some(502), None, Some(503), None];
        let mut browser = Browser::new(failures);
        browser.track(1);
        browser.track(2);
        browser.run_until(10 * MINUTE);
        let times = browser.send_times();
        let gaps: Vec<u32> = times.windows(2).map(|w| w[1] - w[0] - browser.round_trip_ms).collect();
        assert_eq!(gaps, [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000], "then capped at 30 s");
        assert!(browser.sent.iter().all(|(_, batch)| batch == &[1, 2]), "the same events each time");
        assert_eq!(browser.delivered, [1, 2], "delivered once the server answers");

        // After a success the next event waits the usual two seconds.
        let at = browser.now;
        browser.track(3);
        browser.run_until(at + MINUTE);
        assert_eq!(browser.sent.last().unwrap(), &(at + FLUSH_INTERVAL_MS, vec![3]));
    }

    #[test]
    fn events_arriving_during_a_backoff_wait_for_it() {
        let mut browser = Browser::new([Some(503)]);
        for event in 0..10 {
            browser.track(event);
        }
        browser.run_until(100);
        for event in 10..25 {
            browser.track(event);
        }
        browser.run_until(999);
        assert_eq!(browser.sent.len(), 1, "a full queue does not cut the backoff short");
        browser.run_until(MINUTE);
        assert_eq!(browser.delivered, (0..25).collect::<Vec<_>>(), "in order, none lost");
    }

    #[test]
    fn events_tracked_while_a_send_is_out_do_not_cut_the_backoff_short() {
        let mut browser = Browser::new([None, Some(503), None, Some(503), None]);
        // An event every half second for a minute and a half.
        for i in 0..180u32 {
            browser.run_until(i * 500);
            browser.track(i);
        }
        browser.run_until(10 * MINUTE);
        let times = browser.send_times();
        let gaps: Vec<u32> = times.windows(2).take(5).map(|w| w[1] - w[0] - browser.round_trip_ms).collect();
        assert_eq!(gaps, [1_000, 2_000, 4_000, 8_000, 16_000]);
        assert_eq!(browser.delivered, (0..180).collect::<Vec<_>>(), "in order, none lost");
    }

    #[test]
    fn a_batch_the_server_refuses_is_not_sent_again() {
        for status in [400, 413, 422] {
            let mut browser = Browser::new([Some(status)]);
            browser.track(1);
            browser.run_until(10 * MINUTE);
            assert_eq!(browser.sent.len(), 1, "{status}: sent once");
            assert_eq!(browser.outbox.queued(), 0, "{status}: and dropped");
            browser.track(2);
            browser.run_until(11 * MINUTE);
            assert_eq!(browser.sent.last().unwrap().1, [2], "{status}: no backoff after it");
        }
    }

    #[test]
    fn while_the_server_is_unreachable_the_queue_keeps_the_newest_200() {
        let down: Vec<Option<u16>> = vec![None; 20];
        let mut browser = Browser::new(down.clone());
        // 250 events at once: the first ten leave, the queue fills up behind them.
        for event in 0..250 {
            browser.track(event);
        }
        assert_eq!(browser.outbox.queued(), MAX_QUEUE);
        browser.run_until(100);
        assert_eq!(browser.outbox.queued(), MAX_QUEUE, "a failed batch finds no room in a full queue");
        browser.run_until(60 * MINUTE);
        let expected: Vec<u32> = (250 - MAX_QUEUE as u32..250).collect();
        assert_eq!(browser.delivered, expected, "the oldest 50 are gone, the newest 200 arrive in order");
    }

    #[test]
    fn the_queue_leaves_as_beacons_when_the_page_hides_and_what_the_browser_refuses_stays() {
        let mut outbox = Outbox::default();
        for event in 0..45u32 {
            let _ = outbox.push(event);
        }
        // The first ten are in flight (keepalive fetch); 35 are queued.
        let (effects, chunks) = outbox.take_for_beacon();
        assert_eq!(effects, [Effect::CancelTimer]);
        let sizes: Vec<usize> = chunks.iter().map(Vec::len).collect();
        assert_eq!(sizes, [20, 15]);
        assert_eq!(chunks[0][0], 10, "in order, after the batch in flight");
        assert_eq!(outbox.queued(), 0);

        assert_eq!(outbox.beacon_refused(chunks[1].clone()), [Effect::StartTimer(FLUSH_INTERVAL_MS)]);
        assert_eq!(outbox.queued(), 15, "kept for the next send");
        let (_, again) = outbox.take_for_beacon();
        assert_eq!(again, [chunks[1].clone()]);
    }
}
