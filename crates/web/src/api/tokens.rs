//! API tokens of the caller.

use super::extract::{ApiJson, ApiQuery, PageQuery, path_id};
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use guildhall_app::tokens::{CreatedToken, TokenInfo};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A page of tokens.
#[derive(Serialize, ToSchema)]
pub struct TokenPage {
    /// Tokens, newest first.
    items: Vec<TokenInfo>,
    /// Cursor of the next page.
    next_cursor: Option<String>,
}

/// Lists the caller's tokens (never their secrets).
#[utoipa::path(get, path = "/api/v1/me/tokens", operation_id = "list_tokens", tag = "tokens", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = TokenPage), (status = 401, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<TokenPage>> {
    let page = state
        .run(move |app| app.accounts().list_tokens(&caller.account, &q.request()))
        .await?;
    Ok(Json(TokenPage {
        items: page.items,
        next_cursor: page.next_cursor,
    }))
}

/// A new token's name.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// What the token is for.
    name: String,
}

/// Creates a token; the secret is in this response only.
#[utoipa::path(post, path = "/api/v1/me/tokens", operation_id = "create_token", tag = "tokens", security(("bearer" = [])), request_body = NewToken,
    responses((status = 201, body = CreatedToken), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<NewToken>,
) -> ApiResult<(StatusCode, Json<CreatedToken>)> {
    let token = state
        .run(move |app| app.accounts().create_token(&caller.account, &body.name))
        .await?;
    Ok((StatusCode::CREATED, Json(token)))
}

/// Revokes a token.
#[utoipa::path(delete, path = "/api/v1/me/tokens/{id}", operation_id = "revoke_token", tag = "tokens", security(("bearer" = [])),
    params(("id" = String, Path, description = "Token id")),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn revoke(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = path_id(&id)?;
    state
        .run(move |app| app.accounts().revoke_token(&caller.account, &id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
