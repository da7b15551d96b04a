//! CSRF protection by double submit: every browser gets a random `gh_csrf` cookie
//! (SameSite=Strict), every form carries the same value in a hidden field, and every form post
//! must match. htmx sends it as the `X-CSRF-Token` header. Another site can make a browser post
//! a form, but cannot read or set our cookie, so it cannot know the value.

use crate::{AppState, cookies};
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;

/// The current browser's CSRF token, available to every handler.
#[derive(Clone, Debug)]
pub struct CsrfToken(pub String);

/// Header htmx and API clients using a session cookie send the token in.
pub const HEADER: &str = "x-csrf-token";

/// Makes sure every request has a token, issuing a cookie when the browser had none.
pub async fn ensure_token(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let existing = cookies::get(req.headers(), cookies::CSRF);
    let token = existing
        .clone()
        .unwrap_or_else(guildhall_app::secrets::random_token);
    req.extensions_mut().insert(CsrfToken(token.clone()));
    let mut response = next.run(req).await;
    if existing.is_none() {
        let secure = state.config.secure_cookies;
        response.headers_mut().append(
            header::SET_COOKIE,
            cookies::set(cookies::CSRF, &token, 365 * 24 * 3600, "Strict", secure),
        );
    }
    response
}

/// Whether `submitted` matches the browser's token, in constant time.
pub fn matches(expected: &CsrfToken, submitted: Option<&str>) -> bool {
    let Some(submitted) = submitted else {
        return false;
    };
    let (a, b) = (expected.0.as_bytes(), submitted.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
