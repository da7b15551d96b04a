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
    let name = cookies::csrf_name(state.config.secure_cookies);
    let existing = cookies::get(req.headers(), name);
    // Only pages carry forms; API, health and asset responses set no cookie.
    let path = req.uri().path();
    let machine = ["/api/", "/static/", "/healthz", "/readyz", "/metrics"]
        .iter()
        .any(|p| path.starts_with(p));
    let issue = existing.is_none() && !machine;
    let token = match existing {
        Some(t) => Some(t),
        None if issue => Some(guildhall_app::secrets::random_token()),
        None => None,
    };
    if let Some(token) = &token {
        req.extensions_mut().insert(CsrfToken(token.clone()));
    }
    let mut response = next.run(req).await;
    if let (true, Some(token)) = (issue, token) {
        response.headers_mut().append(
            header::SET_COOKIE,
            cookies::set(
                name,
                &token,
                365 * 24 * 3600,
                "Strict",
                state.config.secure_cookies,
            ),
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
