//! Credentials the instance issues from the evidence: Open Badges 3.0 achievements as W3C
//! Verifiable Credentials 2.0, secured with `eddsa-jcs-2022` Data Integrity proofs, revocable
//! through a Bitstring Status List; and the verifier that checks one and names the first
//! problem. Pure: keys and status lists come in through the caller's resolver.

pub mod badge;
pub mod proof;
pub mod status_list;
mod verify;

pub use verify::{Check, Outcome, Report, Resolver, verify};

/// An RFC 3339 time as a timestamp.
pub fn parse_time(s: &str) -> Option<jiff::Timestamp> {
    s.parse().ok()
}

/// `at` (milliseconds since the Unix epoch) as the RFC 3339 UTC time credentials carry,
/// to the second.
pub fn format_time(at: i64) -> String {
    jiff::Timestamp::from_second(at.div_euclid(1000))
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".into())
}

#[cfg(test)]
mod tests;
