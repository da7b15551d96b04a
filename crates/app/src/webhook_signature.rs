//! How a payment provider's webhook proves it came from the provider. A provider with an API
//! (for example Stripe Connect) confirms or fails payouts later, by calling the instance; the
//! instance must believe only calls the provider signed. This checks Stripe's scheme, as
//! documented at <https://docs.stripe.com/webhooks#verify-manually>:
//!
//! - the `Stripe-Signature` header holds `t=<unix seconds>` and one or more `v1=<hex>`
//!   signatures (several while a signing secret is being rolled), comma-separated, and may
//!   hold other schemes (`v0=`), which are ignored;
//! - the signed payload is the timestamp, a `.`, and the request body exactly as received;
//! - each `v1` is the HMAC-SHA256 of that payload keyed with the endpoint's signing secret;
//! - a timestamp further than the tolerance (Stripe's libraries use 300 seconds) from now is
//!   refused, so a captured request cannot be replayed later.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Stripe's default tolerance between a signature's timestamp and now, in seconds.
pub const DEFAULT_TOLERANCE_SECS: i64 = 300;

/// Why a webhook's signature is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The header has no timestamp or no `v1` signature.
    #[error("the signature header has no timestamp or no v1 signature")]
    Malformed,
    /// The timestamp is too far from now.
    #[error("the signature is {0} seconds away from now, more than allowed")]
    OutsideTolerance(i64),
    /// No `v1` signature matches the body and the secret.
    #[error("no signature matches the body")]
    NoMatch,
}

/// Checks a `Stripe-Signature` header against the raw body and the endpoint's signing
/// secret, at `now` (unix seconds).
pub fn verify_stripe(
    header: &str,
    body: &[u8],
    secret: &str,
    now: i64,
    tolerance_secs: i64,
) -> Result<(), SignatureError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", hex_sig)) => {
                if let Ok(bytes) = hex::decode(hex_sig) {
                    signatures.push(bytes);
                }
            }
            _ => {}
        }
    }
    let Some(timestamp) = timestamp else {
        return Err(SignatureError::Malformed);
    };
    if signatures.is_empty() {
        return Err(SignatureError::Malformed);
    }
    let away = now.saturating_sub(timestamp).saturating_abs();
    if away > tolerance_secs {
        return Err(SignatureError::OutsideTolerance(away));
    }
    let expected = |signature: &[u8]| {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        // Compared in constant time.
        mac.verify_slice(signature).is_ok()
    };
    if signatures.iter().any(|s| expected(s)) {
        Ok(())
    } else {
        Err(SignatureError::NoMatch)
    }
}
