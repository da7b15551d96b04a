//! Matching over the API: the members who fit a job, for its client, and the jobs that fit
//! a member.

use super::extract::{ApiQuery, path_id};
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use guildhall_app::matching::{Talent, TalentPair, WorkFit};
use serde::Deserialize;

/// How many to list.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TalentQuery {
    /// Members listed at most, 1 to 50 (20 when absent).
    limit: Option<usize>,
}

/// The members who fit the job best, for its client: ranked by skill coverage and level fit,
/// evidence and closeness in the network; only members of the job's community for a community
/// job; never a member over the budget (for hourly work), blocked, or suspended. Each says why,
/// naming only what its member shows the client. `404` for anyone but the job's client.
#[utoipa::path(get, path = "/api/v1/jobs/{id}/talent", operation_id = "find_talent", tag = "matching", security(("bearer" = [])),
    params(("id" = String, Path, description = "Job id"), TalentQuery),
    responses((status = 200, body = Vec<Talent>), (status = 401, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn talent(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<TalentQuery>,
) -> ApiResult<Json<Vec<Talent>>> {
    let id = path_id(&id)?;
    let limit = q.limit.unwrap_or(20);
    Ok(Json(
        state
            .run(move |app| app.matching().find_talent(&caller.account, &id, limit))
            .await?,
    ))
}

/// Pairs for the job, for its client: when no single member they may see meets every skill it
/// asks at the level asked, a senior member and a learner who do between them (none when one
/// member covers it). Ranked, filtered and explained as `find_talent` is; each member is in
/// one pair at most, and a learner never asks a higher rate than their senior shows. Offer the
/// work to a pair from the senior's proposal, naming the learner. `404` for anyone but the
/// job's client.
#[utoipa::path(get, path = "/api/v1/jobs/{id}/pairs", operation_id = "find_pairs", tag = "matching", security(("bearer" = [])),
    params(("id" = String, Path, description = "Job id"), TalentQuery),
    responses((status = 200, body = Vec<TalentPair>), (status = 401, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn pairs(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<TalentQuery>,
) -> ApiResult<Json<Vec<TalentPair>>> {
    let id = path_id(&id)?;
    let limit = q.limit.unwrap_or(5);
    Ok(Json(
        state
            .run(move |app| app.matching().find_pairs(&caller.account, &id, limit))
            .await?,
    ))
}

/// How many jobs to list.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ForYouQuery {
    /// Jobs listed at most, 1 to 50 (20 when absent).
    limit: Option<usize>,
}

/// The open jobs the caller may see that fit their skills best, each with what matches, what
/// is missing and their free hours in its dates. Their own jobs are left out, and so are
/// hourly jobs whose budget is below the rate they ask.
#[utoipa::path(get, path = "/api/v1/me/work-for-you", operation_id = "work_for_you", tag = "matching", security(("bearer" = [])),
    params(ForYouQuery),
    responses((status = 200, body = Vec<WorkFit>), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn for_you(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(q): ApiQuery<ForYouQuery>,
) -> ApiResult<Json<Vec<WorkFit>>> {
    let limit = q.limit.unwrap_or(20);
    Ok(Json(
        state
            .run(move |app| app.matching().work_for_you(&caller.account, limit))
            .await?,
    ))
}
