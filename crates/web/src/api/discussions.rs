//! Discussions over the API: threads, replies, moderation and reports.

use super::communities::slug;
use super::extract::{ApiJson, path_id};
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use guildhall_app::communities::discussions::{
    Mention, Moderation, Post, Report, Thread, ThreadInput,
};
use serde::Deserialize;
use utoipa::ToSchema;

/// A community's threads, pinned first (members).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/threads", tag = "discussions", security((), ("bearer" = [])),
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 200, body = Vec<Post>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn threads(
    State(state): State<AppState>,
    caller: Option<ApiCaller>,
    Path(raw): Path<String>,
) -> ApiResult<Json<Vec<Post>>> {
    let slug = slug(&raw)?;
    let who = caller.map(|ApiCaller(c)| c.account);
    Ok(Json(
        state
            .run(move |app| app.communities().threads(who.as_ref(), &slug))
            .await?,
    ))
}

/// Starts a thread; the body is Markdown, shown as sanitised HTML.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/threads", tag = "discussions", security(("bearer" = [])), request_body = ThreadInput,
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 201, body = Post), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn start(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<ThreadInput>,
) -> ApiResult<(StatusCode, Json<Post>)> {
    let slug = slug(&raw)?;
    let post = state
        .run(move |app| app.communities().start_thread(&caller.account, &slug, body))
        .await?;
    Ok((StatusCode::CREATED, Json(post)))
}

/// A thread with its replies (members).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/threads/{id}", tag = "discussions", security((), ("bearer" = [])),
    params(("slug" = String, Path, description = "Community slug"), ("id" = String, Path, description = "Thread id")),
    responses((status = 200, body = Thread), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn thread(
    State(state): State<AppState>,
    caller: Option<ApiCaller>,
    Path((raw, id)): Path<(String, String)>,
) -> ApiResult<Json<Thread>> {
    let (slug, id) = (slug(&raw)?, path_id(&id)?);
    let who = caller.map(|ApiCaller(c)| c.account);
    Ok(Json(
        state
            .run(move |app| app.communities().thread(who.as_ref(), &slug, &id))
            .await?,
    ))
}

/// A reply.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyBody {
    /// Markdown.
    body: String,
}

/// Replies to a thread that is not locked.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/threads/{id}/replies", tag = "discussions", security(("bearer" = [])), request_body = ReplyBody,
    params(("slug" = String, Path, description = "Community slug"), ("id" = String, Path, description = "Thread id")),
    responses((status = 201, body = Post), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn reply(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((raw, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<ReplyBody>,
) -> ApiResult<(StatusCode, Json<Post>)> {
    let (slug, id) = (slug(&raw)?, path_id(&id)?);
    let post = state
        .run(move |app| {
            app.communities()
                .reply(&caller.account, &slug, &id, &body.body)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(post)))
}

/// A curator's action on a post.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModerationBody {
    /// What to do.
    action: Moderation,
    /// Why (needed to hide).
    #[serde(default)]
    reason: String,
}

/// Pins, locks or hides a post (curators).
#[utoipa::path(post, path = "/api/v1/communities/{slug}/posts/{id}/moderation", tag = "discussions", security(("bearer" = [])), request_body = ModerationBody,
    params(("slug" = String, Path, description = "Community slug"), ("id" = String, Path, description = "Post id")),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn moderate(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((raw, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<ModerationBody>,
) -> ApiResult<StatusCode> {
    let (slug, id) = (slug(&raw)?, path_id(&id)?);
    state
        .run(move |app| {
            app.communities()
                .moderate_post(&caller.account, &slug, &id, body.action, &body.reason)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Why a post is reported.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportBody {
    /// The reason the curators read.
    reason: String,
}

/// Reports a post to the curators.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/posts/{id}/reports", tag = "discussions", security(("bearer" = [])), request_body = ReportBody,
    params(("slug" = String, Path, description = "Community slug"), ("id" = String, Path, description = "Post id")),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn report(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((raw, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<ReportBody>,
) -> ApiResult<StatusCode> {
    let (slug, id) = (slug(&raw)?, path_id(&id)?);
    state
        .run(move |app| {
            app.communities()
                .report_post(&caller.account, &slug, &id, &body.reason)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Open reports (curators).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/reports", tag = "discussions", security(("bearer" = [])),
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 200, body = Vec<Report>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn reports(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
) -> ApiResult<Json<Vec<Report>>> {
    let slug = slug(&raw)?;
    Ok(Json(
        state
            .run(move |app| app.communities().reports(&caller.account, &slug))
            .await?,
    ))
}

/// Posts that mention you, newest first, in communities you belong to.
#[utoipa::path(get, path = "/api/v1/me/mentions", tag = "discussions", security(("bearer" = [])),
    responses((status = 200, body = Vec<Mention>), (status = 401, body = Problem)))]
pub async fn mentions(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<Mention>>> {
    Ok(Json(
        state
            .run(move |app| app.communities().my_mentions(&caller.account))
            .await?,
    ))
}
