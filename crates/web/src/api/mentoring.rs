//! Mentoring and learning resources over the API.

use super::communities::slug;
use super::extract::{ApiJson, path_id};
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use guildhall_app::communities::learning::{Resource, ResourceInput};
use guildhall_app::communities::mentoring::{
    Mentorship, Offer, OfferInput, RequestInput, SessionInput,
};
use serde::Deserialize;
use utoipa::ToSchema;

/// Open mentoring offers (members).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/mentoring/offers", tag = "mentoring", security((), ("bearer" = [])),
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 200, body = Vec<Offer>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn offers(
    State(state): State<AppState>,
    caller: Option<ApiCaller>,
    Path(raw): Path<String>,
) -> ApiResult<Json<Vec<Offer>>> {
    let slug = slug(&raw)?;
    let who = caller.map(|ApiCaller(c)| c.account);
    Ok(Json(
        state
            .run(move |app| app.communities().mentoring_offers(who.as_ref(), &slug))
            .await?,
    ))
}

/// Offers mentoring in skills (mentors and staff).
#[utoipa::path(post, path = "/api/v1/communities/{slug}/mentoring/offers", operation_id = "offer_mentoring", tag = "mentoring", security(("bearer" = [])), request_body = OfferInput,
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 201, body = Offer), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn offer(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<OfferInput>,
) -> ApiResult<(StatusCode, Json<Offer>)> {
    let slug = slug(&raw)?;
    let created = state
        .run(move |app| {
            app.communities()
                .offer_mentoring(&caller.account, &slug, body)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Withdraws an offer (its mentor or staff).
#[utoipa::path(delete, path = "/api/v1/communities/{slug}/mentoring/offers/{id}", tag = "mentoring", security(("bearer" = [])),
    params(("slug" = String, Path, description = "Community slug"), ("id" = String, Path, description = "Offer id")),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn withdraw_offer(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((raw, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let (slug, id) = (slug(&raw)?, path_id(&id)?);
    state
        .run(move |app| {
            app.communities()
                .withdraw_offer(&caller.account, &slug, &id)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Your mentorships (all of them, for staff).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/mentoring/pairs", tag = "mentoring", security(("bearer" = [])),
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 200, body = Vec<Mentorship>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn pairs(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
) -> ApiResult<Json<Vec<Mentorship>>> {
    let slug = slug(&raw)?;
    Ok(Json(
        state
            .run(move |app| app.communities().mentorships(&caller.account, &slug))
            .await?,
    ))
}

/// Asks a mentor for mentoring, in sessions or on real work.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/mentoring/pairs", operation_id = "request_mentoring", tag = "mentoring", security(("bearer" = [])), request_body = RequestInput,
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 201, body = Mentorship), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn request(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<RequestInput>,
) -> ApiResult<(StatusCode, Json<Mentorship>)> {
    let slug = slug(&raw)?;
    let created = state
        .run(move |app| {
            app.communities()
                .request_mentoring(&caller.account, &slug, body)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// A mentor's or curator's answer to a request.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    /// true to accept, false to decline.
    accept: bool,
}

/// Accepts or declines a request (its mentor or a curator).
#[utoipa::path(post, path = "/api/v1/communities/{slug}/mentoring/pairs/{id}/decision", operation_id = "decide_mentoring_request", tag = "mentoring", security(("bearer" = [])), request_body = DecisionBody,
    params(("slug" = String, Path, description = "Community slug"), ("id" = String, Path, description = "Mentorship id")),
    responses((status = 200, body = Mentorship), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn decide(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((raw, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<DecisionBody>,
) -> ApiResult<Json<Mentorship>> {
    let (slug, id) = (slug(&raw)?, path_id(&id)?);
    Ok(Json(
        state
            .run(move |app| {
                app.communities()
                    .decide_mentorship(&caller.account, &slug, &id, body.accept)
            })
            .await?,
    ))
}

/// Records a session of an active pair (mentor or learner).
#[utoipa::path(post, path = "/api/v1/communities/{slug}/mentoring/pairs/{id}/sessions", tag = "mentoring", security(("bearer" = [])), request_body = SessionInput,
    params(("slug" = String, Path, description = "Community slug"), ("id" = String, Path, description = "Mentorship id")),
    responses((status = 201, body = Mentorship), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn record_session(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((raw, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<SessionInput>,
) -> ApiResult<(StatusCode, Json<Mentorship>)> {
    let (slug, id) = (slug(&raw)?, path_id(&id)?);
    let pair = state
        .run(move |app| {
            app.communities()
                .record_session(&caller.account, &slug, &id, body)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(pair)))
}

/// Confirms a session the other partner recorded, which makes it evidence of mentoring (at
/// most one confirmed session a day for a pair).
#[utoipa::path(post, path = "/api/v1/communities/{slug}/mentoring/pairs/{id}/sessions/{session}/confirm", tag = "mentoring", security(("bearer" = [])),
    params(("slug" = String, Path, description = "Community slug"), ("id" = String, Path, description = "Mentorship id"),
        ("session" = String, Path, description = "Session id")),
    responses((status = 200, body = Mentorship), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn confirm_session(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((raw, id, session)): Path<(String, String, String)>,
) -> ApiResult<Json<Mentorship>> {
    let (slug, id, session) = (slug(&raw)?, path_id(&id)?, path_id(&session)?);
    Ok(Json(
        state
            .run(move |app| {
                app.communities()
                    .confirm_session(&caller.account, &slug, &id, &session)
            })
            .await?,
    ))
}

/// The learning catalogue with completions (members).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/resources", tag = "learning", security((), ("bearer" = [])),
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 200, body = Vec<Resource>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn resources(
    State(state): State<AppState>,
    caller: Option<ApiCaller>,
    Path(raw): Path<String>,
) -> ApiResult<Json<Vec<Resource>>> {
    let slug = slug(&raw)?;
    let who = caller.map(|ApiCaller(c)| c.account);
    Ok(Json(
        state
            .run(move |app| app.communities().resources(who.as_ref(), &slug))
            .await?,
    ))
}

/// Adds a resource to the catalogue (curators).
#[utoipa::path(post, path = "/api/v1/communities/{slug}/resources", tag = "learning", security(("bearer" = [])), request_body = ResourceInput,
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 201, body = Resource), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_resource(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<ResourceInput>,
) -> ApiResult<(StatusCode, Json<Resource>)> {
    let slug = slug(&raw)?;
    let created = state
        .run(move |app| app.communities().add_resource(&caller.account, &slug, body))
        .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Takes a resource out of the catalogue (curators).
#[utoipa::path(delete, path = "/api/v1/communities/{slug}/resources/{id}", tag = "learning", security(("bearer" = [])),
    params(("slug" = String, Path, description = "Community slug"), ("id" = String, Path, description = "Resource id")),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn remove_resource(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((raw, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let (slug, id) = (slug(&raw)?, path_id(&id)?);
    state
        .run(move |app| {
            app.communities()
                .remove_resource(&caller.account, &slug, &id)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// When a resource was completed.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompletionBody {
    /// `YYYY-MM-DD`, not in the future.
    completed_on: String,
}

/// Marks a resource completed.
#[utoipa::path(put, path = "/api/v1/communities/{slug}/resources/{id}/completion", tag = "learning", security(("bearer" = [])), request_body = CompletionBody,
    params(("slug" = String, Path, description = "Community slug"), ("id" = String, Path, description = "Resource id")),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn complete(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((raw, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<CompletionBody>,
) -> ApiResult<StatusCode> {
    let (slug, id) = (slug(&raw)?, path_id(&id)?);
    state
        .run(move |app| {
            app.communities()
                .complete_resource(&caller.account, &slug, &id, &body.completed_on)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
