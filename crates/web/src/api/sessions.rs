//! Where the caller is signed in: their browser sessions, ending one, signing out everywhere.

use super::extract::ApiJson;
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use guildhall_app::accounts::{RevokeTokens, SessionView};
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
