//! Files over the API: a delivery's and a message's. Each file is uploaded first (the body is
//! the file itself) to the contract or the conversation, then named when delivering the
//! milestone (`POST /api/v1/contracts/{id}/milestones/{milestone}` with `action: submit`) or
//! sending the message (`POST /api/v1/conversations/{id}/messages` with `files`).

use super::extract::{ApiQuery, path_id};
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiResult, Problem};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use guildhall_app::files::StoredFile;
use serde::Deserialize;
use utoipa::IntoParams;

/// The body limit of an upload: the largest file, and room for nothing else.
pub const UPLOAD_BODY_LIMIT: usize = guildhall_app::files::MAX_FILE_BYTES + 1024;

/// A file's bytes, as the body of an upload or a download.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBytes(#[allow(dead_code)] Vec<u8>);

/// How an uploaded file is named.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file's name (1 to 200 characters; any folder in front is dropped).
    name: String,
}

/// Uploads a file to attach to a delivery (the contract's member, while it is active). The
/// body is the file, at most 10 MB; its type is read from its content: PDF, office documents,
/// images, ZIP or gzip archives, or UTF-8 text.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/files", operation_id = "upload_delivery_file", tag = "contracts", security(("bearer" = [])),
    params(("id" = String, Path, description = "Contract id"), UploadQuery),
    request_body(content = FileBytes, content_type = "application/octet-stream", description = "The file"),
    responses((status = 201, body = StoredFile), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn upload(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<UploadQuery>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<StoredFile>)> {
    let id = path_id(&id)?;
    let file = state
        .run(move |app| {
            app.work()
                .upload_delivery_file(&caller.account, &id, &q.name, body.to_vec())
        })
        .await?;
    Ok((StatusCode::CREATED, Json(file)))
}

/// Uploads a file to send with a message in the conversation (whoever may read it). The body
/// is the file, at most 10 MB, of the same types a delivery takes.
#[utoipa::path(post, path = "/api/v1/conversations/{id}/files", operation_id = "upload_message_file", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path, description = "Conversation id"), UploadQuery),
    request_body(content = FileBytes, content_type = "application/octet-stream", description = "The file"),
    responses((status = 201, body = StoredFile), (status = 401, body = Problem), (status = 404, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn upload_to_conversation(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<UploadQuery>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<StoredFile>)> {
    let id = path_id(&id)?;
    let file = state
        .run(move |app| {
            app.conversations()
                .upload_message_file(&caller.account, &id, &q.name, body.to_vec())
        })
        .await?;
    Ok((StatusCode::CREATED, Json(file)))
}

/// Downloads a file a message carries (whoever may read the conversation).
#[utoipa::path(get, path = "/api/v1/conversations/{id}/files/{file}", operation_id = "download_message_file", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path, description = "Conversation id"), ("file" = String, Path, description = "File id")),
    responses((status = 200, content_type = "application/octet-stream", body = FileBytes), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn download_from_conversation(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((id, file)): Path<(String, String)>,
) -> ApiResult<Response> {
    let (id, file) = (path_id(&id)?, path_id(&file)?);
    let (file, bytes) = state
        .run(move |app| {
            app.conversations()
                .message_file(&caller.account, &id, &file)
        })
        .await?;
    Ok(attachment(&file, bytes))
}

/// Downloads a delivered file (the contract's parties; operators once it was disputed).
#[utoipa::path(get, path = "/api/v1/contracts/{id}/files/{file}", operation_id = "download_delivery_file", tag = "contracts", security(("bearer" = [])),
    params(("id" = String, Path, description = "Contract id"), ("file" = String, Path, description = "File id")),
    responses((status = 200, content_type = "application/octet-stream", body = FileBytes), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn download(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((id, file)): Path<(String, String)>,
) -> ApiResult<Response> {
    let (id, file) = (path_id(&id)?, path_id(&file)?);
    let (file, bytes) = state
        .run(move |app| app.work().contract_file(&caller.account, &id, &file))
        .await?;
    Ok(attachment(&file, bytes))
}

/// A file as a download: its own type, never shown in the browser's page.
pub fn attachment(file: &StoredFile, bytes: Vec<u8>) -> Response {
    let ascii: String = file
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded =
        percent_encoding::utf8_percent_encode(&file.name, percent_encoding::NON_ALPHANUMERIC);
    (
        [
            (header::CONTENT_TYPE, file.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"),
            ),
        ],
        bytes,
    )
        .into_response()
}
