//! Reading and writing the few cookies Guildhall uses.

use axum::http::{HeaderMap, HeaderValue, header};

/// The browser session.
pub const SESSION: &str = "gh_session";
/// The CSRF double-submit token over plain http (development, tests).
pub const CSRF: &str = "gh_csrf";
/// The CSRF token over https: the `__Host-` prefix makes browsers refuse it unless it is
/// `Secure`, has `Path=/` and no `Domain`, so a sibling subdomain cannot plant a known token.
pub const CSRF_HOST: &str = "__Host-gh_csrf";

/// The CSRF cookie's name: `__Host-` prefixed when cookies are `Secure`.
pub fn csrf_name(secure: bool) -> &'static str {
    if secure { CSRF_HOST } else { CSRF }
}
/// The remembered-device token that exempts the owner's browser from account throttling.
pub const DEVICE: &str = "gh_device";

/// The value of cookie `name` in the request, if present.
pub fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty() && v.len() <= 256)
}

/// A `Set-Cookie` value. Values are base64url tokens, so no escaping is needed.
pub fn set(
    name: &str,
    value: &str,
    max_age_secs: i64,
    same_site: &str,
    secure: bool,
) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; Max-Age={max_age_secs}; HttpOnly; SameSite={same_site}{secure}"
    ))
    .expect("cookie values are base64url")
}

/// A `Set-Cookie` value that deletes cookie `name`.
pub fn clear(name: &str, secure: bool) -> HeaderValue {
    set(name, "", 0, "Lax", secure)
}
