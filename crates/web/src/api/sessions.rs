//! Where the caller is signed in: their browser sessions, ending one, signing out everywhere;
//! and two-factor sign-in.

use super::extract::ApiJson;
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use guildhall_app::accounts::{RevokeTokens, SecondFactorView, SessionView, SetUp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The caller's live browser sessions, newest first.
#[utoipa::path(get, path = "/api/v1/me/sessions", operation_id = "list_sessions", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = Vec<SessionView>)))]
pub async fn list(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<SessionView>>> {
    Ok(Json(
        state
            .run(move |app| {
                app.accounts()
                    .sessions(&caller.account, caller.session.as_deref())
            })
            .await?,
    ))
}

/// Signs one session out.
#[utoipa::path(delete, path = "/api/v1/me/sessions/{id}", operation_id = "end_session", tag = "accounts", security(("bearer" = [])),
    params(("id" = String, Path, description = "The session's id, as the list gives it")),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn end(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    state
        .run(move |app| app.accounts().end_session(&caller.account, &id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What signing out everywhere ends besides the sessions.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EverywhereBody {
    /// Revoke every API token too (the one making this call included).
    #[serde(default)]
    revoke_tokens: bool,
}

/// How many sessions ended.
#[derive(Serialize, ToSchema)]
pub struct Ended {
    /// Sessions signed out.
    sessions: usize,
}

/// Signs out every browser session but the calling one (all of them when called with a
/// token), and revokes the API tokens when asked.
#[utoipa::path(post, path = "/api/v1/me/sessions/sign-out-everywhere", operation_id = "sign_out_everywhere", tag = "accounts", security(("bearer" = [])), request_body = EverywhereBody,
    responses((status = 200, body = Ended)))]
pub async fn everywhere(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<EverywhereBody>,
) -> ApiResult<Json<Ended>> {
    let revoke = if body.revoke_tokens {
        RevokeTokens::Yes
    } else {
        RevokeTokens::No
    };
    let sessions = state
        .run(move |app| {
            app.accounts()
                .sign_out_everywhere(&caller.account, caller.session.as_deref(), revoke)
        })
        .await?;
    Ok(Json(Ended { sessions }))
}

/// Whether two-factor sign-in is on, with the recovery codes left.
#[utoipa::path(get, path = "/api/v1/me/second-factor", operation_id = "second_factor", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = SecondFactorView)))]
pub async fn second_factor(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<SecondFactorView>> {
    Ok(Json(
        state
            .run(move |app| app.accounts().second_factor(&caller.account))
            .await?,
    ))
}

/// Makes a new authenticator key (replacing one not turned on yet); a first code turns it on.
#[utoipa::path(post, path = "/api/v1/me/second-factor", operation_id = "start_second_factor", tag = "accounts", security(("bearer" = [])),
    responses((status = 201, body = SetUp), (status = 409, body = Problem)))]
pub async fn start_second_factor(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<(StatusCode, Json<SetUp>)> {
    let setup = state
        .run(move |app| app.accounts().start_second_factor(&caller.account))
        .await?;
    Ok((StatusCode::CREATED, Json(setup)))
}

/// A code from the authenticator app.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeBody {
    /// The six digits the app shows now.
    code: String,
}

/// The recovery codes, shown once.
#[derive(Serialize, ToSchema)]
pub struct RecoveryCodes {
    /// Each signs in once in place of a code from the app.
    recovery_codes: Vec<String>,
}

/// Turns two-factor sign-in on with a first code; answers the recovery codes, shown once.
#[utoipa::path(post, path = "/api/v1/me/second-factor/confirm", operation_id = "confirm_second_factor", tag = "accounts", security(("bearer" = [])), request_body = CodeBody,
    responses((status = 200, body = RecoveryCodes), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn confirm_second_factor(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<CodeBody>,
) -> ApiResult<Json<RecoveryCodes>> {
    let recovery_codes = state
        .run(move |app| {
            app.accounts()
                .confirm_second_factor(&caller.account, &body.code)
        })
        .await?;
    Ok(Json(RecoveryCodes { recovery_codes }))
}

/// The password, to turn two-factor sign-in off.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordCheck {
    /// The account's password.
    password: String,
}

/// Turns two-factor sign-in off.
#[utoipa::path(post, path = "/api/v1/me/second-factor/disable", operation_id = "disable_second_factor", tag = "accounts", security(("bearer" = [])), request_body = PasswordCheck,
    responses((status = 204), (status = 422, body = Problem)))]
pub async fn disable_second_factor(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<PasswordCheck>,
) -> ApiResult<StatusCode> {
    state
        .run(move |app| {
            app.accounts()
                .disable_second_factor(&caller.account, &body.password)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
