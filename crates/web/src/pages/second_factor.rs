//! Two-factor sign-in on pages: the code asked for after the password, and setting up,
//! turning on and turning off an authenticator app in the settings.

use super::account::{device_of, redirect_with_cookies, session_cookies};
use super::render::{Errors, Layout, PageResult, html};
use super::safe_next;
use crate::AppState;
use crate::api::accounts::ClientAddr;
use crate::auth::PageCaller;
use crate::cookies;
use crate::csrf::CsrfToken;
use crate::forms::Form;
use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_app::AppError;
use guildhall_app::accounts::{AttemptOrigin, SetUp};

#[derive(Template)]
#[template(path = "signin_code.html")]
struct CodePage {
    layout: Layout,
    pending: String,
    next: String,
    errors: Errors,
}

/// The form asking for the code, after the password matched.
pub(super) fn code_page(
    csrf: &CsrfToken,
    pending: String,
    next: String,
    errors: Errors,
) -> Response {
    let status = errors.status(StatusCode::UNAUTHORIZED);
    html(
        if errors.0.is_empty() {
            StatusCode::OK
        } else {
            status
        },
        &CodePage {
            layout: Layout::new("Enter your code", None, csrf),
            pending,
            next,
            errors,
        },
    )
}

/// Finishes a sign-in with the code.
pub async fn signin_code(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    ClientAddr(address): ClientAddr,
    form: Form,
) -> PageResult {
    let origin = AttemptOrigin {
        address,
        device_token: cookies::get(&headers, cookies::DEVICE),
        device: device_of(&headers),
    };
    let previous = cookies::get(&headers, cookies::SESSION);
    let (pending, code) = (form.get("pending"), form.get("code"));
    let next = safe_next(&form.get("next"));
    let result = state
        .run(move |app| {
            app.accounts()
                .finish_sign_in(&pending, &code, &origin, previous.as_deref())
        })
        .await;
    match result {
        Ok(session) => Ok(redirect_with_cookies(
            &next,
            session_cookies(
                &state,
                &session.session_token,
                session.device_token.as_deref(),
            ),
        )),
        Err(e) => {
            let rate_limited = matches!(e, AppError::RateLimited { .. });
            let errors = Errors::from_app(e)?;
            let mut page = code_page(&csrf, form.get("pending"), next, errors);
            if rate_limited {
                *page.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            }
            Ok(page)
        }
    }
}

#[derive(Template)]
#[template(path = "second_factor.html")]
struct SetUpPage {
    layout: Layout,
    setup: Option<SetUp>,
    codes: Vec<String>,
    errors: Errors,
}

fn setup_page(
    caller: &crate::auth::Caller,
    csrf: &CsrfToken,
    setup: Option<SetUp>,
    codes: Vec<String>,
    errors: Errors,
) -> Response {
    html(
        errors.status(StatusCode::UNPROCESSABLE_ENTITY),
        &SetUpPage {
            layout: Layout::new("Two-factor sign-in", Some(caller), csrf),
            setup,
            codes,
            errors,
        },
    )
}

/// Makes a new key and shows it, with the form for a first code.
pub async fn start(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    _form: Form,
) -> PageResult {
    let account = caller.account.clone();
    let setup = state
        .run(move |app| app.accounts().start_second_factor(&account))
        .await?;
    Ok(setup_page(
        &caller,
        &csrf,
        Some(setup),
        Vec::new(),
        Errors::default(),
    ))
}

/// Turns it on with a first code, and shows the recovery codes once.
pub async fn confirm(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    form: Form,
) -> PageResult {
    let (account, code) = (caller.account.clone(), form.get("code"));
    match state
        .run(move |app| app.accounts().confirm_second_factor(&account, &code))
        .await
    {
        Ok(codes) => Ok(setup_page(&caller, &csrf, None, codes, Errors::default())),
        Err(e) => {
            let errors = Errors::from_app(e)?;
            // The key being set up, shown again beside the refusal.
            let setup = SetUp {
                secret: form.get("secret"),
                uri: form.get("uri"),
            };
            Ok(setup_page(&caller, &csrf, Some(setup), Vec::new(), errors))
        }
    }
}

/// The form to turn it off.
pub async fn off_page(
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
) -> PageResult {
    Ok(setup_page(
        &caller,
        &csrf,
        None,
        Vec::new(),
        Errors::default(),
    ))
}

/// Turns it off, after the password.
pub async fn disable(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    form: Form,
) -> PageResult {
    let (account, password) = (caller.account.clone(), form.get("password"));
    match state
        .run(move |app| app.accounts().disable_second_factor(&account, &password))
        .await
    {
        Ok(()) => Ok(Redirect::to("/settings?done=second-factor-off#two-factor").into_response()),
        Err(e) => Ok(setup_page(
            &caller,
            &csrf,
            None,
            Vec::new(),
            Errors::from_app(e)?,
        )),
    }
}
