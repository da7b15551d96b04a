//! Pages for an address's verification and a forgotten password: the link mailed at sign-up,
//! sending it again, and asking for a reset link.

use super::render::{Errors, Layout, PageError, PageResult, html};
use crate::AppState;
use crate::api::accounts::ClientAddr;
use crate::api::verification::RESET_ANSWER;
use crate::auth::{Caller, PageCaller};
use crate::csrf::CsrfToken;
use crate::forms::Form;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};

#[derive(Template)]
#[template(path = "forgot_password.html")]
struct ForgotPage {
    layout: Layout,
    /// The address as typed.
    email: String,
    errors: Errors,
    /// The answer, once asked.
    answer: Option<&'static str>,
}

/// The form asking for a reset link.
pub async fn forgot_page(
    caller: Option<PageCaller>,
    Extension(csrf): Extension<CsrfToken>,
) -> PageResult {
    let caller: Option<Caller> = caller.map(|c| c.0);
    Ok(html(
        StatusCode::OK,
        &ForgotPage {
            layout: Layout::new("Forgot your password?", caller.as_ref(), &csrf),
            email: String::new(),
            errors: Errors::default(),
            answer: None,
        },
    ))
}

/// Asks for a reset link: the same answer whether an account has the address or not.
pub async fn forgot(
    State(state): State<AppState>,
    caller: Option<PageCaller>,
    Extension(csrf): Extension<CsrfToken>,
    ClientAddr(address): ClientAddr,
    form: Form,
) -> PageResult {
    let caller: Option<Caller> = caller.map(|c| c.0);
    let email = form.get("email");
    let typed = email.clone();
    let outcome = state
        .run(move |app| app.accounts().request_password_reset(&email, &address))
        .await;
    let layout = Layout::new("Forgot your password?", caller.as_ref(), &csrf);
    let (status, errors, answer) = match outcome {
        Ok(()) => (StatusCode::OK, Errors::default(), Some(RESET_ANSWER)),
        Err(e) => {
            let status = match &e {
                guildhall_app::AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            (status, Errors::from_app(e)?, None)
        }
    };
    Ok(html(
        status,
        &ForgotPage {
            layout,
            email: typed,
            errors,
            answer,
        },
    ))
}

#[derive(Template)]
#[template(path = "verify_email.html")]
struct VerifyPage {
    layout: Layout,
    /// The address verified; `None` when the link did not work.
    verified: Option<String>,
}

/// Opens the link mailed to an address: verifies it.
pub async fn verify(
    State(state): State<AppState>,
    caller: Option<PageCaller>,
    Extension(csrf): Extension<CsrfToken>,
    Path(token): Path<String>,
) -> PageResult {
    let caller: Option<Caller> = caller.map(|c| c.0);
    let outcome = state
        .run(move |app| app.accounts().verify_email(&token))
        .await;
    let (status, verified) = match outcome {
        Ok(account) => (StatusCode::OK, Some(account.email)),
        Err(guildhall_app::AppError::Forbidden(_)) => (StatusCode::NOT_FOUND, None),
        Err(e) => return Err(PageError::from(e)),
    };
    Ok(html(
        status,
        &VerifyPage {
            layout: Layout::new("Your address", caller.as_ref(), &csrf),
            verified,
        },
    ))
}

/// Sends the link again, from the settings page.
pub async fn resend(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    _form: Form,
) -> PageResult {
    let account = caller.account.clone();
    let done = match state
        .run(move |app| app.accounts().resend_verification(&account))
        .await
    {
        Ok(()) => "verification-sent",
        Err(guildhall_app::AppError::RateLimited { .. }) => "verification-refused",
        Err(guildhall_app::AppError::Conflict { .. }) => "verified",
        Err(e) => return Err(PageError::from(e)),
    };
    Ok(Redirect::to(&format!("/settings?done={done}")).into_response())
}
