//! The full export over the API: ask for one, follow its progress, download the archive.

use super::extract::path_id;
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use guildhall_app::exports::Export;

/// Asks for an archive of everything the instance holds about you. It is prepared in the
/// background; follow its `progress`, then download it. While one is being prepared, asking
/// again answers that one.
#[utoipa::path(post, path = "/api/v1/me/exports", operation_id = "request_export", tag = "accounts", security(("bearer" = [])),
    responses((status = 202, body = Export), (status = 401, body = Problem)))]
pub async fn request(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<(StatusCode, Json<Export>)> {
    let export = state
        .run(move |app| app.accounts().request_export(&caller.account))
        .await?;
    Ok((StatusCode::ACCEPTED, Json(export)))
}

/// Your newest exports, newest first.
#[utoipa::path(get, path = "/api/v1/me/exports", operation_id = "list_exports", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = Vec<Export>), (status = 401, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<Export>>> {
    Ok(Json(
        state
            .run(move |app| app.accounts().exports(&caller.account))
            .await?,
    ))
}

/// One of your exports, with its progress.
#[utoipa::path(get, path = "/api/v1/me/exports/{id}", operation_id = "get_export", tag = "accounts", security(("bearer" = [])),
    params(("id" = String, Path, description = "The export's id")),
    responses((status = 200, body = Export), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn one(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
) -> ApiResult<Json<Export>> {
    let id = path_id(&raw)?;
    Ok(Json(
        state
            .run(move |app| app.accounts().export(&caller.account, &id))
            .await?,
    ))
}

/// The archive of one of your exports (a zip with a README), once it is ready; 409 before.
#[utoipa::path(get, path = "/api/v1/me/exports/{id}/archive", operation_id = "export_archive", tag = "accounts", security(("bearer" = [])),
    params(("id" = String, Path, description = "The export's id")),
    responses((status = 200, content_type = "application/zip", body = Vec<u8>), (status = 401, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn archive(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
) -> ApiResult<Response> {
    let id = path_id(&raw)?;
    let handle = caller.account.handle.clone();
    let bytes = state
        .run(move |app| app.accounts().export_archive(&caller.account, &id))
        .await?;
    Ok(zip_download(&handle, bytes))
}

/// An archive as a download named after its member.
pub fn zip_download(handle: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/zip".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"guildhall-{handle}.zip\""),
            ),
        ],
        bytes,
    )
        .into_response()
}
