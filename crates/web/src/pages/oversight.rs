//! The operators' pages for accounts: make or unmake operators, suspend and lift suspensions,
//! issue password-reset links, read the audit log, and publish the privacy policy and terms.

use super::render::{Errors, Layout, PageError, PageResult, html};
use crate::AppState;
use crate::auth::{Caller, PageCaller};
use crate::csrf::CsrfToken;
use crate::forms::Form;
use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use guildhall_app::oversight::{Actor, AuditEntry, MAX_REASON_CHARS, Oversight};
use guildhall_app::page::PageRequest;
use guildhall_app::site_texts::{MAX_SITE_TEXT_CHARS, SiteText};
use std::collections::HashMap;

/// Refuses anyone but an operator, in words.
pub fn operators_only(caller: &Caller) -> Result<Actor, PageError> {
    Actor::operator(&caller.account)
        .map_err(|_| PageError::forbidden("Only the operators of this instance use this page."))
}

/// What the accounts form can do, with the words on its choices.
const ACTIONS: [(&str, &str); 5] = [
    ("suspend", "Suspend"),
    ("unsuspend", "Lift a suspension"),
    ("reset", "Issue a password-reset link"),
    ("promote", "Make an operator"),
    ("demote", "Stop being an operator"),
];

#[derive(Template)]
#[template(path = "admin_accounts.html")]
struct AccountsPage {
    layout: Layout,
    oversight: Oversight,
    handle: String,
    action: String,
    reason: String,
    /// A fresh reset link to hand over, shown once.
    reset_link: Option<String>,
    errors: Errors,
}

impl AccountsPage {
    fn actions(&self) -> Vec<(&'static str, &'static str, bool)> {
        ACTIONS
            .iter()
            .map(|(value, label)| (*value, *label, self.action == *value))
            .collect()
    }

    fn max_reason(&self) -> usize {
        MAX_REASON_CHARS
    }

    fn since(&self, ms: &i64) -> String {
        guildhall_domain::calendar::format_local(*ms, "UTC")
    }
}

/// What the accounts page shows besides the lists: a notice, the form as typed with its
/// errors, or a fresh reset link.
#[derive(Default)]
struct Outcome<'a> {
    notice: Option<&'a str>,
    form: Option<&'a Form>,
    reset_link: Option<String>,
    errors: Errors,
}

async fn accounts_page(
    state: &AppState,
    caller: &Caller,
    csrf: &CsrfToken,
    actor: Actor,
    outcome: Outcome<'_>,
) -> PageResult {
    let oversight = state
        .run(move |app| app.instance().oversight(&actor))
        .await?;
    let form = outcome.form;
    let field = |name: &str| form.map(|f| f.get(name)).unwrap_or_default();
    let page = AccountsPage {
        layout: Layout::new("Accounts", Some(caller), csrf).with_notice(outcome.notice),
        oversight,
        handle: field("handle"),
        action: form.map_or_else(|| "suspend".into(), |f| f.get("action")),
        reason: field("reason"),
        reset_link: outcome.reset_link,
        errors: outcome.errors,
    };
    Ok(html(
        page.errors.status(StatusCode::UNPROCESSABLE_ENTITY),
        &page,
    ))
}

/// The accounts page.
pub async fn accounts(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let actor = operators_only(&caller)?;
    let notice = q.get("done").map(String::as_str);
    let outcome = Outcome {
        notice,
        ..Outcome::default()
    };
    accounts_page(&state, &caller, &csrf, actor, outcome).await
}

/// Takes one action on an account.
pub async fn act_on_account(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    form: Form,
) -> PageResult {
    let actor = operators_only(&caller)?;
    let (handle, reason, action) = (form.get("handle"), form.get("reason"), form.get("action"));
    let by = actor.clone();
    let done = state
        .run(move |app| {
            let (h, r) = (handle.as_str(), reason.as_str());
            // What was done, and for a reset the link's token to hand over.
            match action.as_str() {
                "promote" => app
                    .instance()
                    .promote(&by, h, r)
                    .map(|_| ("promoted", None)),
                "demote" => app.instance().demote(&by, h, r).map(|_| ("demoted", None)),
                "suspend" => app
                    .instance()
                    .suspend(&by, h, r)
                    .map(|_| ("suspended", None)),
                "unsuspend" => app
                    .instance()
                    .unsuspend(&by, h, r)
                    .map(|_| ("unsuspended", None)),
                "reset" => app
                    .instance()
                    .issue_password_reset(&by, h, r)
                    .map(|token| ("reset", Some(token))),
                _ => Err(guildhall_app::AppError::field(
                    "/action",
                    "choose what to do",
                )),
            }
        })
        .await;
    match done {
        // The link is shown once, on this answer; it never travels in a URL of ours.
        Ok((_, Some(token))) => {
            let link = format!("{}/reset-password/{token}", state.config.public_url);
            let outcome = Outcome {
                reset_link: Some(link),
                ..Outcome::default()
            };
            accounts_page(&state, &caller, &csrf, actor, outcome).await
        }
        Ok((code, None)) => {
            Ok(Redirect::to(&format!("/admin/accounts?done={code}")).into_response())
        }
        Err(e) => {
            let outcome = Outcome {
                form: Some(&form),
                errors: Errors::from_app(e)?.sentences(),
                ..Outcome::default()
            };
            accounts_page(&state, &caller, &csrf, actor, outcome).await
        }
    }
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    layout: Layout,
    entries: Vec<AuditEntry>,
    next: Option<String>,
}

/// The audit log, newest first, 50 a page.
pub async fn audit_log(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let actor = operators_only(&caller)?;
    let request = PageRequest {
        cursor: q.get("after").cloned(),
        limit: Some(50),
    };
    let page = state
        .run(move |app| app.instance().audit_log(&actor, &request))
        .await
        .map_err(|e| match e {
            guildhall_app::AppError::Validation(_) => PageError::bad_request(
                "That page of the log does not exist. Start again from the newest entries.",
            ),
            other => other.into(),
        })?;
    Ok(html(
        StatusCode::OK,
        &AuditPage {
            layout: Layout::new("Audit log", Some(&caller), &csrf),
            entries: page.items,
            next: page.next_cursor,
        },
    ))
}

#[derive(Template)]
#[template(path = "admin_texts.html")]
struct TextsPage {
    layout: Layout,
    privacy: String,
    terms: String,
    errors: Errors,
}

impl TextsPage {
    fn max_chars(&self) -> usize {
        MAX_SITE_TEXT_CHARS
    }
}

/// The privacy policy and terms, to edit.
pub async fn texts(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    operators_only(&caller)?;
    let (privacy, terms) = state
        .run(|app| {
            Ok((
                app.instance()
                    .site_text(SiteText::PrivacyPolicy)?
                    .unwrap_or_default(),
                app.instance()
                    .site_text(SiteText::Terms)?
                    .unwrap_or_default(),
            ))
        })
        .await?;
    let layout = Layout::new("Privacy policy and terms", Some(&caller), &csrf)
        .with_notice(q.get("done").map(String::as_str));
    Ok(html(
        StatusCode::OK,
        &TextsPage {
            layout,
            privacy,
            terms,
            errors: Errors::default(),
        },
    ))
}

/// Publishes both texts.
pub async fn publish_texts(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    form: Form,
) -> PageResult {
    let actor = operators_only(&caller)?;
    let (privacy, terms) = (form.get("privacy"), form.get("terms"));
    let (p, t) = (privacy.clone(), terms.clone());
    let done = state
        .run(move |app| {
            app.instance().publish_site_texts(
                &actor,
                &[(SiteText::PrivacyPolicy, &p), (SiteText::Terms, &t)],
            )
        })
        .await;
    match done {
        Ok(()) => Ok(Redirect::to("/admin/texts?done=texts-published").into_response()),
        Err(e) => Ok(html(
            StatusCode::UNPROCESSABLE_ENTITY,
            &TextsPage {
                layout: Layout::new("Privacy policy and terms", Some(&caller), &csrf),
                privacy,
                terms,
                errors: Errors::from_app(e)?.sentences(),
            },
        )),
    }
}
