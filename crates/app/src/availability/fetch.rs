//! Fetching a subscribed calendar's address. A member names the address, so the server must
//! not become their way into its own network: every address a host name resolves to, and every
//! redirect, must be public (not loopback, private, link-local or otherwise special) unless the
//! instance allows private addresses (tests, or a calendar server on the same network).

use std::io::Read;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use super::MAX_ICS_BYTES;
/// Redirects followed at most.
const REDIRECTS: usize = 3;
/// Time allowed for the whole fetch.
const TIMEOUT: Duration = Duration::from_secs(20);

/// Whether an address is on the public internet.
pub(crate) fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.is_multicast()
                // Shared address space (carrier-grade NAT), RFC 6598, and "this network".
                || (a == 100 && (64..128).contains(&b))
                || a == 0
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                // Unique local fc00::/7 and link-local fe80::/10.
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}

const PRIVATE: &str = "points into a private network, which calendars cannot be fetched from";

/// Resolves host names, refusing any that leads to an address that is not public.
struct GuardedResolver;

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            if addrs.iter().any(|a| !is_public(a.ip())) {
                return Err(format!("{} {PRIVATE}", name.as_str()).into());
            }
            let addrs: reqwest::dns::Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

/// Refuses an address whose host is itself a private IP (no resolver sees those).
fn check_literal(url: &reqwest::Url, allow_private: bool) -> Result<(), String> {
    let ip = match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip),
        _ => return Ok(()),
    };
    if allow_private || is_public(ip) {
        Ok(())
    } else {
        Err(format!("{ip} {PRIVATE}"))
    }
}

/// Fetches `address` and returns its text, or says in words what went wrong.
pub(crate) fn fetch(address: &str, allow_private: bool) -> Result<String, String> {
    let url = reqwest::Url::parse(address).map_err(|_| "is not a web address".to_string())?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("must start with https:// or http://".into());
    }
    check_literal(&url, allow_private)?;
    let redirects = reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() >= REDIRECTS {
            return attempt.error("it redirected too many times");
        }
        match check_literal(attempt.url(), allow_private) {
            Ok(()) => attempt.follow(),
            Err(e) => attempt.error(e),
        }
    });
    let mut client = reqwest::blocking::Client::builder()
        .timeout(TIMEOUT)
        .redirect(redirects)
        .user_agent(concat!(
            "Guildhall/",
            env!("CARGO_PKG_VERSION"),
            " (calendar refresh)"
        ));
    if !allow_private {
        client = client.dns_resolver(Arc::new(GuardedResolver));
    }
    let client = client
        .build()
        .map_err(|e| format!("cannot be fetched here: {e}"))?;
    let response = client.get(url).send().map_err(|e| {
        let mut cause: &dyn std::error::Error = &e;
        while let Some(next) = cause.source() {
            cause = next;
        }
        if e.is_timeout() {
            "did not answer in time".to_string()
        } else if e.is_redirect() || cause.to_string().contains(PRIVATE) {
            cause.to_string()
        } else {
            format!("could not be reached ({cause})")
        }
    })?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!(
            "answered {} {} instead of a calendar",
            status.as_u16(),
            status.canonical_reason().unwrap_or("")
        )
        .trim_end()
        .to_string());
    }
    let mut bytes = Vec::new();
    response
        .take(MAX_ICS_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("stopped answering ({e})"))?;
    if bytes.len() > MAX_ICS_BYTES {
        return Err("holds a calendar larger than 1 MB; export a shorter span".into());
    }
    String::from_utf8(bytes).map_err(|_| "answered with something that is not text".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_are_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in ["93.184.216.34", "2606:2800:220:1::1", "1.1.1.1"] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn a_private_address_is_refused_before_anything_is_sent() {
        for address in [
            "http://127.0.0.1:1/cal.ics",
            "http://[::1]/cal.ics",
            "http://169.254.169.254/latest/meta-data",
            "http://localhost:1/cal.ics",
        ] {
            let e = fetch(address, false).unwrap_err();
            assert!(e.contains("private network"), "{address}: {e}");
        }
        assert!(fetch("ftp://example.org/cal.ics", false).is_err());
        assert!(fetch("not an address", false).is_err());
    }
}
