//! The connections page: requests in and out, and connections.

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
use guildhall_app::PageRequest;
use guildhall_app::connections::{ConnectionFilter, ConnectionView};
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "connections.html")]
struct ConnectionsPage {
    layout: Layout,
    incoming: Vec<ConnectionView>,
    outgoing: Vec<ConnectionView>,
    connected: Vec<ConnectionView>,
    handle: String,
    errors: Errors,
}

async fn page(
    state: &AppState,
    caller: &Caller,
    csrf: &CsrfToken,
    notice: Option<&str>,
    handle: String,
    errors: Errors,
) -> PageResult {
    let account = caller.account.clone();
    let all = state
        .run(move |app| {
            app.profiles().list_connections(
                &account,
                ConnectionFilter::All,
                &PageRequest {
                    cursor: None,
                    limit: Some(100),
                },
            )
        })
        .await?;
    let (pending, connected): (Vec<_>, Vec<_>) =
        all.items.into_iter().partition(|c| c.status == "pending");
    let (incoming, outgoing) = pending.into_iter().partition(|c| c.direction == "incoming");
    let status = errors.status(StatusCode::UNPROCESSABLE_ENTITY);
    let layout = Layout::new("Connections", Some(caller), csrf).with_notice(notice);
    Ok(html(
        status,
        &ConnectionsPage {
            layout,
            incoming,
            outgoing,
            connected,
            handle,
            errors,
        },
    ))
}

/// Connections and requests.
pub async fn list(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    page(
        &state,
        &caller,
        &csrf,
        q.get("done").map(String::as_str),
        String::new(),
        Errors::default(),
    )
    .await
}

/// Asks a member to connect.
pub async fn request(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    form: Form,
) -> PageResult {
    let handle = form.get("handle");
    // Only a profile of this site, and nothing that could split the redirect's header.
    let back = form
        .opt("back")
        .filter(|b| b.starts_with("/u/") && !b.chars().any(char::is_control));
    let parsed = guildhall_domain::account::Handle::parse(&handle);
    let result = match parsed {
        Ok(h) => {
            let account = caller.account.clone();
            state
                .run(move |app| app.profiles().request_connection(&account, h.as_str()))
                .await
        }
        Err(_) => Err(guildhall_app::AppError::NotFound),
    };
    match result {
        Ok(view) => {
            let done = if view.status == "accepted" {
                "accepted"
            } else {
                "requested"
            };
            Ok(
                Redirect::to(&back.unwrap_or_else(|| format!("/me/connections?done={done}")))
                    .into_response(),
            )
        }
        Err(e) => {
            let errors = Errors::member_not_found(e, "handle")?;
            page(&state, &caller, &csrf, None, handle, errors).await
        }
    }
}

/// Accepts, declines or removes.
pub async fn answer(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, action)): Path<(String, String)>,
    _form: Form,
) -> PageResult {
    let id = page_id(&id)?;
    let account = caller.account.clone();
    let done = match action.as_str() {
        "accept" => {
            state
                .run(move |app| {
                    app.profiles()
                        .accept_connection(&account, &id)
                        .map(|_| "accepted")
                })
                .await?
        }
        "decline" => {
            state
                .run(move |app| {
                    app.profiles()
                        .decline_connection(&account, &id)
                        .map(|_| "declined")
                })
                .await?
        }
        "remove" => {
            state
                .run(move |app| {
                    app.profiles()
                        .remove_connection(&account, &id)
                        .map(|_| "removed")
                })
                .await?
        }
        _ => return Err(PageError::not_found()),
    };
    Ok(Redirect::to(&format!("/me/connections?done={done}")).into_response())
}
