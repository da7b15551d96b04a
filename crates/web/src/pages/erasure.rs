//! Deleting one's account on pages (`/me/erase`): what goes and what stays, what must happen
//! first, and the form that asks for the password once more.

use super::render::{Errors, Layout, PageResult, html};
use crate::AppState;
use crate::auth::{Caller, PageCaller};
use crate::cookies;
use crate::csrf::CsrfToken;
use crate::forms::Form;
use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::{StatusCode, header};
use guildhall_app::accounts::{EraseAccount, PassedOn};

#[derive(Template)]
#[template(path = "erase.html")]
struct ErasePage {
    layout: Layout,
    blockers: Vec<String>,
    revoke_credentials: bool,
    errors: Errors,
}

#[derive(Template)]
#[template(path = "erased.html")]
struct ErasedPage {
    layout: Layout,
    handle: String,
    passed: Vec<PassedOn>,
    credentials_revoked: usize,
}

async fn page(
    state: &AppState,
    caller: &Caller,
    csrf: &CsrfToken,
    revoke_credentials: bool,
    errors: Errors,
) -> PageResult {
    let who = caller.account.clone();
    let blockers = state
        .run(move |app| app.accounts().erasure_blockers(&who))
        .await?;
    let layout = Layout::new("Delete your account", Some(caller), csrf);
    let status = errors.status(StatusCode::UNPROCESSABLE_ENTITY);
    Ok(html(
        status,
        &ErasePage {
            layout,
            blockers,
            revoke_credentials,
            errors,
        },
    ))
}

/// The page.
pub async fn show(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
) -> PageResult {
    page(&state, &caller, &csrf, false, Errors::default()).await
}

/// Erases the account, then shows what happened to a browser that is no longer signed in.
pub async fn erase(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    form: Form,
) -> PageResult {
    let input = EraseAccount {
        password: form.get("password"),
        revoke_credentials: form.get("revoke_credentials") == "yes",
    };
    let revoke = input.revoke_credentials;
    let who = caller.account.clone();
    match state
        .run(move |app| app.accounts().erase_account(&who, &input))
        .await
    {
        Ok(erased) => {
            let done = ErasedPage {
                layout: Layout::new("Your account is deleted", None, &csrf),
                handle: erased.handle,
                passed: erased.communities_passed,
                credentials_revoked: erased.credentials_revoked,
            };
            let mut response = html(StatusCode::OK, &done);
            response.headers_mut().append(
                header::SET_COOKIE,
                cookies::clear(cookies::SESSION, state.config.secure_cookies),
            );
            Ok(response)
        }
        Err(e) => page(&state, &caller, &csrf, revoke, Errors::from_app(e)?).await,
    }
}
