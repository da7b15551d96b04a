//! Jobs over the API: posting, browsing, proposals, invitations, referrals and offers.

use super::extract::{ApiJson, ApiQuery, path_id};
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use guildhall_app::work::jobs::{Job, JobInput, JobSearch, JobStatus, Proposal, ProposalInput};
use guildhall_app::work::{ContractView, MilestoneInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Which open jobs, and which page; every criterion given must hold.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct JobsQuery {
    /// Words that must each appear in the title or the details.
    q: Option<String>,
    /// A skill the job asks for, by its name or an alias.
    skill: Option<String>,
    /// The least the job may pay, a decimal amount of `currency` (per hour for hourly work, in
    /// all for a fixed price); needs `currency`.
    pays_at_least: Option<String>,
    /// The currency of `pays_at_least`; jobs in other currencies are left out.
    currency: Option<String>,
    /// Jobs starting on or after this date.
    starts_from: Option<String>,
    /// Jobs ending on or before this date.
    ends_by: Option<String>,
    /// `true`: only jobs that can be done remotely.
    remote: Option<bool>,
    /// Only the jobs of this community (its slug); you must belong to it.
    community: Option<String>,
    /// Continue after this cursor.
    cursor: Option<String>,
    /// Items per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<i64>,
}

/// A page of open jobs.
#[derive(Serialize, ToSchema)]
pub struct JobPage {
    /// Jobs, newest first.
    items: Vec<Job>,
    /// Cursor of the next page.
    next_cursor: Option<String>,
}

/// Open jobs you may see (public ones and those of your communities), newest first, searched
/// and filtered.
#[utoipa::path(get, path = "/api/v1/jobs", operation_id = "list_jobs", tag = "jobs", security(("bearer" = [])), params(JobsQuery),
    responses((status = 200, body = JobPage), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(q): ApiQuery<JobsQuery>,
) -> ApiResult<Json<JobPage>> {
    let page = guildhall_app::PageRequest {
        cursor: q.cursor,
        limit: q.limit,
    };
    let search = JobSearch {
        q: q.q,
        skill: q.skill,
        pays_at_least: q.pays_at_least,
        currency: q.currency,
        starts_from: q.starts_from,
        ends_by: q.ends_by,
        remote: q.remote,
        community: q.community,
        others_only: false,
    };
    let page = state
        .run(move |app| app.work().search_jobs(&caller.account, &search, &page))
        .await?;
    Ok(Json(JobPage {
        items: page.items,
        next_cursor: page.next_cursor,
    }))
}

/// Posts a job.
#[utoipa::path(post, path = "/api/v1/jobs", tag = "jobs", security(("bearer" = [])), request_body = JobInput,
    responses((status = 201, body = Job), (status = 422, body = Problem)))]
pub async fn post(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<JobInput>,
) -> ApiResult<(StatusCode, Json<Job>)> {
    let job = state
        .run(move |app| app.work().post_job(&caller.account, body))
        .await?;
    Ok((StatusCode::CREATED, Json(job)))
}

/// Jobs you posted.
#[utoipa::path(get, path = "/api/v1/me/jobs", operation_id = "my_jobs", tag = "jobs", security(("bearer" = [])),
    responses((status = 200, body = Vec<Job>), (status = 401, body = Problem)))]
pub async fn mine(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<Job>>> {
    Ok(Json(
        state
            .run(move |app| app.work().my_jobs(&caller.account))
            .await?,
    ))
}

/// A job with its proposals (all for its client, yours otherwise).
#[derive(Serialize, ToSchema)]
pub struct JobDetail {
    /// The job.
    job: Job,
    /// Proposals you may see.
    proposals: Vec<Proposal>,
}

/// One job.
#[utoipa::path(get, path = "/api/v1/jobs/{id}", operation_id = "get_job", tag = "jobs", security(("bearer" = [])),
    params(("id" = String, Path, description = "Job id")),
    responses((status = 200, body = JobDetail), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> ApiResult<Json<JobDetail>> {
    let id = path_id(&id)?;
    let (job, proposals) = state
        .run(move |app| app.work().job(&caller.account, &id))
        .await?;
    Ok(Json(JobDetail { job, proposals }))
}

/// A job's new state.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusBody {
    /// `open` (from draft) or `closed`.
    status: JobStatus,
}

/// Opens a draft or closes a job (its client).
#[utoipa::path(put, path = "/api/v1/jobs/{id}/status", tag = "jobs", security(("bearer" = [])), request_body = StatusBody,
    params(("id" = String, Path, description = "Job id")),
    responses((status = 200, body = Job), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn set_status(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<StatusBody>,
) -> ApiResult<Json<Job>> {
    let id = path_id(&id)?;
    Ok(Json(
        state
            .run(move |app| app.work().set_job_status(&caller.account, &id, body.status))
            .await?,
    ))
}

/// Proposes for a job (or answers an invitation to it).
#[utoipa::path(post, path = "/api/v1/jobs/{id}/proposals", tag = "jobs", security(("bearer" = [])), request_body = ProposalInput,
    params(("id" = String, Path, description = "Job id")),
    responses((status = 201, body = Proposal), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn propose(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ProposalInput>,
) -> ApiResult<(StatusCode, Json<Proposal>)> {
    let id = path_id(&id)?;
    let p = state
        .run(move |app| app.work().propose(&caller.account, &id, body))
        .await?;
    Ok((StatusCode::CREATED, Json(p)))
}

/// A member, with a note.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberBody {
    /// Their handle.
    handle: String,
    /// Why (referrals).
    #[serde(default)]
    note: String,
}

/// Invites a member to propose (the client, or a curator of the job's community).
#[utoipa::path(post, path = "/api/v1/jobs/{id}/invitations", operation_id = "invite_to_job", tag = "jobs", security(("bearer" = [])), request_body = MemberBody,
    params(("id" = String, Path, description = "Job id")),
    responses((status = 201, body = Proposal), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn invite(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MemberBody>,
) -> ApiResult<(StatusCode, Json<Proposal>)> {
    let id = path_id(&id)?;
    let p = state
        .run(move |app| app.work().invite_to_job(&caller.account, &id, &body.handle))
        .await?;
    Ok((StatusCode::CREATED, Json(p)))
}

/// Refers another member to a job; you are rewarded if they are hired.
#[utoipa::path(post, path = "/api/v1/jobs/{id}/referrals", tag = "jobs", security(("bearer" = [])), request_body = MemberBody,
    params(("id" = String, Path, description = "Job id")),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn refer(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MemberBody>,
) -> ApiResult<StatusCode> {
    let id = path_id(&id)?;
    state
        .run(move |app| {
            app.work()
                .refer(&caller.account, &id, &body.handle, &body.note)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The client's answer to a proposal.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    /// true to shortlist, false to decline.
    shortlist: bool,
}

/// Shortlists or declines a proposal (the client).
#[utoipa::path(put, path = "/api/v1/proposals/{id}/review", operation_id = "review_proposal", tag = "jobs", security(("bearer" = [])), request_body = ReviewBody,
    params(("id" = String, Path, description = "Proposal id")),
    responses((status = 200, body = Proposal), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn review(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReviewBody>,
) -> ApiResult<Json<Proposal>> {
    let id = path_id(&id)?;
    Ok(Json(
        state
            .run(move |app| {
                app.work()
                    .review_proposal(&caller.account, &id, body.shortlist)
            })
            .await?,
    ))
}

/// The milestones of an offer.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferBody {
    /// Milestones, in order.
    milestones: Vec<MilestoneInput>,
    /// Offers the work to a pair: this learner works beside the proposal's member, who
    /// mentors them, on the milestones marked `by_learner`.
    #[serde(default)]
    learner: Option<String>,
}

/// Offers a contract to the member of a proposal (the client).
#[utoipa::path(post, path = "/api/v1/proposals/{id}/offer", operation_id = "offer_contract_for_proposal", tag = "jobs", security(("bearer" = [])), request_body = OfferBody,
    params(("id" = String, Path, description = "Proposal id")),
    responses((status = 201, body = ContractView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn offer(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<OfferBody>,
) -> ApiResult<(StatusCode, Json<ContractView>)> {
    let id = path_id(&id)?;
    let k = state
        .run(move |app| {
            app.work()
                .offer_from_proposal(&caller.account, &id, body.milestones, body.learner)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(k)))
}
