//! Member ownership over the API: a community's revenue share, members' points and statements,
//! and perks.

use super::communities::slug;
use super::extract::{ApiJson, path_id};
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use guildhall_app::communities::ownership::{Ownership, RevenueShare, RevenueShareInput};
use guildhall_app::communities::perks::{Perk, PerkInput};

/// Your points in the community, how they are earned, its revenue share and what its
/// distributions paid you (members).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/ownership", tag = "ownership", security(("bearer" = [])),
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 200, body = Ownership), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn ownership(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
) -> ApiResult<Json<Ownership>> {
    let slug = slug(&raw)?;
    Ok(Json(
        state
            .run(move |app| app.communities().ownership(&caller.account, &slug))
            .await?,
    ))
}

/// Sets the part of the community's share of every release its members share out, and the
/// period (owners). The first setting starts the first period.
#[utoipa::path(put, path = "/api/v1/communities/{slug}/revenue-share", tag = "ownership", security(("bearer" = [])), request_body = RevenueShareInput,
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 200, body = RevenueShare), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn set_revenue_share(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<RevenueShareInput>,
) -> ApiResult<Json<RevenueShare>> {
    let slug = slug(&raw)?;
    Ok(Json(
        state
            .run(move |app| {
                app.communities()
                    .set_revenue_share(&caller.account, &slug, &body)
            })
            .await?,
    ))
}

/// The community's perks, with whether you qualify (members).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/perks", tag = "ownership", security(("bearer" = [])),
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 200, body = Vec<Perk>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn perks(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
) -> ApiResult<Json<Vec<Perk>>> {
    let slug = slug(&raw)?;
    Ok(Json(
        state
            .run(move |app| app.communities().perks(&caller.account, &slug))
            .await?,
    ))
}

/// Lists a perk (curators).
#[utoipa::path(post, path = "/api/v1/communities/{slug}/perks", operation_id = "add_perk", tag = "ownership", security(("bearer" = [])), request_body = PerkInput,
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 201, body = Perk), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_perk(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<PerkInput>,
) -> ApiResult<(StatusCode, Json<Perk>)> {
    let slug = slug(&raw)?;
    let created = state
        .run(move |app| app.communities().add_perk(&caller.account, &slug, &body))
        .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Takes a perk off the list (curators).
#[utoipa::path(delete, path = "/api/v1/communities/{slug}/perks/{id}", operation_id = "remove_perk", tag = "ownership", security(("bearer" = [])),
    params(("slug" = String, Path, description = "Community slug"), ("id" = String, Path, description = "Perk id")),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn remove_perk(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((raw, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let (slug, id) = (slug(&raw)?, path_id(&id)?);
    state
        .run(move |app| app.communities().remove_perk(&caller.account, &slug, &id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
