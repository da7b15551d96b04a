//! The general API rate limit: every call under `/api/` counts against its client address, and
//! a call with a bearer token against that token too. Limits come from the instance's policy
//! (configuration, or the operators' desk), re-read every few seconds so a change reaches every
//! node. Counts live in memory per node: a limit is a guard against floods, not an accounting.

use crate::AppState;
use crate::error::ApiError;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How long the limits read from the policy are used before they are read again.
const REFRESH: Duration = Duration::from_secs(10);

/// Two keyed limiters and the limits they were built for.
struct Limiters {
    per_token: u32,
    per_address: u32,
    tokens: DefaultKeyedRateLimiter<u64>,
    addresses: DefaultKeyedRateLimiter<Option<IpAddr>>,
    read_at: Instant,
}

impl Limiters {
    fn new(per_token: u32, per_address: u32) -> Self {
        let quota = |n: u32| Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN));
        Limiters {
            per_token,
            per_address,
            tokens: RateLimiter::keyed(quota(per_token)),
            addresses: RateLimiter::keyed(quota(per_address)),
            read_at: Instant::now(),
        }
    }
}

/// The limiters of one router.
#[derive(Clone, Default)]
pub struct ApiRateLimit(Arc<RwLock<Option<Limiters>>>);

impl ApiRateLimit {
    /// Brings the limiters in line with the policy when they are older than [`REFRESH`].
    async fn refresh(&self, state: &AppState) {
        let stale = self
            .0
            .read()
            .map(|l| l.as_ref().is_none_or(|l| l.read_at.elapsed() >= REFRESH))
            .unwrap_or(true);
        if !stale {
            return;
        }
        let Ok(policy) = state.run(|app| app.instance().policy()).await else {
            return; // Keep the limits in force; the database answers errors of its own.
        };
        let Ok(mut slot) = self.0.write() else {
            return;
        };
        let (per_token, per_address) = (
            policy.api_calls_per_minute_per_token,
            policy.api_calls_per_minute_per_address,
        );
        match slot.as_mut() {
            Some(l) if l.per_token == per_token && l.per_address == per_address => {
                // Forget clients idle long enough to be back at a full allowance.
                l.tokens.retain_recent();
                l.addresses.retain_recent();
                l.read_at = Instant::now();
            }
            _ => *slot = Some(Limiters::new(per_token, per_address)),
        }
    }

    /// Seconds to wait, if this call is over a limit.
    fn check(&self, address: Option<IpAddr>, token: Option<u64>) -> Option<u64> {
        let slot = self.0.read().ok()?;
        let limiters = slot.as_ref()?;
        let now = DefaultClock::default().now();
        let wait = |not_until: governor::NotUntil<_>| {
            not_until.wait_time_from(now).as_secs_f64().ceil().max(1.0) as u64
        };
        if let Err(n) = limiters.addresses.check_key(&address) {
            return Some(wait(n));
        }
        if let Some(token) = token
            && let Err(n) = limiters.tokens.check_key(&token)
        {
            return Some(wait(n));
        }
        None
    }
}

/// The middleware: `429` with `Retry-After` over a limit.
pub async fn limit(
    State((state, limits)): State<(AppState, ApiRateLimit)>,
    req: Request,
    next: Next,
) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    limits.refresh(&state).await;
    let address = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| a.ip());
    // Keyed by a hash: the limiter holds no secret.
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| {
            let mut h = DefaultHasher::new();
            t.trim().hash(&mut h);
            h.finish()
        });
    match limits.check(address, token) {
        Some(secs) => ApiError::rate_limited(secs).into_response(),
        None => next.run(req).await,
    }
}
