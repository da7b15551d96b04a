//! JSON Resume over the API: the caller's profile as one audience or persona sees it, and a
//! résumé imported as private profile items.

use super::extract::{ApiJson, ApiQuery};
use super::profiles::{PreviewQuery, preview_as};
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use guildhall_app::resume::ResumeImport;
use guildhall_domain::resume::Origin;
use serde_json::Value;

/// Your profile as `as` sees it, as a JSON Resume document (schema 1.0.0): what that audience
/// or persona may not see is not in it.
#[utoipa::path(get, path = "/api/v1/me/resume", operation_id = "export_resume", tag = "profiles", security(("bearer" = [])), params(PreviewQuery),
    responses((status = 200, body = Object), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn export(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(q): ApiQuery<PreviewQuery>,
) -> ApiResult<Json<Value>> {
    let as_ = preview_as(&q.as_)?;
    Ok(Json(export_as(&state, caller.account, as_).await?))
}

/// The caller's profile as `as_` sees it, as a résumé: for the API and the profile page.
pub async fn export_as(
    state: &AppState,
    who: guildhall_app::accounts::Account,
    as_: guildhall_app::profiles::PreviewAs,
) -> Result<Value, guildhall_app::AppError> {
    let site = state.config.public_url.trim_end_matches('/').to_string();
    let name = state.config.instance.name.clone();
    state
        .run(move |app| {
            let profile_url = format!("{site}/u/{}", who.handle);
            let origin = Origin {
                profile_url: &profile_url,
                site_url: &site,
                site_name: &name,
            };
            app.profiles().export_resume(&who, &as_, &origin)
        })
        .await
}

/// Imports a JSON Resume document: each entry that fits a profile item is added, shown to
/// nobody but you until you choose its audiences; everything else is kept aside and listed.
#[utoipa::path(post, path = "/api/v1/me/resume", operation_id = "import_resume", tag = "profiles", security(("bearer" = [])),
    request_body(content = Object, description = "A JSON Resume document"),
    responses((status = 201, body = ResumeImport), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn import(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult<(StatusCode, Json<ResumeImport>)> {
    if !body.is_object() {
        return Err(ApiError::field(
            "",
            "send a JSON Resume document: a JSON object",
        ));
    }
    let done = state
        .run(move |app| app.profiles().import_resume(&caller.account, &body))
        .await?;
    Ok((StatusCode::CREATED, Json(done)))
}
