//! Co-created skills on pages: the suggestions inbox, suggesting a skill on someone's profile,
//! and endorsing a skill claim.

use super::page_id;
use super::render::{Errors, Layout, PageError, PageResult, html};
use crate::AppState;
use crate::auth::PageCaller;
use crate::csrf::CsrfToken;
use crate::forms::Form;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use guildhall_app::AppError;
use guildhall_app::suggestions::{IncomingSuggestion, SentSuggestion, SuggestionsFrom};
use guildhall_domain::account::Handle;
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "suggestions.html")]
struct InboxPage {
    layout: Layout,
    pending: Vec<IncomingSuggestion>,
    sent: Vec<SentSuggestion>,
    from: &'static str,
}

/// The inbox: suggestions to answer, suggestions sent, and who may suggest.
pub async fn inbox(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let account = caller.account.clone();
    let (pending, sent, from) = state
        .run(move |app| {
            Ok((
                app.skills().incoming_suggestions(&account, true)?,
                app.skills().sent_suggestions(&account)?,
                app.skills().suggestions_from(&account)?,
            ))
        })
        .await?;
    let from = match from {
        SuggestionsFrom::Members => "members",
        SuggestionsFrom::Connections => "connections",
        SuggestionsFrom::Off => "off",
    };
    let layout = Layout::new("Skill suggestions", Some(&caller), &csrf)
        .with_notice(q.get("done").map(String::as_str));
    Ok(html(
        StatusCode::OK,
        &InboxPage {
            layout,
            pending,
            sent,
            from,
        },
    ))
}

/// Accepts or declines.
pub async fn answer(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, action)): Path<(String, String)>,
    form: Form,
) -> PageResult {
    let id = page_id(&id)?;
    let account = caller.account.clone();
    let done = match action.as_str() {
        "accept" => {
            let level = form.get("level").parse().unwrap_or(3);
            let mut audiences = form.all("audiences");
            if audiences.is_empty() {
                audiences.push("connections".into());
            }
            state
                .run(move |app| {
                    app.skills()
                        .accept_suggestion(&account, &id, audiences, level)
                        .map(|_| "suggestion-accepted")
                })
                .await?
        }
        "decline" => {
            state
                .run(move |app| {
                    app.skills()
                        .decline_suggestion(&account, &id)
                        .map(|_| "suggestion-declined")
                })
                .await?
        }
        _ => return Err(PageError::not_found()),
    };
    Ok(Redirect::to(&format!("/me/suggestions?done={done}")).into_response())
}

/// Saves who may suggest.
pub async fn setting(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    form: Form,
) -> PageResult {
    let from = match form.get("from").as_str() {
        "members" => SuggestionsFrom::Members,
        "connections" => SuggestionsFrom::Connections,
        "off" => SuggestionsFrom::Off,
        _ => {
            return Err(PageError::bad_request(
                "Choose who may suggest skills to you.",
            ));
        }
    };
    state
        .run(move |app| app.skills().set_suggestions_from(&caller.account, from))
        .await?;
    Ok(Redirect::to("/me/suggestions?done=setting-saved").into_response())
}

/// Suggests a skill from someone's profile page; comes back to it with the outcome.
pub async fn suggest(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(raw): Path<String>,
    form: Form,
) -> PageResult {
    let handle = Handle::parse(&raw).map_err(|_| PageError::not_found())?;
    let (label, note) = (form.get("label"), form.get("note"));
    let (h, typed_label, typed_note) = (handle.to_string(), label.clone(), note.clone());
    let result = state
        .run(move |app| {
            app.skills()
                .suggest_skill(&caller.account, &h, &label, &note)
        })
        .await;
    let target = match result {
        Ok(_) => format!("/u/{handle}?done=suggested"),
        Err(e) => {
            let code = match Errors::from_app(e)? {
                errors if errors.get("note").is_empty() => "suggest-refused",
                _ => "suggest-needs-note",
            };
            // The form opens again with what was typed in it.
            let typed = form_urlencoded::Serializer::new(String::new())
                .append_pair("done", code)
                .append_pair("label", &typed_label)
                .append_pair("note", &typed_note)
                .finish();
            format!("/u/{handle}?{typed}#suggest")
        }
    };
    Ok(Redirect::to(&target).into_response())
}

/// Endorses a skill claim.
pub async fn endorse(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((raw, id)): Path<(String, String)>,
    form: Form,
) -> PageResult {
    let handle = Handle::parse(&raw).map_err(|_| PageError::not_found())?;
    let id = page_id(&id)?;
    let (h, note) = (handle.to_string(), form.get("note"));
    let code = match state
        .run(move |app| app.skills().endorse(&caller.account, &h, &id, &note))
        .await
    {
        Ok(()) => "endorsed",
        Err(AppError::Conflict { .. }) => "endorse-refused",
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&format!("/u/{handle}?done={code}")).into_response())
}
