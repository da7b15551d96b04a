//! JSON Resume on pages: a résumé imported from a file or pasted (`/me/resume`), with what was
//! added and what was kept aside; and a view of the profile downloaded as a résumé
//! (`/me/resume/export?as=…`, linked from the profile editor's previews).

use super::render::{Errors, Layout, PageError, PageResult, html};
use crate::AppState;
use crate::api::profiles::preview_as;
use crate::api::resume::export_as;
use crate::auth::{Caller, PageCaller};
use crate::csrf::CsrfToken;
use crate::forms::Form;
use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use guildhall_app::AppError;
use guildhall_app::resume::ResumeImport;
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "resume.html")]
struct ResumePage {
    layout: Layout,
    /// What the last import did.
    done: Option<ResumeImport>,
    typed: Form,
    errors: Errors,
}

impl ResumePage {
    /// A kept-aside value in a line, shortened.
    fn snippet(&self, value: &serde_json::Value) -> String {
        let text = value.to_string();
        match text.char_indices().nth(160) {
            Some((cut, _)) => format!("{}…", &text[..cut]),
            None => text,
        }
    }
}

fn page(
    caller: &Caller,
    csrf: &CsrfToken,
    done: Option<ResumeImport>,
    typed: Form,
    errors: Errors,
) -> Response {
    let status = errors.status(StatusCode::UNPROCESSABLE_ENTITY);
    let layout = Layout::new("Import a JSON Resume", Some(caller), csrf);
    html(
        status,
        &ResumePage {
            layout,
            done,
            typed,
            errors,
        },
    )
}

/// The import form.
pub async fn show(
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
) -> PageResult {
    Ok(page(
        &caller,
        &csrf,
        None,
        Form::default(),
        Errors::default(),
    ))
}

/// Imports the résumé uploaded or pasted, and shows what happened.
pub async fn import(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    form: Form,
) -> PageResult {
    let text = match form.file("file").filter(|f| !f.is_empty()) {
        Some(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        None => form.get("text"),
    };
    let refuse = |message: &str| {
        let errors = Errors(vec![("/text".into(), message.into())]);
        Ok(page(&caller, &csrf, None, form.clone(), errors))
    };
    if text.trim().is_empty() {
        return refuse("choose a file or paste a résumé");
    }
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(&text) else {
        return refuse("this is not JSON: a JSON Resume file is a JSON document");
    };
    let who = caller.account.clone();
    match state
        .run(move |app| app.profiles().import_resume(&who, &doc))
        .await
    {
        Ok(done) => Ok(page(
            &caller,
            &csrf,
            Some(done),
            Form::default(),
            Errors::default(),
        )),
        Err(AppError::Validation(e)) => {
            refuse(&e.0.first().map(|f| f.message.clone()).unwrap_or_default())
        }
        Err(e) => Err(e.into()),
    }
}

/// The profile as `?as=` sees it, as a JSON Resume file.
pub async fn export(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let raw = q.get("as").cloned().unwrap_or_else(|| "public".into());
    let as_ = preview_as(&raw).map_err(|e| PageError::bad_request(e.detail().to_string()))?;
    let handle = caller.account.handle.clone();
    let doc = export_as(&state, caller.account, as_).await?;
    let name: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"resume-{handle}-{name}.json\""),
            ),
        ],
        serde_json::to_string_pretty(&doc).unwrap_or_default(),
    )
        .into_response())
}
