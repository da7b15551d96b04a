//! The operators' tools outside money: which communities' curation they trust.

use super::extract::ApiJson;
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use guildhall_app::operators::VettingRow;
use guildhall_app::policy::Policy;
use serde::Deserialize;
use utoipa::ToSchema;

/// Whether the operators trust a community's curation.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VettedBody {
    /// True to make its owners and curators seeds of trust; false to stop.
    vetted: bool,
}

/// Every community with whether it is vetted (operators).
#[utoipa::path(get, path = "/api/v1/admin/communities", tag = "operators", security(("bearer" = [])),
    responses((status = 200, body = Vec<VettingRow>), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn communities(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<VettingRow>>> {
    Ok(Json(
        state
            .run(move |app| app.instance().vetting_list(&caller.account))
            .await?,
    ))
}

/// Marks a community as vetted, or not (operators). The owners and curators of vetted
/// communities, with the operators, are where trust starts.
#[utoipa::path(put, path = "/api/v1/admin/communities/{slug}/vetted", tag = "operators", security(("bearer" = [])),
    request_body = VettedBody,
    params(("slug" = String, Path, description = "Community address")),
    responses((status = 200, body = VettingRow), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn set_vetted(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<VettedBody>,
) -> ApiResult<Json<VettingRow>> {
    Ok(Json(
        state
            .run(move |app| {
                app.instance()
                    .set_vetted(&caller.account, &slug, body.vetted)
            })
            .await?,
    ))
}

/// Who may join, and the API's rate limits (operators).
#[utoipa::path(get, path = "/api/v1/admin/policy", tag = "operators", security(("bearer" = [])),
    responses((status = 200, body = Policy), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn policy(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Policy>> {
    Ok(Json(
        state
            .run(move |app| {
                caller
                    .account
                    .require_operator("read the instance's policy")?;
                app.instance().policy()
            })
            .await?,
    ))
}

/// Changes who may join and the API's rate limits (operators). Every node follows within
/// seconds.
#[utoipa::path(put, path = "/api/v1/admin/policy", tag = "operators", security(("bearer" = [])),
    request_body = Policy,
    responses((status = 200, body = Policy), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
pub async fn set_policy(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<Policy>,
) -> ApiResult<Json<Policy>> {
    Ok(Json(
        state
            .run(move |app| app.instance().set_policy(&caller.account, body))
            .await?,
    ))
}
