//! The full export on pages (`/me/export`): ask for an archive of everything about you, watch
//! it being prepared, download it.

use super::page_id;
use super::render::{Layout, PageError, PageResult, html, when};
use crate::AppState;
use crate::api::exports::zip_download;
use crate::auth::PageCaller;
use crate::csrf::CsrfToken;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_app::exports::Export;

#[derive(Template)]
#[template(path = "exports.html")]
struct ExportsPage {
    layout: Layout,
    list: ExportsList,
}

#[derive(Template)]
#[template(path = "exports_list.html")]
struct ExportsList {
    exports: Vec<Export>,
}

impl ExportsList {
    /// Whether one is still being prepared: the list then refreshes itself.
    fn busy(&self) -> bool {
        self.exports
            .iter()
            .any(|e| e.status == "queued" || e.status == "running")
    }

    fn asked_on(&self, e: &Export) -> String {
        when(&e.created_at)
    }

    /// A size as people read it.
    fn size_words(&self, e: &Export) -> String {
        match e.size {
            Some(b) if b >= 1 << 20 => format!("{:.1} MB", b as f64 / (1u64 << 20) as f64),
            Some(b) => format!("{} KB", (b + 1023) / 1024),
            None => String::new(),
        }
    }
}

async fn list(state: &AppState, caller: &crate::auth::Caller) -> Result<ExportsList, PageError> {
    let who = caller.account.clone();
    let exports = state.run(move |app| app.accounts().exports(&who)).await?;
    Ok(ExportsList { exports })
}

/// The page.
pub async fn show(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
) -> PageResult {
    let list = list(&state, &caller).await?;
    let layout = Layout::new("Take your data with you", Some(&caller), &csrf);
    Ok(html(StatusCode::OK, &ExportsPage { layout, list }))
}

/// The list alone, which the page reloads while an export is prepared.
pub async fn list_part(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
) -> PageResult {
    Ok(html(StatusCode::OK, &list(&state, &caller).await?))
}

/// Asks for an export.
pub async fn request(State(state): State<AppState>, PageCaller(caller): PageCaller) -> PageResult {
    let who = caller.account.clone();
    state
        .run(move |app| app.accounts().request_export(&who))
        .await?;
    Ok(Redirect::to("/me/export").into_response())
}

/// The archive.
pub async fn download(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    let id = page_id(&raw)?;
    let handle = caller.account.handle.clone();
    let who = caller.account.clone();
    let bytes = state
        .run(move |app| app.accounts().export_archive(&who, &id))
        .await?;
    Ok(zip_download(&handle, bytes))
}
