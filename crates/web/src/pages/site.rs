//! Pages every visitor may open: the privacy policy and terms the operators published, the
//! source code of this very build (AGPL-3.0, section 13), and the page a password-reset link
//! leads to.

use super::render::{Errors, Layout, PageError, PageResult, html};
use crate::AppState;
use crate::auth::PageCaller;
use crate::csrf::CsrfToken;
use crate::forms::Form;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_app::AppError;
use guildhall_app::site_texts::SiteText;

#[derive(Template)]
#[template(path = "site_text.html")]
struct TextPage {
    layout: Layout,
    /// Sanitised HTML of the published text, if there is one.
    body: Option<String>,
}

async fn text_page(
    state: AppState,
    caller: Option<PageCaller>,
    csrf: CsrfToken,
    text: SiteText,
) -> PageResult {
    let body = state.run(move |app| app.instance().site_text(text)).await?;
    let caller = caller.map(|PageCaller(c)| c);
    Ok(html(
        StatusCode::OK,
        &TextPage {
            layout: Layout::new(text.title(), caller.as_ref(), &csrf),
            body: body.map(|source| guildhall_domain::markdown::render(&source).html),
        },
    ))
}

/// The privacy policy.
pub async fn privacy(
    State(state): State<AppState>,
    caller: Option<PageCaller>,
    Extension(csrf): Extension<CsrfToken>,
) -> PageResult {
    text_page(state, caller, csrf, SiteText::PrivacyPolicy).await
}

/// The terms of use.
pub async fn terms(
    State(state): State<AppState>,
    caller: Option<PageCaller>,
    Extension(csrf): Extension<CsrfToken>,
) -> PageResult {
    text_page(state, caller, csrf, SiteText::Terms).await
}

/// The source code this server was built from, as a gzipped tar archive.
pub async fn source(State(state): State<AppState>) -> Response {
    match state.config.source_archive {
        Some(bytes) => (
            [
                (header::CONTENT_TYPE, "application/gzip"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"guildhall-source.tar.gz\"",
                ),
            ],
            bytes,
        )
            .into_response(),
        None => PageError::not_found().into_response(),
    }
}

#[derive(Template)]
#[template(path = "reset_password.html")]
struct ResetPage {
    layout: Layout,
    /// Whose password is set, or `None` when the link no longer works.
    handle: Option<String>,
    token: String,
    errors: Errors,
}

/// Where a reset link leads: a form for the new password.
pub async fn reset_page(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    Path(token): Path<String>,
) -> PageResult {
    let t = token.clone();
    let account = state
        .run(move |app| app.instance().password_reset_account(&t))
        .await?;
    Ok(html(
        if account.is_some() {
            StatusCode::OK
        } else {
            StatusCode::NOT_FOUND
        },
        &ResetPage {
            layout: Layout::new("Set a new password", None, &csrf),
            handle: account.map(|a| a.handle),
            token,
            errors: Errors::default(),
        },
    ))
}

/// Sets the new password, then sends the member to sign in with it.
pub async fn reset(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    Path(token): Path<String>,
    form: Form,
) -> PageResult {
    let (t, password) = (token.clone(), form.get("password"));
    let done = state
        .run(
            move |app| match app.instance().reset_password(&t, &password) {
                Ok(_) => Ok(Ok(())),
                // Only the password was refused: the form comes back for the same account.
                Err(e @ AppError::Validation(_)) => {
                    let handle = app.instance().password_reset_account(&t)?.map(|a| a.handle);
                    Ok(Err((e, handle)))
                }
                Err(e) => Ok(Err((e, None))),
            },
        )
        .await?;
    match done {
        Ok(()) => Ok(Redirect::to("/signin?done=password-reset").into_response()),
        Err((e, handle)) => {
            let errors = Errors::from_app(e)?.sentences();
            Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ResetPage {
                    layout: Layout::new("Set a new password", None, &csrf),
                    handle,
                    token,
                    errors,
                },
            ))
        }
    }
}
