//! Home, sign-up, sign-in, sign-out and settings pages.

use super::render::{Errors, Layout, PageError, PageResult, html};
use super::{page_id, safe_next};
use crate::api::accounts::ClientAddr;
use crate::auth::PageCaller;
use crate::csrf::CsrfToken;
use crate::forms::Form;
use crate::{AppState, cookies};
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_app::accounts::{AttemptOrigin, RevokeTokens, SignInStep, SignUp};
use guildhall_app::home::{FrontPage, Waiting};
use guildhall_app::policy::Registration;
use guildhall_app::tokens::TokenInfo;
use guildhall_app::work::jobs::Pricing;
use guildhall_app::{AppError, PageRequest};
use guildhall_domain::community::Admission;
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    name: String,
    /// The operators' description, rendered from Markdown and sanitised.
    description: String,
    contact: String,
    front: FrontPage,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    layout: Layout,
    waiting: Waiting,
}

/// The front page: what the instance is, to a visitor; what waits for them, to a member.
pub async fn home(
    State(state): State<AppState>,
    caller: Option<PageCaller>,
    Extension(csrf): Extension<CsrfToken>,
) -> PageResult {
    if let Some(PageCaller(caller)) = caller {
        let account = caller.account.clone();
        let waiting = state
            .run(move |app| app.profiles().waiting(&account))
            .await?;
        return Ok(html(
            StatusCode::OK,
            &DashboardPage {
                layout: Layout::new("Home", Some(&caller), &csrf),
                waiting,
            },
        ));
    }
    let front = state.run(|app| app.profiles().front_page()).await?;
    let instance = &state.config.instance;
    Ok(html(
        StatusCode::OK,
        &HomePage {
            layout: Layout::new(instance.name.clone(), None, &csrf),
            name: instance.name.clone(),
            description: guildhall_domain::markdown::render(&instance.description).html,
            contact: instance.contact.clone(),
            front,
        },
    ))
}

#[derive(Template)]
#[template(path = "signup.html")]
struct SignUpPage {
    layout: Layout,
    handle: String,
    email: String,
    display_name: String,
    /// The invitation the visitor came with, carried through the form.
    invitation: String,
    /// Why nobody can sign up here now, instead of the form.
    closed: Option<&'static str>,
    errors: Errors,
}

/// Why the form is not offered, under the instance's policy.
fn closed_because(registration: Registration, invitation: &str) -> Option<&'static str> {
    match registration {
        Registration::Closed => {
            Some("This instance is not taking new members. Ask its operators for an account.")
        }
        Registration::Invitation if invitation.is_empty() => Some(
            "Joining this instance needs an invitation. Open the invitation link you were sent.",
        ),
        _ => None,
    }
}

/// The sign-up form (`?invitation=` carries an invitation through it).
pub async fn signup_page(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let policy = state.run(|app| app.instance().policy()).await?;
    let invitation = q.get("invitation").cloned().unwrap_or_default();
    Ok(html(
        StatusCode::OK,
        &SignUpPage {
            layout: Layout::new("Join", None, &csrf),
            handle: String::new(),
            email: String::new(),
            display_name: String::new(),
            closed: closed_because(policy.registration, &invitation),
            invitation,
            errors: Errors::default(),
        },
    ))
}

pub(super) fn session_cookies(
    state: &AppState,
    session: &str,
    device: Option<&str>,
) -> Vec<(header::HeaderName, header::HeaderValue)> {
    let secure = state.config.secure_cookies;
    let ttl = state.app.settings().session_ttl.as_secs() as i64;
    let mut out = vec![(
        header::SET_COOKIE,
        cookies::set(cookies::SESSION, session, ttl, "Lax", secure),
    )];
    if let Some(device) = device {
        out.push((
            header::SET_COOKIE,
            cookies::set(cookies::DEVICE, device, 400 * 24 * 3600, "Lax", secure),
        ));
    }
    out
}

pub(super) fn redirect_with_cookies(
    to: &str,
    set: Vec<(header::HeaderName, header::HeaderValue)>,
) -> Response {
    let mut response = Redirect::to(to).into_response();
    for (name, value) in set {
        response.headers_mut().append(name, value);
    }
    response
}

/// Creates an account and signs it in.
pub async fn signup(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    ClientAddr(address): ClientAddr,
    form: Form,
) -> PageResult {
    let input = SignUp {
        handle: form.get("handle"),
        email: form.get("email"),
        password: form.get("password"),
        display_name: form.opt("display_name"),
    };
    let origin = AttemptOrigin {
        address,
        device_token: None,
        device: device_of(&headers),
    };
    let invitation = form.get("invitation");
    let token = invitation.clone();
    let result = state
        .run(move |app| {
            let account = if token.is_empty() {
                app.accounts().sign_up(input.clone())?
            } else {
                app.accounts().sign_up_invited(input.clone(), &token)?
            };
            app.accounts()
                .sign_in(&account.handle, &input.password, &origin, None)
        })
        .await;
    // Someone invited goes on to the invitation, to accept it.
    let next = if invitation.is_empty() {
        "/me/profile?done=welcome".to_string()
    } else {
        format!(
            "/invitations/{}",
            percent_encoding::utf8_percent_encode(&invitation, percent_encoding::NON_ALPHANUMERIC)
        )
    };
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
            let errors = Errors::from_app(e)?;
            let page = SignUpPage {
                layout: Layout::new("Join", None, &csrf),
                handle: form.get("handle"),
                email: form.get("email"),
                display_name: form.get("display_name"),
                invitation,
                closed: None,
                errors,
            };
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}

#[derive(Template)]
#[template(path = "signin.html")]
struct SignInPage {
    layout: Layout,
    login: String,
    next: String,
    errors: Errors,
}

/// The sign-in form.
pub async fn signin_page(
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let next = safe_next(q.get("next").map_or("/", String::as_str));
    html(
        StatusCode::OK,
        &SignInPage {
            layout: Layout::new("Sign in", None, &csrf)
                .with_notice(q.get("done").map(String::as_str)),
            login: String::new(),
            next,
            errors: Errors::default(),
        },
    )
}

/// Adds an address, sends its link again, makes it the account's, or removes it (`action`).
pub async fn address(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    form: Form,
) -> PageResult {
    let (account, email) = (caller.account.clone(), form.get("email"));
    let action = form.get("action");
    let (result, done) = match action.as_str() {
        "add" => (
            state
                .run(move |app| app.accounts().add_address(&account, &email))
                .await,
            "address-added",
        ),
        "primary" => (
            state
                .run(move |app| app.accounts().make_primary(&account, &email))
                .await,
            "address-primary",
        ),
        "remove" => (
            state
                .run(move |app| app.accounts().remove_address(&account, &email))
                .await,
            "address-removed",
        ),
        _ => {
            return Err(PageError::bad_request(
                "Choose what to do with the address.",
            ));
        }
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/settings?done={done}#addresses")).into_response()),
        Err(e) => {
            let refused = Refused {
                errors: Errors::from_app(e)?,
                typed_email: if action == "add" {
                    form.get("email")
                } else {
                    String::new()
                },
                ..Refused::default()
            };
            settings_page(
                &state,
                &caller,
                &csrf,
                None,
                None,
                refused,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// Ends one of the member's other sessions.
pub async fn end_session(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<String>,
    _form: Form,
) -> PageResult {
    state
        .run(move |app| app.accounts().end_session(&caller.account, &id))
        .await?;
    Ok(Redirect::to("/settings?done=session-ended#where").into_response())
}

/// Signs out every other browser, and revokes the API tokens when asked.
pub async fn sign_out_everywhere(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    form: Form,
) -> PageResult {
    let revoke = if form.get("revoke_tokens") == "yes" {
        RevokeTokens::Yes
    } else {
        RevokeTokens::No
    };
    state
        .run(move |app| {
            app.accounts()
                .sign_out_everywhere(&caller.account, caller.session.as_deref(), revoke)
        })
        .await?;
    Ok(Redirect::to("/settings?done=signed-out-everywhere#where").into_response())
}

/// How the browser describes itself, kept with the session it starts.
pub(super) fn device_of(headers: &HeaderMap) -> String {
    headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// Signs in; a new session id replaces any the browser had.
pub async fn signin(
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
    let (login, password) = (form.get("login"), form.get("password"));
    let result = state
        .run(move |app| {
            app.accounts()
                .begin_sign_in(&login, &password, &origin, previous.as_deref())
        })
        .await;
    let next = safe_next(&form.get("next"));
    match result {
        Ok(SignInStep::Code(pending)) => Ok(super::second_factor::code_page(
            &csrf,
            pending,
            next,
            Errors::default(),
        )),
        Ok(SignInStep::Done(session)) => Ok(redirect_with_cookies(
            &next,
            session_cookies(
                &state,
                &session.session_token,
                session.device_token.as_deref(),
            ),
        )),
        Err(e) => {
            let status = match &e {
                AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
                AppError::Forbidden(_) => StatusCode::FORBIDDEN,
                _ => StatusCode::UNAUTHORIZED,
            };
            let errors = Errors::from_app(e)?.sentences();
            Ok(html(
                status,
                &SignInPage {
                    layout: Layout::new("Sign in", None, &csrf),
                    login: form.get("login"),
                    next,
                    errors,
                },
            ))
        }
    }
}

/// Signs out.
pub async fn signout(State(state): State<AppState>, headers: HeaderMap, _form: Form) -> PageResult {
    if let Some(session) = cookies::get(&headers, cookies::SESSION) {
        state
            .run(move |app| app.accounts().sign_out(&session))
            .await?;
    }
    Ok(redirect_with_cookies(
        "/",
        vec![(
            header::SET_COOKIE,
            cookies::clear(cookies::SESSION, state.config.secure_cookies),
        )],
    ))
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    layout: Layout,
    /// The sign-in address, and whether it is verified.
    email: String,
    email_verified: bool,
    tokens: Vec<TokenInfo>,
    /// Where the member is signed in.
    sessions: Vec<guildhall_app::accounts::SessionView>,
    /// The member's addresses, the account's first.
    addresses: Vec<guildhall_app::accounts::AddressView>,
    /// Whether two-factor sign-in is on.
    second_factor: guildhall_app::accounts::SecondFactorView,
    /// A refused address, typed again into its field.
    typed_email: String,
    new_token: Option<String>,
    errors: Errors,
    /// A refused token name, typed again into its field.
    token_name: String,
}

async fn settings_page(
    state: &AppState,
    caller: &crate::auth::Caller,
    csrf: &CsrfToken,
    notice: Option<&str>,
    new_token: Option<String>,
    errors: impl Into<Refused>,
    status: StatusCode,
) -> PageResult {
    let errors: Refused = errors.into();
    let account = caller.account.clone();
    let current = caller.session.clone();
    let (tokens, (sessions, addresses, second_factor)) = state
        .run(move |app| {
            let tokens = app.accounts().list_tokens(
                &account,
                &PageRequest {
                    cursor: None,
                    limit: Some(100),
                },
            )?;
            let sessions = app.accounts().sessions(&account, current.as_deref())?;
            let addresses = app.accounts().addresses(&account)?;
            let second_factor = app.accounts().second_factor(&account)?;
            Ok((tokens, (sessions, addresses, second_factor)))
        })
        .await?;
    let layout = Layout::new("Settings", Some(caller), csrf).with_notice(notice);
    Ok(html(
        status,
        &SettingsPage {
            layout,
            email: caller.account.email.clone(),
            email_verified: caller.account.email_verified,
            tokens: tokens.items,
            sessions,
            addresses,
            second_factor,
            typed_email: errors.typed_email.clone(),
            new_token,
            token_name: errors.typed_token_name.clone(),
            errors: errors.errors,
        },
    ))
}

/// What a refused settings form brings back: its errors, and the token name as typed (the
/// password fields are never sent back).
#[derive(Default)]
struct Refused {
    errors: Errors,
    typed_token_name: String,
    /// An address refused, as typed.
    typed_email: String,
}

impl From<Errors> for Refused {
    fn from(errors: Errors) -> Self {
        Refused {
            errors,
            ..Refused::default()
        }
    }
}

/// Password and API tokens.
pub async fn settings(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    settings_page(
        &state,
        &caller,
        &csrf,
        q.get("done").map(String::as_str),
        None,
        Errors::default(),
        StatusCode::OK,
    )
    .await
}

/// Changes the password.
pub async fn change_password(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    form: Form,
) -> PageResult {
    let (account, session) = (caller.account.clone(), caller.session.clone());
    let (current, new) = (form.get("current_password"), form.get("new_password"));
    let revoke = if form.get("revoke_tokens") == "yes" {
        RevokeTokens::Yes
    } else {
        RevokeTokens::No
    };
    match state
        .run(move |app| {
            app.accounts()
                .change_password(&account, &current, &new, session.as_deref(), revoke)
        })
        .await
    {
        Ok(()) => Ok(Redirect::to("/settings?done=password").into_response()),
        Err(e) => {
            settings_page(
                &state,
                &caller,
                &csrf,
                None,
                None,
                Errors::from_app(e)?,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// Creates an API token and shows its secret once.
pub async fn create_token(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    form: Form,
) -> PageResult {
    let account = caller.account.clone();
    let name = form.get("name");
    let typed = name.clone();
    match state
        .run(move |app| app.accounts().create_token(&account, &name))
        .await
    {
        Ok(created) => {
            settings_page(
                &state,
                &caller,
                &csrf,
                None,
                Some(created.token),
                Errors::default(),
                StatusCode::OK,
            )
            .await
        }
        Err(e) => {
            settings_page(
                &state,
                &caller,
                &csrf,
                None,
                None,
                Refused {
                    errors: Errors::from_app(e)?,
                    typed_token_name: typed,
                    ..Refused::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// Revokes an API token.
pub async fn revoke_token(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<String>,
    _form: Form,
) -> PageResult {
    let id = page_id(&id)?;
    state
        .run(move |app| app.accounts().revoke_token(&caller.account, &id))
        .await?;
    Ok(Redirect::to("/settings?done=token-revoked").into_response())
}
