//! Community events over the API: creating and editing, RSVPs, and iCalendar files.

use super::communities::slug;
use super::extract::{ApiJson, path_id};
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use guildhall_app::communities::gatherings::{EventInput, EventView};
use serde::Deserialize;
use utoipa::ToSchema;

/// Upcoming events (members).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/events", operation_id = "list_events", tag = "events", security((), ("bearer" = [])),
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 200, body = Vec<EventView>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Option<ApiCaller>,
    Path(raw): Path<String>,
) -> ApiResult<Json<Vec<EventView>>> {
    let slug = slug(&raw)?;
    let who = caller.map(|ApiCaller(c)| c.account);
    Ok(Json(
        state
            .run(move |app| app.communities().events(who.as_ref(), &slug))
            .await?,
    ))
}

/// Creates an event (curators). Times are local to `timezone`.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/events", operation_id = "create_event", tag = "events", security(("bearer" = [])), request_body = EventInput,
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 201, body = EventView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<EventInput>,
) -> ApiResult<(StatusCode, Json<EventView>)> {
    let slug = slug(&raw)?;
    let event = state
        .run(move |app| app.communities().create_event(&caller.account, &slug, body))
        .await?;
    Ok((StatusCode::CREATED, Json(event)))
}

/// An event's new details.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventUpdate {
    /// The details.
    event: EventInput,
    /// Whether it is cancelled.
    #[serde(default)]
    cancelled: bool,
}

/// Changes or cancels an event (curators).
#[utoipa::path(put, path = "/api/v1/communities/{slug}/events/{id}", operation_id = "update_event", tag = "events", security(("bearer" = [])), request_body = EventUpdate,
    params(("slug" = String, Path, description = "Community slug"), ("id" = String, Path, description = "Event id")),
    responses((status = 200, body = EventView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((raw, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<EventUpdate>,
) -> ApiResult<Json<EventView>> {
    let (slug, id) = (slug(&raw)?, path_id(&id)?);
    Ok(Json(
        state
            .run(move |app| {
                app.communities().update_event(
                    &caller.account,
                    &slug,
                    &id,
                    body.event,
                    body.cancelled,
                )
            })
            .await?,
    ))
}

/// An RSVP.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RsvpBody {
    /// true to go (or wait for a place), false to give up your place.
    going: bool,
}

/// Answers an event; when it is full you join the waitlist.
#[utoipa::path(put, path = "/api/v1/communities/{slug}/events/{id}/rsvp", tag = "events", security(("bearer" = [])), request_body = RsvpBody,
    params(("slug" = String, Path, description = "Community slug"), ("id" = String, Path, description = "Event id")),
    responses((status = 200, body = EventView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn rsvp(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((raw, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<RsvpBody>,
) -> ApiResult<Json<EventView>> {
    let (slug, id) = (slug(&raw)?, path_id(&id)?);
    Ok(Json(
        state
            .run(move |app| {
                app.communities()
                    .rsvp(&caller.account, &slug, &id, body.going)
            })
            .await?,
    ))
}

/// An iCalendar answer.
pub(crate) fn calendar(text: String, filename: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
        ],
        text,
    )
        .into_response()
}

/// One event as an iCalendar (RFC 5545) file (members).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/events/{id}/ics", tag = "events", security((), ("bearer" = [])),
    params(("slug" = String, Path, description = "Community slug"), ("id" = String, Path, description = "Event id")),
    responses((status = 200, content_type = "text/calendar", body = String), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn event_ics(
    State(state): State<AppState>,
    caller: Option<ApiCaller>,
    Path((raw, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (slug, id) = (slug(&raw)?, path_id(&id)?);
    let who = caller.map(|ApiCaller(c)| c.account);
    let text = state
        .run(move |app| app.communities().event_ics(who.as_ref(), &slug, &id))
        .await?;
    Ok(calendar(text, "event.ics"))
}

/// A public community's calendar feed, for anyone (without online links).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/calendar", tag = "events",
    params(("slug" = String, Path, description = "Community slug")),
    responses((status = 200, content_type = "text/calendar", body = String), (status = 404, body = Problem)))]
pub async fn public_feed(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Response, ApiError> {
    let slug = slug(&raw)?;
    let text = state
        .run(move |app| app.communities().public_feed(&slug))
        .await?;
    Ok(calendar(text, "community.ics"))
}

/// A community's calendar feed by its private token (members' calendar apps; any visibility).
#[utoipa::path(get, path = "/api/v1/calendars/{token}", tag = "events",
    params(("token" = String, Path, description = "The community's feed token (shown to members)")),
    responses((status = 200, content_type = "text/calendar", body = String), (status = 404, body = Problem)))]
pub async fn private_feed(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, ApiError> {
    let text = state
        .run(move |app| app.communities().private_feed(&token))
        .await?;
    Ok(calendar(text, "community.ics"))
}
