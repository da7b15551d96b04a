//! Sign-up, API sign-in, the caller's account, password changes and activity.

use super::extract::{ApiJson, ApiQuery, PageQuery};
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiResult, Problem};
use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use guildhall_app::accounts::{Account, AttemptOrigin, EraseAccount, Erased, RevokeTokens, SignUp};
use guildhall_app::events::FeedEvent;
use guildhall_app::tokens::CreatedToken;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use utoipa::ToSchema;

/// Sign-up details.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignUpBody {
    /// 3–30 of a-z, 0-9, `_`, `-`; starts with a letter.
    handle: String,
    /// Sign-in email address.
    email: String,
    /// At least 12 characters.
    password: String,
    /// Name to show; defaults to the handle.
    display_name: Option<String>,
    /// The token of an invitation to one of the instance's communities: needed when the
    /// instance takes new members by invitation only.
    invitation: Option<String>,
}

/// Creates an account, if the instance's policy lets this caller join (`403` otherwise).
#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts", request_body = SignUpBody,
    responses((status = 201, body = Account), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn sign_up(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<SignUpBody>,
) -> ApiResult<(StatusCode, Json<Account>)> {
    let input = SignUp {
        handle: body.handle,
        email: body.email,
        password: body.password,
        display_name: body.display_name,
    };
    let account = state
        .run(move |app| match body.invitation.as_deref() {
            Some(token) => app.accounts().sign_up_invited(input, token),
            None => app.accounts().sign_up(input),
        })
        .await?;
    Ok((StatusCode::CREATED, Json(account)))
}

/// Credentials exchanged for an API token.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// Handle or sign-in email.
    login: String,
    /// The account's password; a token is issued only when it matches.
    password: String,
    /// Name for the new token.
    name: String,
    /// For an account with two-factor sign-in: the code its authenticator app shows, or a
    /// recovery code.
    #[serde(default)]
    code: Option<String>,
}

/// The client's address, for sign-in throttling ("unknown" when served without one, as in
/// in-process tests).
pub struct ClientAddr(pub String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        let addr = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(a)| a.ip().to_string());
        Ok(ClientAddr(addr.unwrap_or_else(|| "unknown".into())))
    }
}

/// Signs in with a password and returns a new API token (shown once).
#[utoipa::path(post, path = "/api/v1/auth/token", tag = "accounts", request_body = TokenRequest,
    responses((status = 201, body = CreatedToken), (status = 401, body = Problem), (status = 403, body = Problem, description = "The account is suspended"), (status = 429, body = Problem)))]
pub async fn issue_token(
    State(state): State<AppState>,
    ClientAddr(address): ClientAddr,
    ApiJson(body): ApiJson<TokenRequest>,
) -> ApiResult<(StatusCode, Json<CreatedToken>)> {
    let origin = AttemptOrigin {
        address,
        device_token: None,
        ..AttemptOrigin::default()
    };
    let token = state
        .run(move |app| {
            app.accounts().issue_token(
                &body.login,
                &body.password,
                body.code.as_deref(),
                &body.name,
                &origin,
            )
        })
        .await?;
    Ok((StatusCode::CREATED, Json(token)))
}

/// The signed-in account.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = Account), (status = 401, body = Problem)))]
pub async fn me(ApiCaller(caller): ApiCaller) -> Json<Account> {
    Json(caller.account)
}

/// A password change.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordBody {
    /// The current password.
    current_password: String,
    /// The new password, at least 12 characters and not easy to guess.
    new_password: String,
    /// Also revoke every API token, this one included (default true).
    revoke_api_tokens: Option<bool>,
}

/// Changes the password and ends every other session; revokes every API token too, unless
/// `revoke_api_tokens` is false.
#[utoipa::path(put, path = "/api/v1/me/password", tag = "accounts", security(("bearer" = [])), request_body = PasswordBody,
    responses((status = 204), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn change_password(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<PasswordBody>,
) -> ApiResult<StatusCode> {
    state
        .run(move |app| {
            app.accounts().change_password(
                &caller.account,
                &body.current_password,
                &body.new_password,
                caller.session.as_deref(),
                if body.revoke_api_tokens == Some(false) {
                    RevokeTokens::No
                } else {
                    RevokeTokens::Yes
                },
            )
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What stands in the way of erasing the caller's account.
#[derive(Serialize, ToSchema)]
pub struct ErasureCheck {
    /// Each reason in words, such as money still held or a contract under way; empty when the
    /// account can be erased now.
    blockers: Vec<String>,
}

/// Whether the caller's account can be erased now, and if not, why.
#[utoipa::path(get, path = "/api/v1/me/erasure", operation_id = "erasure_check", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = ErasureCheck), (status = 401, body = Problem)))]
pub async fn erasure_check(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<ErasureCheck>> {
    let blockers = state
        .run(move |app| app.accounts().erasure_blockers(&caller.account))
        .await?;
    Ok(Json(ErasureCheck { blockers }))
}

/// Erases the caller's account, after its password: personal data goes; the evidence log, the
/// ledger and the other party's records of shared work stay valid. `409` while money is held
/// for the caller or a contract is under way, naming each reason.
#[utoipa::path(post, path = "/api/v1/me/erasure", operation_id = "erase_account", tag = "accounts", security(("bearer" = [])), request_body = EraseAccount,
    responses((status = 200, body = Erased), (status = 401, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn erase_account(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<EraseAccount>,
) -> ApiResult<Json<Erased>> {
    let erased = state
        .run(move |app| app.accounts().erase_account(&caller.account, &body))
        .await?;
    Ok(Json(erased))
}

/// A page of events.
#[derive(Serialize, ToSchema)]
pub struct EventPage {
    /// Events, newest first.
    items: Vec<FeedEvent>,
    /// Cursor of the next page.
    next_cursor: Option<String>,
}

/// The caller's own activity from the change feed, newest first.
#[utoipa::path(get, path = "/api/v1/me/events", tag = "accounts", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = EventPage), (status = 401, body = Problem)))]
pub async fn my_events(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<EventPage>> {
    let page = state
        .run(move |app| app.accounts().my_events(caller.account.id, &q.request()))
        .await?;
    Ok(Json(EventPage {
        items: page.items,
        next_cursor: page.next_cursor,
    }))
}
