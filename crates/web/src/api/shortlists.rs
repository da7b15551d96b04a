//! A curator's shortlist for a client's job, and the talent searches a client keeps, over the
//! API.

use super::extract::{ApiJson, ApiQuery, path_id};
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use guildhall_app::matching::{SavedSearch, SearchInput, ShortlistEntry, ShortlistInput, Talent};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A job's shortlist: all of it for the job's client, the entries of their communities for
/// curators. `404` for anyone else.
#[utoipa::path(get, path = "/api/v1/jobs/{id}/shortlist", operation_id = "shortlist", tag = "matching", security(("bearer" = [])),
    params(("id" = String, Path, description = "Job id")),
    responses((status = 200, body = Vec<ShortlistEntry>), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<ShortlistEntry>>> {
    let id = path_id(&id)?;
    Ok(Json(
        state
            .run(move |app| app.matching().shortlist(&caller.account, &id))
            .await?,
    ))
}

/// Puts a member of the curator's community forward for an open job, with a note for the
/// client, who is told. Curators and owners of the community only (`403` for its other
/// members); the member must belong to it and not block the client, or be blocked (`422`);
/// `409` when they are on the shortlist already or the job is no longer open.
#[utoipa::path(post, path = "/api/v1/jobs/{id}/shortlist", operation_id = "add_to_shortlist", tag = "matching", security(("bearer" = [])),
    params(("id" = String, Path, description = "Job id")), request_body = ShortlistInput,
    responses((status = 201, body = ShortlistEntry), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ShortlistInput>,
) -> ApiResult<(StatusCode, Json<ShortlistEntry>)> {
    let id = path_id(&id)?;
    let entry = state
        .run(move |app| app.matching().add_to_shortlist(&caller.account, &id, body))
        .await?;
    Ok((StatusCode::CREATED, Json(entry)))
}

/// Takes a member off a job's shortlist: the job's client, or staff of the community that put
/// them forward.
#[utoipa::path(delete, path = "/api/v1/jobs/{id}/shortlist/{entry}", operation_id = "remove_from_shortlist", tag = "matching", security(("bearer" = [])),
    params(("id" = String, Path, description = "Job id"), ("entry" = String, Path, description = "Shortlist entry id")),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn remove(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((id, entry)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let (id, entry) = (path_id(&id)?, path_id(&entry)?);
    state
        .run(move |app| {
            app.matching()
                .remove_from_shortlist(&caller.account, &id, &entry)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Whose members to rank.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CandidatesQuery {
    /// The community whose members to rank (its slug); you must curate it.
    community: String,
    /// Members listed at most, 1 to 50 (20 when absent).
    limit: Option<usize>,
}

/// The members of a community who fit a job best, as its curator sees them, to choose whom
/// to put forward: ranked and explained as Find talent ranks them. Curators and owners only.
#[utoipa::path(get, path = "/api/v1/jobs/{id}/candidates", operation_id = "shortlist_candidates", tag = "matching", security(("bearer" = [])),
    params(("id" = String, Path, description = "Job id"), CandidatesQuery),
    responses((status = 200, body = Vec<Talent>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn candidates(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<CandidatesQuery>,
) -> ApiResult<Json<Vec<Talent>>> {
    let id = path_id(&id)?;
    let limit = q.limit.unwrap_or(20);
    Ok(Json(
        state
            .run(move |app| {
                app.matching()
                    .shortlist_candidates(&caller.account, &id, &q.community, limit)
            })
            .await?,
    ))
}

/// Your saved talent searches, newest first.
#[utoipa::path(get, path = "/api/v1/me/saved-searches", operation_id = "saved_searches", tag = "matching", security(("bearer" = [])),
    responses((status = 200, body = Vec<SavedSearch>), (status = 401, body = Problem)))]
pub async fn searches(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<SavedSearch>>> {
    Ok(Json(
        state
            .run(move |app| app.matching().saved_searches(&caller.account))
            .await?,
    ))
}

/// Keeps a talent search without posting a job. Each skill must be one the instance knows
/// (`422` naming it otherwise); the community one you belong to; `409` past 50 searches.
#[utoipa::path(post, path = "/api/v1/me/saved-searches", operation_id = "save_search", tag = "matching", security(("bearer" = [])),
    request_body = SearchInput,
    responses((status = 201, body = SavedSearch), (status = 401, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn save(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<SearchInput>,
) -> ApiResult<(StatusCode, Json<SavedSearch>)> {
    let saved = state
        .run(move |app| app.matching().save_search(&caller.account, body))
        .await?;
    Ok((StatusCode::CREATED, Json(saved)))
}

/// Deletes one of your saved searches.
#[utoipa::path(delete, path = "/api/v1/me/saved-searches/{id}", operation_id = "delete_search", tag = "matching", security(("bearer" = [])),
    params(("id" = String, Path, description = "Saved search id")),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn delete(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = path_id(&id)?;
    state
        .run(move |app| app.matching().delete_search(&caller.account, &id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A saved search and the members who fit it now.
#[derive(Serialize, ToSchema)]
pub struct SearchResults {
    /// The search.
    search: SavedSearch,
    /// The members who fit it best, ranked and explained.
    talent: Vec<Talent>,
}

/// How many to list.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ResultsQuery {
    /// Members listed at most, 1 to 50 (20 when absent).
    limit: Option<usize>,
}

/// Runs one of your saved searches: the members who fit it best, as Find talent ranks them
/// for a job.
#[utoipa::path(get, path = "/api/v1/me/saved-searches/{id}/talent", operation_id = "run_search", tag = "matching", security(("bearer" = [])),
    params(("id" = String, Path, description = "Saved search id"), ResultsQuery),
    responses((status = 200, body = SearchResults), (status = 401, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn run(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<ResultsQuery>,
) -> ApiResult<Json<SearchResults>> {
    let id = path_id(&id)?;
    let limit = q.limit.unwrap_or(20);
    let (search, talent) = state
        .run(move |app| app.matching().run_search(&caller.account, &id, limit))
        .await?;
    Ok(Json(SearchResults { search, talent }))
}
