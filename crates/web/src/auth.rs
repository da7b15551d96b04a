//! Who is asking: a bearer token (API clients) or a session cookie (browsers). Extractors for
//! the API answer 401 problems; page extractors redirect to the sign-in page.
//!
//! Sessions are rows of our own `sessions` table rather than tower-sessions records: a password
//! change must end every other session of the account, which needs sessions findable by
//! account, and sign-in must rotate the id; tower-sessions' opaque records offer neither.

use crate::csrf::{self, CsrfToken};
use crate::error::ApiError;
use crate::{AppState, cookies};
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{Method, header};
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_app::accounts::Account;

/// How the caller proved who they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    /// `Authorization: Bearer`.
    Token,
    /// The session cookie.
    Session,
}

/// A signed-in caller.
#[derive(Clone, Debug)]
pub struct Caller {
    /// The account.
    pub account: Account,
    /// How they signed in.
    pub via: Via,
    /// The session id, when signed in by cookie.
    pub session: Option<String>,
    /// How many things wait for the member's answer (pages only; 0 for API calls).
    pub waiting: i64,
    /// How many of the member's notifications are unread (pages only; 0 for API calls).
    pub unread: i64,
    /// How many of the member's conversations have unread messages (pages only).
    pub messages: i64,
}

fn bearer(parts: &Parts) -> Option<Option<String>> {
    let value = parts.headers.get(header::AUTHORIZATION)?;
    let token = value
        .to_str()
        .ok()
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(|t| t.trim().to_string());
    Some(token)
}

/// Resolves the caller, if any. A bearer header that names no live token is an error, not an
/// anonymous request, so a client with a revoked token hears about it.
async fn resolve(parts: &Parts, state: &AppState) -> Result<Option<Caller>, ApiError> {
    if let Some(token) = bearer(parts) {
        let Some(token) = token else {
            return Err(ApiError::unauthenticated());
        };
        let account = state
            .run(move |app| app.accounts().token_account(&token))
            .await?;
        return match account {
            Some(account) => Ok(Some(Caller {
                account,
                via: Via::Token,
                session: None,
                waiting: 0,
                unread: 0,
                messages: 0,
            })),
            None => Err(ApiError::unauthenticated()),
        };
    }
    let Some(session) = cookies::get(&parts.headers, cookies::SESSION) else {
        return Ok(None);
    };
    let id = session.clone();
    let account = state
        .run(move |app| app.accounts().session_account(&id))
        .await?;
    Ok(account.map(|account| Caller {
        account,
        via: Via::Session,
        session: Some(session),
        waiting: 0,
        unread: 0,
        messages: 0,
    }))
}

/// Cookie-authenticated API calls that change state must carry the CSRF header.
fn check_api_csrf(parts: &Parts, caller: &Caller) -> Result<(), ApiError> {
    let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    if caller.via == Via::Session && !safe {
        let expected = parts.extensions.get::<CsrfToken>();
        let sent = parts
            .headers
            .get(csrf::HEADER)
            .and_then(|v| v.to_str().ok());
        if !expected.is_some_and(|e| csrf::matches(e, sent)) {
            return Err(ApiError::new(
                axum::http::StatusCode::FORBIDDEN,
                "csrf",
                "Missing CSRF token",
                "requests signed in by cookie must send the X-CSRF-Token header",
            ));
        }
    }
    Ok(())
}

/// An API caller who must be signed in.
pub struct ApiCaller(pub Caller);

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let caller = resolve(parts, state)
            .await?
            .ok_or_else(ApiError::unauthenticated)?;
        check_api_csrf(parts, &caller)?;
        Ok(ApiCaller(caller))
    }
}

impl OptionalFromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        match resolve(parts, state).await? {
            Some(caller) => {
                check_api_csrf(parts, &caller)?;
                Ok(Some(ApiCaller(caller)))
            }
            None => Ok(None),
        }
    }
}

/// The signed-in visitor of a page, with the counts the navigation shows beside "Home" and
/// "Inbox".
async fn page_caller(parts: &mut Parts, state: &AppState) -> Option<Caller> {
    let mut caller = resolve(parts, state).await.ok().flatten()?;
    let account = caller.account.clone();
    // A count that cannot be read is not worth failing the page for.
    (caller.waiting, caller.unread, caller.messages) = state
        .run(move |app| {
            Ok((
                app.profiles().waiting_count(&account)?,
                app.notifications().unread_count(&account)?,
                app.conversations().unread(&account)?,
            ))
        })
        .await
        .unwrap_or((0, 0, 0));
    Some(caller)
}

/// A page visitor who must be signed in; others are sent to the sign-in page.
pub struct PageCaller(pub Caller);

/// Sends the visitor to sign in, then back.
pub struct SignInRedirect(String);

impl IntoResponse for SignInRedirect {
    fn into_response(self) -> Response {
        Redirect::to(&format!("/signin?next={}", urlencode(&self.0))).into_response()
    }
}

/// Percent-encodes a path for a query value.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl FromRequestParts<AppState> for PageCaller {
    type Rejection = Response;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match page_caller(parts, state).await {
            Some(caller) => Ok(PageCaller(caller)),
            None => Err(SignInRedirect(parts.uri.path().to_string()).into_response()),
        }
    }
}

impl OptionalFromRequestParts<AppState> for PageCaller {
    type Rejection = Response;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(page_caller(parts, state).await.map(PageCaller))
    }
}
