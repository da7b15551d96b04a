//! The caller's notifications, their unread count, and how the caller hears of each topic.

use super::extract::{ApiJson, ApiQuery, PageQuery};
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use guildhall_app::notifications::digest::Digest;
use guildhall_app::notifications::digest_mail::DigestSettings;
use guildhall_app::notifications::{MarkRead, NotificationView, PreferenceInput, PreferenceView};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A page of notifications.
#[derive(Serialize, ToSchema)]
pub struct NotificationPage {
    /// Notifications, newest first.
    items: Vec<NotificationView>,
    /// Cursor of the next page.
    next_cursor: Option<String>,
    /// How many of all the caller's notifications are unread.
    unread: i64,
}

/// The caller's notifications, newest first, with the unread count.
#[utoipa::path(get, path = "/api/v1/me/notifications", operation_id = "list_notifications", tag = "notifications", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = NotificationPage)))]
pub async fn list(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<NotificationPage>> {
    let page = q.request();
    let (page, unread) = state
        .run(move |app| {
            let page = app.notifications().inbox(&caller.account, &page)?;
            Ok((page, app.notifications().unread_count(&caller.account)?))
        })
        .await?;
    Ok(Json(NotificationPage {
        items: page.items,
        next_cursor: page.next_cursor,
        unread,
    }))
}

/// How many notifications are unread.
#[derive(Serialize, ToSchema)]
pub struct UnreadCount {
    /// Unread notifications.
    count: i64,
}

/// The caller's unread count, for a badge.
#[utoipa::path(get, path = "/api/v1/me/notifications/unread", operation_id = "count_unread_notifications", tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = UnreadCount)))]
pub async fn unread(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<UnreadCount>> {
    let count = state
        .run(move |app| app.notifications().unread_count(&caller.account))
        .await?;
    Ok(Json(UnreadCount { count }))
}

/// How many notifications were marked.
#[derive(Serialize, ToSchema)]
pub struct Marked {
    /// Notifications that were unread and are now read.
    marked: usize,
}

/// Marks some of the caller's notifications read, or all of them when `ids` is absent. Ids
/// that are not the caller's, or already read, are passed over.
#[utoipa::path(post, path = "/api/v1/me/notifications/read", operation_id = "mark_notifications_read", tag = "notifications", security(("bearer" = [])), request_body = MarkRead,
    responses((status = 200, body = Marked)))]
pub async fn mark_read(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<MarkRead>,
) -> ApiResult<Json<Marked>> {
    let marked = state
        .run(move |app| app.notifications().mark_read(&caller.account, &body))
        .await?;
    Ok(Json(Marked { marked }))
}

/// How the caller hears of each topic.
#[derive(Serialize, ToSchema)]
pub struct Preferences {
    /// Every topic, with its choice.
    preferences: Vec<PreferenceView>,
}

/// How the caller hears of each topic: in the app, by email at once, in the daily digest, or
/// not at all.
#[utoipa::path(get, path = "/api/v1/me/notifications/preferences", operation_id = "notification_preferences", tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = Preferences)))]
pub async fn preferences(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Preferences>> {
    let preferences = state
        .run(move |app| app.notifications().preferences(&caller.account))
        .await?;
    Ok(Json(Preferences { preferences }))
}

/// Changes to how the caller hears of some topics.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferencesBody {
    /// One entry per topic to change; topics not named keep their choice.
    preferences: Vec<PreferenceInput>,
}

/// Sets how the caller hears of some topics, all or none; answers with every topic's choice.
#[utoipa::path(put, path = "/api/v1/me/notifications/preferences", operation_id = "set_notification_preferences", tag = "notifications", security(("bearer" = [])), request_body = PreferencesBody,
    responses((status = 200, body = Preferences), (status = 422, body = Problem)))]
pub async fn set_preferences(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<PreferencesBody>,
) -> ApiResult<Json<Preferences>> {
    let preferences = state
        .run(move |app| {
            app.notifications()
                .set_preferences(&caller.account, &body.preferences)
        })
        .await?;
    Ok(Json(Preferences { preferences }))
}

/// When the caller's daily digest is mailed.
#[utoipa::path(get, path = "/api/v1/me/digest-settings", operation_id = "digest_settings", tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = DigestSettings)))]
pub async fn digest_settings(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<DigestSettings>> {
    Ok(Json(
        state
            .run(move |app| app.notifications().digest_settings(&caller.account))
            .await?,
    ))
}

/// Changes when the caller's daily digest is mailed.
#[utoipa::path(put, path = "/api/v1/me/digest-settings", operation_id = "set_digest_settings", tag = "notifications", security(("bearer" = [])), request_body = DigestSettings,
    responses((status = 200, body = DigestSettings), (status = 422, body = Problem)))]
pub async fn set_digest_settings(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<DigestSettings>,
) -> ApiResult<Json<DigestSettings>> {
    Ok(Json(
        state
            .run(move |app| {
                app.notifications()
                    .set_digest_settings(&caller.account, &body)
            })
            .await?,
    ))
}

/// The caller's daily digest as of now: deadlines soonest first, what waits for an answer,
/// and the events of their communities this week; each line with the page where it is done.
#[utoipa::path(get, path = "/api/v1/me/digest", operation_id = "digest", tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = Digest)))]
pub async fn digest(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Digest>> {
    Ok(Json(
        state
            .run(move |app| app.notifications().digest(&caller.account))
            .await?,
    ))
}
