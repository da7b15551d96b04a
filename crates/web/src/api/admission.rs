//! Admission over the API: applications and their review, and invitation links.

use super::communities::slug;
use super::extract::{ApiJson, path_id};
use super::profiles::ProfileOut;
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use guildhall_app::communities::Community;
use guildhall_app::communities::admission::{
    Application, ApplicationInput, Decision, Invitation, InvitationInput, SkillBalance,
};
use serde::Serialize;
use utoipa::ToSchema;

/// Applies to join a community that admits by application.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/applications", tag = "admission", security(("bearer" = [])), request_body = ApplicationInput,
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 201, body = Application), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn apply(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<ApplicationInput>,
) -> ApiResult<(StatusCode, Json<Application>)> {
    let slug = slug(&raw)?;
    let created = state
        .run(move |app| {
            app.communities()
                .apply_to_community(&caller.account, &slug, body)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Your open application to a community.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/applications/mine", operation_id = "my_application", tag = "admission", security(("bearer" = [])),
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 200, body = Application), (status = 404, body = Problem)))]
pub async fn mine(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
) -> ApiResult<Json<Application>> {
    let slug = slug(&raw)?;
    let found = state
        .run(move |app| app.communities().my_application(&caller.account, &slug))
        .await?;
    found.map(Json).ok_or_else(ApiError::not_found)
}

/// Withdraws your open application.
#[utoipa::path(delete, path = "/api/v1/communities/{slug}/applications/mine", tag = "admission", security(("bearer" = [])),
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn withdraw(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
) -> ApiResult<StatusCode> {
    let slug = slug(&raw)?;
    state
        .run(move |app| {
            app.communities()
                .withdraw_application(&caller.account, &slug)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An application with what a curator needs to decide it.
#[derive(Serialize, ToSchema)]
pub struct ReviewOut {
    /// The application.
    application: Application,
    /// Applicant's handle.
    handle: String,
    /// What the applicant shows the community.
    profile: ProfileOut,
    /// The applicant's skills against the community's supply and open demand, scarcest first.
    skills: Vec<SkillBalance>,
}

/// Applications waiting for a decision, pending first (curators).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/applications", tag = "admission", security(("bearer" = [])),
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 200, body = Vec<ReviewOut>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn queue(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
) -> ApiResult<Json<Vec<ReviewOut>>> {
    let slug = slug(&raw)?;
    let reviews = state
        .run(move |app| {
            app.communities()
                .review_applications(&caller.account, &slug)
        })
        .await?;
    Ok(Json(
        reviews
            .into_iter()
            .map(|r| ReviewOut {
                application: r.application,
                handle: r.handle,
                profile: r.shown.into(),
                skills: r.skills,
            })
            .collect(),
    ))
}

/// Approves, declines (with a reason) or waitlists an application (curators).
#[utoipa::path(post, path = "/api/v1/communities/{slug}/applications/{id}/decision", operation_id = "decide_application", tag = "admission", security(("bearer" = [])), request_body = Decision,
    params(("slug" = String, Path, description = "Community slug"), ("id" = String, Path, description = "Application id")),
    responses((status = 200, body = Application), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn decide(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((raw, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<Decision>,
) -> ApiResult<Json<Application>> {
    let (slug, id) = (slug(&raw)?, path_id(&id)?);
    Ok(Json(
        state
            .run(move |app| {
                app.communities()
                    .decide_application(&caller.account, &slug, &id, body)
            })
            .await?,
    ))
}

/// Creates an invitation link; its secret `token` is in this answer only (curators).
#[utoipa::path(post, path = "/api/v1/communities/{slug}/invitations", operation_id = "invite_to_community", tag = "admission", security(("bearer" = [])), request_body = InvitationInput,
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 201, body = Invitation), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn invite(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<InvitationInput>,
) -> ApiResult<(StatusCode, Json<Invitation>)> {
    let slug = slug(&raw)?;
    let created = state
        .run(move |app| {
            app.communities()
                .create_invitation(&caller.account, &slug, body)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// A community's invitations (curators).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/invitations", tag = "admission", security(("bearer" = [])),
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 200, body = Vec<Invitation>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn invitations(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
) -> ApiResult<Json<Vec<Invitation>>> {
    let slug = slug(&raw)?;
    Ok(Json(
        state
            .run(move |app| app.communities().invitations(&caller.account, &slug))
            .await?,
    ))
}

/// Revokes an invitation (curators).
#[utoipa::path(delete, path = "/api/v1/communities/{slug}/invitations/{id}", operation_id = "revoke_invitation", tag = "admission", security(("bearer" = [])),
    params(("slug" = String, Path, description = "Community slug"), ("id" = String, Path, description = "Invitation id")),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn revoke(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((raw, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let (slug, id) = (slug(&raw)?, path_id(&id)?);
    state
        .run(move |app| {
            app.communities()
                .revoke_invitation(&caller.account, &slug, &id)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The community a live invitation link opens (anyone holding it).
#[utoipa::path(get, path = "/api/v1/invitations/{token}", operation_id = "preview_invitation", tag = "admission",
    params(("token" = String, Path, description = "The secret from the link")),
    responses((status = 200, body = Community), (status = 404, body = Problem)))]
pub async fn preview(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> ApiResult<Json<Community>> {
    Ok(Json(
        state
            .run(move |app| app.communities().invitation_community(&token))
            .await?,
    ))
}

/// Joins through an invitation link.
#[utoipa::path(post, path = "/api/v1/invitations/{token}/accept", operation_id = "accept_invitation", tag = "admission", security(("bearer" = [])),
    params(("token" = String, Path, description = "The secret from the link")),
    responses((status = 200, body = Community), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn accept(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(token): Path<String>,
) -> ApiResult<Json<Community>> {
    Ok(Json(
        state
            .run(move |app| app.communities().accept_invitation(&caller.account, &token))
            .await?,
    ))
}
