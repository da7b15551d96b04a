//! Connections of the caller.

use super::extract::{ApiJson, ApiQuery, path_id};
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use guildhall_app::connections::{ConnectionFilter, ConnectionView};
use guildhall_domain::account::Handle;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Which connections, and which page.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ConnectionQuery {
    /// `accepted`, `pending`, or absent for both.
    #[param(pattern = "^(accepted|pending)$")]
    status: Option<String>,
    /// Continue after this cursor.
    cursor: Option<String>,
    /// Items per page, 1 to 100.
    #[param(minimum = 1, maximum = 100)]
    limit: Option<i64>,
}

/// A page of connections.
#[derive(Serialize, ToSchema)]
pub struct ConnectionPage {
    /// Connections and requests, newest first.
    items: Vec<ConnectionView>,
    /// Cursor of the next page.
    next_cursor: Option<String>,
}

/// The caller's connections and pending requests.
#[utoipa::path(get, path = "/api/v1/me/connections", operation_id = "list_connections", tag = "connections", security(("bearer" = [])), params(ConnectionQuery),
    responses((status = 200, body = ConnectionPage), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(q): ApiQuery<ConnectionQuery>,
) -> ApiResult<Json<ConnectionPage>> {
    let filter = match q.status.as_deref() {
        None => ConnectionFilter::All,
        Some("accepted") => ConnectionFilter::Accepted,
        Some("pending") => ConnectionFilter::Pending,
        Some(_) => return Err(ApiError::field("/status", "must be accepted or pending")),
    };
    let page = guildhall_app::PageRequest {
        cursor: q.cursor,
        limit: q.limit,
    };
    let page = state
        .run(move |app| {
            app.profiles()
                .list_connections(&caller.account, filter, &page)
        })
        .await?;
    Ok(Json(ConnectionPage {
        items: page.items,
        next_cursor: page.next_cursor,
    }))
}

/// Whom to ask.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConnectBody {
    /// The member's handle.
    handle: String,
}

/// Asks a member to connect (accepts their request if they already asked).
#[utoipa::path(post, path = "/api/v1/me/connections", operation_id = "request_connection", tag = "connections", security(("bearer" = [])), request_body = ConnectBody,
    responses((status = 201, body = ConnectionView), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn request(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<ConnectBody>,
) -> ApiResult<(StatusCode, Json<ConnectionView>)> {
    let handle = Handle::parse(&body.handle).map_err(|_| ApiError::not_found())?;
    let view = state
        .run(move |app| {
            app.profiles()
                .request_connection(&caller.account, handle.as_str())
        })
        .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Accepts a request made to the caller.
#[utoipa::path(post, path = "/api/v1/me/connections/{id}/accept", operation_id = "accept_connection", tag = "connections", security(("bearer" = [])),
    params(("id" = String, Path, description = "Connection id")),
    responses((status = 200, body = ConnectionView), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn accept(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> ApiResult<Json<ConnectionView>> {
    let id = path_id(&id)?;
    Ok(Json(
        state
            .run(move |app| app.profiles().accept_connection(&caller.account, &id))
            .await?,
    ))
}

/// Declines a request made to the caller.
#[utoipa::path(post, path = "/api/v1/me/connections/{id}/decline", operation_id = "decline_connection", tag = "connections", security(("bearer" = [])),
    params(("id" = String, Path, description = "Connection id")),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn decline(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = path_id(&id)?;
    state
        .run(move |app| app.profiles().decline_connection(&caller.account, &id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes a connection or withdraws a request.
#[utoipa::path(delete, path = "/api/v1/me/connections/{id}", operation_id = "remove_connection", tag = "connections", security(("bearer" = [])),
    params(("id" = String, Path, description = "Connection id")),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn remove(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = path_id(&id)?;
    state
        .run(move |app| app.profiles().remove_connection(&caller.account, &id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
