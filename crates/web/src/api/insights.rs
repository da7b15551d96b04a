//! Insights over the API: a member's skills gap for a job, a saved search or an occupation,
//! the occupations one may aim at, and a community's gaps for its curators.

use super::communities::slug;
use super::extract::{ApiQuery, path_id};
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use guildhall_app::insights::{
    CommunityGaps, GapReport, LearningPath, Liquidity, OccupationRef, RateMap, RateQuery,
};

/// The occupations a member may aim at: ESCO's ICT occupations, by label.
#[utoipa::path(get, path = "/api/v1/occupations", operation_id = "occupations", tag = "insights", security(("bearer" = [])),
    responses((status = 200, body = Vec<OccupationRef>), (status = 401, body = Problem)))]
pub async fn occupations(
    State(state): State<AppState>,
    ApiCaller(_caller): ApiCaller,
) -> ApiResult<Json<Vec<OccupationRef>>> {
    Ok(Json(
        state
            .run(|_| guildhall_app::insights::occupations())
            .await?,
    ))
}

/// The caller's skills gap for a job they may see: each skill asked that they lack or hold
/// below the level asked, weightiest first, with the learning resources and mentors of their
/// communities that cover it, members who closed the same gap (among those who show it to
/// the caller), and open jobs closing it would bring in reach.
#[utoipa::path(get, path = "/api/v1/jobs/{id}/gap", operation_id = "job_gap", tag = "insights", security(("bearer" = [])),
    params(("id" = String, Path, description = "Job id")),
    responses((status = 200, body = GapReport), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn job_gap(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> ApiResult<Json<GapReport>> {
    let id = path_id(&id)?;
    Ok(Json(
        state
            .run(move |app| app.insights().job_gap(&caller.account, &id))
            .await?,
    ))
}

/// The caller's skills gap for one of their saved talent searches.
#[utoipa::path(get, path = "/api/v1/me/saved-searches/{id}/gap", operation_id = "search_gap", tag = "insights", security(("bearer" = [])),
    params(("id" = String, Path, description = "Saved search id")),
    responses((status = 200, body = GapReport), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn search_gap(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> ApiResult<Json<GapReport>> {
    let id = path_id(&id)?;
    Ok(Json(
        state
            .run(move |app| app.insights().search_gap(&caller.account, &id))
            .await?,
    ))
}

/// The caller's skills gap for an occupation (its skills asked at level 3, weight 3 each).
#[utoipa::path(get, path = "/api/v1/occupations/{id}/gap", operation_id = "occupation_gap", tag = "insights", security(("bearer" = [])),
    params(("id" = String, Path, description = "Occupation id, as listed")),
    responses((status = 200, body = GapReport), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn occupation_gap(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> ApiResult<Json<GapReport>> {
    let id = path_id(&id)?;
    Ok(Json(
        state
            .run(move |app| app.insights().occupation_gap(&caller.account, &id))
            .await?,
    ))
}

/// A community's gaps as a whole, for its owners and curators: the skills its open jobs ask
/// for against the members who show them to the community. Counts of fewer than five
/// members are left out.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/gaps", operation_id = "community_gaps", tag = "insights", security(("bearer" = [])),
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 200, body = CommunityGaps), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn community_gaps(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
) -> ApiResult<Json<CommunityGaps>> {
    let slug = slug(&raw)?;
    Ok(Json(
        state
            .run(move |app| app.insights().community_gaps(&caller.account, &slug))
            .await?,
    ))
}

/// A community's liquidity for its owners and curators: per skill, the open hours of its jobs
/// over the next four weeks against the free hours of the members who show the skill to it,
/// from the newest daily snapshot, with the most demanded skills' balance over 90 days.
/// Supply made by fewer than five members is left out.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/liquidity", operation_id = "community_liquidity", tag = "insights", security(("bearer" = [])),
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 200, body = Liquidity), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn community_liquidity(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
) -> ApiResult<Json<Liquidity>> {
    let slug = slug(&raw)?;
    Ok(Json(
        state
            .run(move |app| app.insights().community_liquidity(&caller.account, &slug))
            .await?,
    ))
}

/// The liquidity of the skills the caller shows: over the whole instance first (demand made
/// by fewer than five jobs left out), then in each of their communities.
#[utoipa::path(get, path = "/api/v1/me/liquidity", operation_id = "my_liquidity", tag = "insights", security(("bearer" = [])),
    responses((status = 200, body = Vec<Liquidity>), (status = 401, body = Problem)))]
pub async fn my_liquidity(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<Liquidity>>> {
    Ok(Json(
        state
            .run(move |app| app.insights().my_liquidity(&caller.account))
            .await?,
    ))
}

/// The heat map of rates: per skill and length of work, the median hourly rate of the jobs the
/// caller may see (public and their communities') and of the contracts made from them, with
/// the middle half; cells made by fewer than five people are null. Filtered by community,
/// period, pricing and occupation, in one currency (the most common when not named). With an
/// occupation, the US wage percentiles of the matching SOC occupation are given beside.
#[utoipa::path(get, path = "/api/v1/insights/rates", operation_id = "rate_map", tag = "insights", security(("bearer" = [])),
    params(RateQuery),
    responses((status = 200, body = RateMap), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn rates(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(q): ApiQuery<RateQuery>,
) -> ApiResult<Json<RateMap>> {
    Ok(Json(
        state
            .run(move |app| app.insights().rate_map(&caller.account, &q))
            .await?,
    ))
}

/// The common paths members took to a skill: the last steps (resources completed, mentoring
/// received, other skills first shown, contracts completed) in the year before their first
/// evidence of it, each with how many members followed it and how long it typically took.
/// Only paths five or more members followed are given, and never who.
#[utoipa::path(get, path = "/api/v1/skills/{id}/paths", operation_id = "learning_paths", tag = "insights", security(("bearer" = [])),
    params(("id" = String, Path, description = "Skill id")),
    responses((status = 200, body = Vec<LearningPath>), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn paths(
    State(state): State<AppState>,
    ApiCaller(_caller): ApiCaller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<LearningPath>>> {
    let id = path_id(&id)?;
    Ok(Json(
        state
            .run(move |app| app.insights().learning_paths(&id))
            .await?,
    ))
}
