//! The inbox of notifications and the choice of how to hear of each topic.

use super::page_id;
use super::render::{Layout, PageError, PageResult, html};
use crate::AppState;
use crate::auth::PageCaller;
use crate::csrf::CsrfToken;
use crate::forms::Form;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use guildhall_app::notifications::digest::Digest;
use guildhall_app::notifications::digest_mail::DigestSettings;
use guildhall_app::notifications::{MarkRead, NotificationView, PreferenceInput, PreferenceView};
use guildhall_domain::notify::Delivery;
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "notifications.html")]
struct InboxPage {
    layout: Layout,
    items: Vec<NotificationView>,
    next_cursor: Option<String>,
}

/// The inbox, newest first, a page at a time.
pub async fn inbox(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let account = caller.account.clone();
    let request = guildhall_app::PageRequest {
        cursor: q.get("cursor").cloned(),
        limit: Some(30),
    };
    let page = state
        .run(move |app| app.notifications().inbox(&account, &request))
        .await?;
    let layout =
        Layout::new("Inbox", Some(&caller), &csrf).with_notice(q.get("done").map(String::as_str));
    Ok(html(
        StatusCode::OK,
        &InboxPage {
            layout,
            items: page.items,
            next_cursor: page.next_cursor,
        },
    ))
}

/// Opens a notification: marks it read and goes where it points.
pub async fn open(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<String>,
) -> PageResult {
    let id = page_id(&id)?;
    let view = state
        .run(move |app| app.notifications().open(&caller.account, &id))
        .await?;
    Ok(Redirect::to(&view.link).into_response())
}

/// Marks every notification read.
pub async fn mark_all_read(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    _form: Form,
) -> PageResult {
    state
        .run(move |app| {
            app.notifications()
                .mark_read(&caller.account, &MarkRead::default())
        })
        .await?;
    Ok(Redirect::to("/notifications?done=all-read").into_response())
}

#[derive(Template)]
#[template(path = "digest.html")]
struct DigestPage {
    layout: Layout,
    digest: Digest,
}

/// The daily digest, as of now.
pub async fn digest(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
) -> PageResult {
    let account = caller.account.clone();
    let digest = state
        .run(move |app| app.notifications().digest(&account))
        .await?;
    let layout = Layout::new("Your day", Some(&caller), &csrf);
    Ok(html(StatusCode::OK, &DigestPage { layout, digest }))
}

#[derive(Template)]
#[template(path = "notification_settings.html")]
struct SettingsPage {
    layout: Layout,
    preferences: Vec<PreferenceView>,
    choices: Vec<(&'static str, &'static str)>,
    digest: DigestSettings,
    time_zones: &'static [String],
}

/// How the member hears of each topic.
pub async fn settings(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let account = caller.account.clone();
    let (preferences, digest) = state
        .run(move |app| {
            let n = app.notifications();
            Ok((n.preferences(&account)?, n.digest_settings(&account)?))
        })
        .await?;
    let layout = Layout::new("Notification settings", Some(&caller), &csrf)
        .with_notice(q.get("done").map(String::as_str));
    Ok(html(
        StatusCode::OK,
        &SettingsPage {
            layout,
            preferences,
            choices: Delivery::ALL
                .iter()
                .map(|d| (d.as_str(), d.label()))
                .collect(),
            digest,
            time_zones: guildhall_app::notifications::digest_mail::time_zones(),
        },
    ))
}

/// Saves the choices: one select per topic, named by the topic.
pub async fn save_settings(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    form: Form,
) -> PageResult {
    let changes: Vec<PreferenceInput> = guildhall_domain::notify::Topic::ALL
        .iter()
        .map(|t| (t.as_str(), form.get(t.as_str())))
        .filter(|(_, delivery)| !delivery.is_empty())
        .map(|(topic, delivery)| PreferenceInput {
            topic: topic.into(),
            delivery,
        })
        .collect();
    if changes
        .iter()
        .any(|c| Delivery::parse(&c.delivery).is_none())
    {
        return Err(PageError::bad_request(
            "Choose one of the offered ways for each kind of notification.",
        ));
    }
    state
        .run(move |app| {
            app.notifications()
                .set_preferences(&caller.account, &changes)
        })
        .await?;
    Ok(Redirect::to("/settings/notifications?done=setting-saved").into_response())
}

/// Saves when the daily digest is mailed.
pub async fn save_digest(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    form: Form,
) -> PageResult {
    let settings = DigestSettings {
        enabled: form.get("enabled") == "yes",
        hour: form
            .get("hour")
            .parse()
            .map_err(|_| PageError::bad_request("Choose one of the offered hours."))?,
        time_zone: form.get("time_zone"),
    };
    state
        .run(move |app| {
            app.notifications()
                .set_digest_settings(&caller.account, &settings)
        })
        .await
        .map_err(|_| PageError::bad_request("Choose one of the offered hours and time zones."))?;
    Ok(Redirect::to("/settings/notifications?done=setting-saved#digest").into_response())
}

/// The page a digest's "stop these emails" link opens: one button.
pub async fn digest_unsubscribe_page(
    State(state): State<AppState>,
    caller: Option<PageCaller>,
    Extension(csrf): Extension<CsrfToken>,
    Path(key): Path<String>,
) -> PageResult {
    let key = digest_key(&key)?;
    let k = key.clone();
    let known = state
        .run(move |app| app.notifications().digest_link_known(&k))
        .await?;
    if !known {
        return Err(PageError::not_found());
    }
    Ok(unsubscribe_answer(
        caller,
        &csrf,
        format!("digest/{key}"),
        "your daily digest".into(),
        true,
        false,
    ))
}

/// Stops the daily digest's mail: mail programs post here in one click (RFC 8058).
pub async fn digest_unsubscribe(
    State(state): State<AppState>,
    caller: Option<PageCaller>,
    Extension(csrf): Extension<CsrfToken>,
    Path(key): Path<String>,
) -> PageResult {
    let key = digest_key(&key)?;
    let k = key.clone();
    if !state
        .run(move |app| app.notifications().unsubscribe_digest(&k))
        .await?
    {
        return Err(PageError::not_found());
    }
    Ok(unsubscribe_answer(
        caller,
        &csrf,
        format!("digest/{key}"),
        "your daily digest".into(),
        false,
        true,
    ))
}

/// A digest link's key from a path: URL-safe base64, as made.
fn digest_key(raw: &str) -> Result<String, PageError> {
    ((16..=64).contains(&raw.len())
        && raw
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    .then(|| raw.to_string())
    .ok_or_else(PageError::not_found)
}

#[derive(Template)]
#[template(path = "unsubscribe.html")]
struct UnsubscribePage {
    layout: Layout,
    id: String,
    topic: String,
    emailing: bool,
    done: bool,
}

/// The page an email's "stop these emails" link opens: one button, so a link checker that
/// follows the link changes nothing.
pub async fn unsubscribe_page(
    State(state): State<AppState>,
    caller: Option<PageCaller>,
    Extension(csrf): Extension<CsrfToken>,
    Path(id): Path<String>,
) -> PageResult {
    let id = page_id(&id)?;
    let found = {
        let id = id.clone();
        state
            .run(move |app| app.notifications().unsubscribe_link(&id))
            .await?
    };
    let (topic, emailing) = found.ok_or_else(PageError::not_found)?;
    Ok(unsubscribe_answer(
        caller, &csrf, id, topic, emailing, false,
    ))
}

/// Stops the emails of the link's topic. Mail programs post here without a session or a form
/// token when their reader presses "unsubscribe" (RFC 8058); the link itself is the authority.
pub async fn unsubscribe(
    State(state): State<AppState>,
    caller: Option<PageCaller>,
    Extension(csrf): Extension<CsrfToken>,
    Path(id): Path<String>,
) -> PageResult {
    let id = page_id(&id)?;
    let topic = {
        let id = id.clone();
        state
            .run(move |app| app.notifications().unsubscribe(&id))
            .await?
    };
    Ok(unsubscribe_answer(caller, &csrf, id, topic, false, true))
}

/// The unsubscribe page: the question, or what was done.
fn unsubscribe_answer(
    caller: Option<PageCaller>,
    csrf: &CsrfToken,
    id: String,
    topic: String,
    emailing: bool,
    done: bool,
) -> axum::response::Response {
    let layout = Layout::new("Stop emails", caller.as_ref().map(|c| &c.0), csrf);
    html(
        StatusCode::OK,
        &UnsubscribePage {
            layout,
            id,
            topic,
            emailing,
            done,
        },
    )
}
