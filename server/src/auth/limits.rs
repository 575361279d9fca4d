//! How often the development provider's form may be tried: per address and per
//! account (the name typed, in any case), with governor's keyed GCRA limiters.
//! Every attempt counts, a right password too; the first of the two limits reached
//! answers `429` with `Retry-After`. Cognito's hosted UI enforces its own.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

/// Attempts an account may have in a row; then one more every [`ACCOUNT_EVERY`].
pub const ACCOUNT_BURST: u32 = 5;
pub const ACCOUNT_EVERY: Duration = Duration::from_secs(60);
/// Attempts an address may have in a row; then one more every [`ADDRESS_EVERY`].
pub const ADDRESS_BURST: u32 = 20;
pub const ADDRESS_EVERY: Duration = Duration::from_secs(15);

/// How often the limiters forget keys that are back to a full allowance.
pub const FORGET_EVERY: Duration = Duration::from_secs(60);

/// Which limit refused an attempt, and how long until the next is let through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limited {
    pub reason: &'static str,
    pub retry_after: Duration,
}

pub struct SignInLimits {
    by_address: DefaultKeyedRateLimiter<IpAddr>,
    by_account: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
}

fn quota(burst: u32, every: Duration) -> Quota {
    Quota::with_period(every).expect("a non-zero period").allow_burst(NonZeroU32::new(burst).expect("a non-zero burst"))
}

impl Default for SignInLimits {
    fn default() -> Self {
        SignInLimits {
            by_address: DefaultKeyedRateLimiter::keyed(quota(ADDRESS_BURST, ADDRESS_EVERY)),
            by_account: DefaultKeyedRateLimiter::keyed(quota(ACCOUNT_BURST, ACCOUNT_EVERY)),
            clock: DefaultClock::default(),
        }
    }
}

impl SignInLimits {
    /// Counts an attempt from `address` on `account`; `Err` when a limit is reached.
    pub fn attempt(&self, address: Option<IpAddr>, account: &str) -> Result<(), Limited> {
        let now = self.clock.now();
        if let Some(address) = address
            && let Err(not_until) = self.by_address.check_key(&address)
        {
            return Err(Limited {
                reason: "too_many_attempts_from_address",
                retry_after: not_until.wait_time_from(now),
            });
        }
        let account = account.trim().to_lowercase();
        self.by_account.check_key(&account).map_err(|not_until| Limited {
            reason: "too_many_attempts_for_account",
            retry_after: not_until.wait_time_from(now),
        })
    }

    /// Drops the keys whose allowance is full again, so the maps stay small.
    pub fn forget_recovered(&self) {
        self.by_address.retain_recent();
        self.by_account.retain_recent();
        self.by_address.shrink_to_fit();
        self.by_account.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_gets_its_burst_then_waits_whatever_the_case_of_its_name() {
        let limits = SignInLimits::default();
        let ip = Some("198.51.100.7".parse().unwrap());
        for _ in 0..ACCOUNT_BURST {
            assert_eq!(limits.attempt(ip, "Shopper"), Ok(()));
        }
        let limited = limits.attempt(ip, " shopper").unwrap_err();
        assert_eq!(limited.reason, "too_many_attempts_for_account");
        assert!(limited.retry_after > Duration::ZERO && limited.retry_after <= ACCOUNT_EVERY, "{limited:?}");
        assert_eq!(limits.attempt(ip, "admin"), Ok(()), "another account is not held back");
    }

    #[test]
    fn an_address_gets_its_burst_across_accounts() {
        let limits = SignInLimits::default();
        let ip = Some("203.0.113.9".parse().unwrap());
        for n in 0..ADDRESS_BURST {
            assert_eq!(limits.attempt(ip, &format!("user{n}")), Ok(()));
        }
        assert_eq!(limits.attempt(ip, "fresh").unwrap_err().reason, "too_many_attempts_from_address");
        assert_eq!(limits.attempt(Some("203.0.113.10".parse().unwrap()), "fresh"), Ok(()));
    }
}
