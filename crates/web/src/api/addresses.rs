//! The caller's addresses over the API: listing, adding (a link to verify is mailed), making
//! one the account's, removing one.

use super::extract::ApiJson;
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use guildhall_app::accounts::AddressView;
use serde::Deserialize;
use utoipa::ToSchema;

/// The caller's addresses: the account's first.
#[utoipa::path(get, path = "/api/v1/me/emails", operation_id = "list_emails", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = Vec<AddressView>)))]
pub async fn list(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<AddressView>>> {
    Ok(Json(
        state
            .run(move |app| app.accounts().addresses(&caller.account))
            .await?,
    ))
}

/// One address.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressBody {
    /// The address.
    email: String,
}

/// Adds an address and mails it a link to verify it (again, for one not verified yet).
#[utoipa::path(post, path = "/api/v1/me/emails", operation_id = "add_email", tag = "accounts", security(("bearer" = [])), request_body = AddressBody,
    responses((status = 202, description = "The link is on its way"), (status = 409, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn add(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<AddressBody>,
) -> ApiResult<StatusCode> {
    state
        .run(move |app| app.accounts().add_address(&caller.account, &body.email))
        .await?;
    Ok(StatusCode::ACCEPTED)
}

/// Makes a verified address the account's; the address it replaces is told by mail.
#[utoipa::path(post, path = "/api/v1/me/emails/primary", operation_id = "make_email_primary", tag = "accounts", security(("bearer" = [])), request_body = AddressBody,
    responses((status = 204), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn make_primary(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<AddressBody>,
) -> ApiResult<StatusCode> {
    state
        .run(move |app| app.accounts().make_primary(&caller.account, &body.email))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes one of the other addresses; a verified one is told by mail.
#[utoipa::path(post, path = "/api/v1/me/emails/remove", operation_id = "remove_email", tag = "accounts", security(("bearer" = [])), request_body = AddressBody,
    responses((status = 204), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn remove(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<AddressBody>,
) -> ApiResult<StatusCode> {
    state
        .run(move |app| app.accounts().remove_address(&caller.account, &body.email))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
