//! Sign-in throttling: failed attempts slow further ones, per address and per account, with
//! delays doubling from one second; a browser that signed in to an account before is not slowed
//! by failures from elsewhere, so an attacker cannot lock the owner out.

use crate::AppError;
use crate::secrets::hash_token;
use guildhall_domain::UserId;
use guildhall_store::repo::throttle;

/// Where a sign-in attempt comes from.
#[derive(Clone, Debug, Default)]
pub struct AttemptOrigin {
    /// The client's address.
    pub address: String,
    /// The device token the browser presented, if any.
    pub device_token: Option<String>,
    /// How the browser describes itself (its `User-Agent`), kept with the session it starts.
    pub device: String,
}

/// Sign-in throttling window.
pub(super) const WINDOW_MS: i64 = 15 * 60 * 1000;
/// Failures per account before attempts from untrusted devices are slowed.
pub(super) const ACCOUNT_FREE_FAILURES: i64 = 5;
/// Failures per address before its attempts are slowed.
const ADDRESS_FREE_FAILURES: i64 = 20;
/// Longest delay between attempts.
const MAX_DELAY_MS: i64 = 5 * 60 * 1000;

/// Delay required after `count` failures with `free` allowed: doubling from one second.
fn required_delay(count: i64, free: i64) -> i64 {
    if count < free {
        return 0;
    }
    let doublings = (count - free).min(20) as u32;
    (1000i64 << doublings).min(MAX_DELAY_MS)
}

impl crate::facades::Accounts<'_> {
    /// Checks the throttle for an attempt on `account_key` from `origin`.
    pub(super) fn check_throttle(
        &self,
        account_key: &str,
        user_id: Option<UserId>,
        origin: &AttemptOrigin,
    ) -> Result<(), AppError> {
        let now = self.now();
        let since = now - WINDOW_MS;
        self.read(|c| {
            let (n, last) = throttle::address_failures(c, &origin.address, since)?;
            let wait = last.map_or(0, |l| l + required_delay(n, ADDRESS_FREE_FAILURES) - now);
            if wait > 0 {
                return Err(AppError::RateLimited {
                    retry_after_secs: (wait as u64).div_ceil(1000),
                });
            }
            // A browser that signed in to this account before is not slowed by failures from
            // elsewhere: an attacker hammering the account cannot lock its owner out.
            let trusted = match (user_id, &origin.device_token) {
                (Some(uid), Some(token)) => throttle::is_trusted(c, &hash_token(token), uid)?,
                _ => false,
            };
            if !trusted {
                let (n, last) = throttle::account_failures(c, account_key, since)?;
                let wait = last.map_or(0, |l| l + required_delay(n, ACCOUNT_FREE_FAILURES) - now);
                if wait > 0 {
                    return Err(AppError::RateLimited {
                        retry_after_secs: (wait as u64).div_ceil(1000),
                    });
                }
            }
            Ok(())
        })
    }
}
