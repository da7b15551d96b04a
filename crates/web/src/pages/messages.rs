//! Conversations on pages: the list with a form to start one, a conversation with its
//! messages (refreshed every few seconds with htmx, readable and answerable without it),
//! editing, deleting and reporting a message, muting, blocking, and who may write to the
//! member.

use super::page_id;
use super::render::{Errors, Layout, PageError, PageResult, html};
use crate::AppState;
use crate::auth::{Caller, PageCaller};
use crate::csrf::CsrfToken;
use crate::forms::Form;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use guildhall_app::conversations::{
    ConversationView, MessageReport, MessageView, MessagesFrom, NewConversation, Subject, Thread,
};
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "messages.html")]
struct ListPage {
    layout: Layout,
    items: Vec<ConversationView>,
    errors: Errors,
    /// The new-conversation form as typed.
    to: String,
    title: String,
    body: String,
}

async fn list_page(
    state: &AppState,
    caller: &Caller,
    csrf: &CsrfToken,
    notice: Option<&str>,
    errors: Errors,
    typed: (String, String, String),
) -> PageResult {
    let account = caller.account.clone();
    let items = state
        .run(move |app| app.conversations().list(&account))
        .await?;
    let layout = Layout::new("Messages", Some(caller), csrf).with_notice(notice);
    let (to, title, body) = typed;
    Ok(html(
        errors.status(StatusCode::UNPROCESSABLE_ENTITY),
        &ListPage {
            layout,
            items,
            errors,
            to,
            title,
            body,
        },
    ))
}

/// The member's conversations; `?to=handle` fills in whom to write to.
pub async fn list(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let to = q.get("to").cloned().unwrap_or_default();
    let notice = q.get("done").map(String::as_str);
    list_page(
        &state,
        &caller,
        &csrf,
        notice,
        Errors::default(),
        (to, String::new(), String::new()),
    )
    .await
}

/// Handles typed in one box: separated by commas or spaces, with or without `@`.
fn handles(typed: &str) -> Vec<String> {
    typed
        .split([',', ' ', ';', '\n'])
        .map(|h| h.trim().trim_start_matches('@'))
        .filter(|h| !h.is_empty())
        .map(str::to_string)
        .collect()
}

/// Starts a conversation.
pub async fn start(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    form: Form,
) -> PageResult {
    let input = NewConversation {
        to: handles(&form.get("to")),
        title: form.get("title"),
        body: form.get("body"),
    };
    let account = caller.account.clone();
    match state
        .run(move |app| app.conversations().start(&account, input))
        .await
    {
        Ok(view) => Ok(Redirect::to(&format!("/messages/{}", view.id)).into_response()),
        Err(e) => {
            let errors = Errors::from_app(e)?;
            let typed = (form.get("to"), form.get("title"), form.get("body"));
            list_page(&state, &caller, &csrf, None, errors, typed).await
        }
    }
}

/// Opens the conversation of a job, a proposal, a contract or a community (a form's
/// `subject` and `id`).
pub async fn open(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    form: Form,
) -> PageResult {
    let subject = match form.get("subject").as_str() {
        "job" => Subject::Job,
        "proposal" => Subject::Proposal,
        "contract" => Subject::Contract,
        "community" => Subject::Community,
        _ => return Err(PageError::not_found()),
    };
    let id = page_id(&form.get("id"))?;
    let view = state
        .run(move |app| app.conversations().open(&caller.account, subject, &id))
        .await?;
    Ok(Redirect::to(&format!("/messages/{}", view.id)).into_response())
}

#[derive(Template)]
#[template(path = "conversation.html")]
struct ConversationPage {
    layout: Layout,
    t: Thread,
    errors: Errors,
    /// A refused message, as typed.
    typed: String,
    /// The message a refused report was about, and its reason as typed.
    reporting: (String, String),
}

impl ConversationPage {
    /// The other member of a conversation of two, who may be blocked from here.
    fn other(&self) -> Option<&String> {
        let me = self.layout.handle.as_deref();
        match &self.t.conversation.members[..] {
            [a, b] if self.t.conversation.kind != "community" => {
                if Some(a.as_str()) == me {
                    Some(b)
                } else {
                    Some(a)
                }
            }
            _ => None,
        }
    }

    /// Whether a message is newer than the reader's read mark.
    fn is_new(&self, m: &MessageView) -> bool {
        !m.own && m.id > self.t.read_up_to
    }
}

#[derive(Template)]
#[template(path = "conversation_messages.html")]
struct MessagesFragment {
    layout: Layout,
    t: Thread,
    reporting: (String, String),
    errors: Errors,
}

impl MessagesFragment {
    fn is_new(&self, m: &MessageView) -> bool {
        !m.own && m.id > self.t.read_up_to
    }
}

/// Reads a conversation for `caller` and marks it read: the page shows what was new before.
async fn read_thread(state: &AppState, caller: &Caller, id: &str) -> Result<Thread, PageError> {
    let (account, id) = (caller.account.clone(), id.to_string());
    Ok(state
        .run(move |app| {
            let t = app.conversations().show(&account, &id, "")?;
            app.conversations().mark_read(&account, &id)?;
            Ok(t)
        })
        .await?)
}

/// What a refused form on a conversation's page brings back.
#[derive(Default)]
struct Refused {
    errors: Errors,
    /// The message as typed.
    typed: String,
    /// The message a report was about, and its reason as typed.
    reporting: (String, String),
}

async fn conversation_page(
    state: &AppState,
    caller: &Caller,
    csrf: &CsrfToken,
    id: &str,
    notice: Option<&str>,
    refused: Refused,
) -> PageResult {
    let Refused {
        errors,
        typed,
        reporting,
    } = refused;
    let t = read_thread(state, caller, id).await?;
    let layout = Layout::new(t.conversation.title.clone(), Some(caller), csrf).with_notice(notice);
    Ok(html(
        errors.status(StatusCode::UNPROCESSABLE_ENTITY),
        &ConversationPage {
            layout,
            t,
            errors,
            typed,
            reporting,
        },
    ))
}

/// A conversation.
pub async fn show(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let id = page_id(&id)?;
    let notice = q.get("done").map(String::as_str);
    conversation_page(&state, &caller, &csrf, &id, notice, Refused::default()).await
}

/// The list of messages alone, which the open page fetches every few seconds; reading it
/// marks the conversation read.
pub async fn fragment(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(id): Path<String>,
) -> PageResult {
    let id = page_id(&id)?;
    let t = read_thread(&state, &caller, &id).await?;
    let layout = Layout::new(t.conversation.title.clone(), Some(&caller), &csrf);
    Ok(html(
        StatusCode::OK,
        &MessagesFragment {
            layout,
            t,
            reporting: Default::default(),
            errors: Errors::default(),
        },
    ))
}

/// Downloads a file a message carries (whoever may read the conversation).
pub async fn file(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, file)): Path<(String, String)>,
) -> PageResult {
    let (id, file) = (page_id(&id)?, page_id(&file)?);
    let (file, bytes) = state
        .run(move |app| {
            app.conversations()
                .message_file(&caller.account, &id, &file)
        })
        .await?;
    Ok(crate::api::deliveries::attachment(&file, bytes))
}

/// Sends a message, with any files chosen.
pub async fn send(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let id = page_id(&id)?;
    let (account, cid, posted) = (caller.account.clone(), id.clone(), form.clone());
    match state
        .run(move |app| {
            let mut files = Vec::new();
            for (name, bytes) in posted.uploads("files") {
                let file = app
                    .conversations()
                    .upload_message_file(&account, &cid, &name, bytes)?;
                files.push(file.id);
            }
            app.conversations()
                .send_with_files(&account, &cid, &posted.get("body"), &files)
        })
        .await
    {
        Ok(m) => Ok(Redirect::to(&format!("/messages/{id}#m-{}", m.id)).into_response()),
        Err(e) => {
            let errors = Errors::from_app(e)?;
            let typed = form.get("body");
            conversation_page(
                &state,
                &caller,
                &csrf,
                &id,
                None,
                Refused {
                    errors,
                    typed,
                    ..Refused::default()
                },
            )
            .await
        }
    }
}

/// What is done to one message: `delete` (its author) or `report` (with a `reason`).
pub async fn act(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path((id, message)): Path<(String, String)>,
    form: Form,
) -> PageResult {
    let (id, message) = (page_id(&id)?, page_id(&message)?);
    let (account, cid, mid, reason) = (
        caller.account.clone(),
        id.clone(),
        message.clone(),
        form.get("reason"),
    );
    let (result, done) = match form.get("action").as_str() {
        "delete" => (
            state
                .run(move |app| app.conversations().delete(&account, &cid, &mid))
                .await,
            "message-deleted",
        ),
        "report" => (
            state
                .run(move |app| app.conversations().report(&account, &cid, &mid, &reason))
                .await,
            "message-reported",
        ),
        _ => {
            return Err(PageError::bad_request(
                "Choose what to do with the message.",
            ));
        }
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/messages/{id}?done={done}")).into_response()),
        Err(e) => {
            let errors = Errors::from_app(e)?;
            let reporting = (message, form.get("reason"));
            conversation_page(
                &state,
                &caller,
                &csrf,
                &id,
                None,
                Refused {
                    errors,
                    reporting,
                    ..Refused::default()
                },
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "message_edit.html")]
struct EditPage {
    layout: Layout,
    conversation: String,
    message: String,
    body: String,
    errors: Errors,
}

/// The form to edit one's message.
pub async fn edit_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path((id, message)): Path<(String, String)>,
) -> PageResult {
    let (id, message) = (page_id(&id)?, page_id(&message)?);
    let (account, cid) = (caller.account.clone(), id.clone());
    let t = state
        .run(move |app| app.conversations().show(&account, &cid, ""))
        .await?;
    let found = t
        .messages
        .into_iter()
        .find(|m| m.id == message && m.own && !m.deleted)
        .ok_or_else(PageError::not_found)?;
    let layout = Layout::new("Edit your message", Some(&caller), &csrf);
    Ok(html(
        StatusCode::OK,
        &EditPage {
            layout,
            conversation: id,
            message,
            body: found.body,
            errors: Errors::default(),
        },
    ))
}

/// Saves an edited message.
pub async fn edit(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path((id, message)): Path<(String, String)>,
    form: Form,
) -> PageResult {
    let (id, message) = (page_id(&id)?, page_id(&message)?);
    let (account, cid, mid, body) = (
        caller.account.clone(),
        id.clone(),
        message.clone(),
        form.get("body"),
    );
    match state
        .run(move |app| app.conversations().edit(&account, &cid, &mid, &body))
        .await
    {
        Ok(m) => Ok(Redirect::to(&format!("/messages/{id}#m-{}", m.id)).into_response()),
        Err(e) => {
            let errors = Errors::from_app(e)?;
            let layout = Layout::new("Edit your message", Some(&caller), &csrf);
            Ok(html(
                errors.status(StatusCode::UNPROCESSABLE_ENTITY),
                &EditPage {
                    layout,
                    conversation: id,
                    message,
                    body: form.get("body"),
                    errors,
                },
            ))
        }
    }
}

/// Mutes or unmutes a conversation (`muted` = `1` or `0`).
pub async fn mute(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let id = page_id(&id)?;
    let muted = form.get("muted") == "1";
    let cid = id.clone();
    state
        .run(move |app| app.conversations().mute(&caller.account, &cid, muted))
        .await?;
    let done = if muted { "muted" } else { "unmuted" };
    Ok(Redirect::to(&format!("/messages/{id}?done={done}")).into_response())
}

#[derive(Template)]
#[template(path = "message_settings.html")]
struct SettingsPage {
    layout: Layout,
    current: MessagesFrom,
    choices: Vec<(&'static str, &'static str)>,
    blocks: Vec<guildhall_app::conversations::BlockView>,
}

/// Who may write to the member, and whom they blocked.
pub async fn settings(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let account = caller.account.clone();
    let (current, blocks) = state
        .run(move |app| {
            let c = app.conversations();
            Ok((c.messages_from(&account)?, c.blocks(&account)?))
        })
        .await?;
    let layout = Layout::new("Messages settings", Some(&caller), &csrf)
        .with_notice(q.get("done").map(String::as_str));
    Ok(html(
        StatusCode::OK,
        &SettingsPage {
            layout,
            current,
            choices: MessagesFrom::ALL
                .iter()
                .map(|m| (m.as_str(), m.label()))
                .collect(),
            blocks,
        },
    ))
}

/// Saves who may write to the member.
pub async fn save_settings(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    form: Form,
) -> PageResult {
    let value = MessagesFrom::ALL
        .iter()
        .copied()
        .find(|m| m.as_str() == form.get("messages_from"))
        .ok_or_else(|| PageError::bad_request("Choose one of the offered settings."))?;
    state
        .run(move |app| {
            app.conversations()
                .set_messages_from(&caller.account, value)
        })
        .await?;
    Ok(Redirect::to("/settings/messages?done=setting-saved").into_response())
}

/// Blocks or unblocks a member (`handle`, `action`), then goes back to `back`.
pub async fn block(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    form: Form,
) -> PageResult {
    let handle = form
        .get("handle")
        .trim()
        .trim_start_matches('@')
        .to_string();
    let block = match form.get("action").as_str() {
        "block" => true,
        "unblock" => false,
        _ => return Err(PageError::bad_request("Choose to block or to unblock.")),
    };
    state
        .run(move |app| {
            if block {
                app.conversations().block(&caller.account, &handle)
            } else {
                app.conversations().unblock(&caller.account, &handle)
            }
        })
        .await?;
    let back = super::safe_next(&form.get("back"));
    let done = if block { "blocked" } else { "unblocked" };
    let join = if back.contains('?') { '&' } else { '?' };
    Ok(Redirect::to(&format!("{back}{join}done={done}")).into_response())
}

#[derive(Template)]
#[template(path = "message_reports.html")]
struct ReportsPage {
    layout: Layout,
    reports: Vec<MessageReport>,
}

/// Reported messages for the curators and operators who handle them.
pub async fn reports(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let account = caller.account.clone();
    let reports = state
        .run(move |app| app.conversations().reports(&account))
        .await?;
    let layout = Layout::new("Reported messages", Some(&caller), &csrf)
        .with_notice(q.get("done").map(String::as_str));
    Ok(html(StatusCode::OK, &ReportsPage { layout, reports }))
}

/// Removes a reported message or dismisses its reports.
pub async fn settle(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let id = page_id(&id)?;
    let remove = match form.get("action").as_str() {
        "remove" => true,
        "dismiss" => false,
        _ => {
            return Err(PageError::bad_request(
                "Choose to remove the message or dismiss the report.",
            ));
        }
    };
    state
        .run(move |app| {
            app.conversations()
                .settle_report(&caller.account, &id, remove)
        })
        .await?;
    Ok(Redirect::to("/messages/reports?done=report-settled").into_response())
}

#[derive(Template)]
#[template(path = "nav_counts.html")]
struct NavCounts {
    layout: Layout,
}

/// The navigation's badges alone, which every page fetches every few seconds to keep them
/// current without a reload.
pub async fn nav_counts(
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
) -> PageResult {
    let layout = Layout::new("", Some(&caller), &csrf);
    Ok(html(StatusCode::OK, &NavCounts { layout }))
}
