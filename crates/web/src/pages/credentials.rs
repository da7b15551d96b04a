//! The member's wallet (`/me/credentials`): credentials they may ask for and those they hold,
//! to download, share by link or revoke; and the page anyone with a shared link sees
//! (`/credentials/shared/{token}`), with the credential checked there and then.

use super::page_id;
use super::render::{Errors, Layout, PageError, PageResult, html, when};
use super::view_model::{AudienceChoice, audience_choices};
use crate::AppState;
use crate::auth::{Caller, PageCaller};
use crate::csrf::CsrfToken;
use crate::did::signer;
use crate::forms::Form;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_app::AppError;
use guildhall_app::credentials::{Credential, CredentialRequest, Requestable, RevokeInput};
use guildhall_domain::AudienceSet;
use guildhall_domain::credentials::badge::Kind;
use guildhall_domain::credentials::{Outcome, Report};
use serde_json::Value;
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "credentials.html")]
struct WalletPage {
    layout: Layout,
    held: Vec<Credential>,
    requestable: Vec<Requestable>,
    /// Whether others' credentials may name the member.
    naming: bool,
    public_url: String,
    /// The credential a refused form was about, and what was typed.
    failing: String,
    typed: Form,
    errors: Errors,
}

impl WalletPage {
    fn issued_on(&self, c: &Credential) -> String {
        when(&c.issued_at)
    }

    /// What may still be asked for: not held already.
    fn to_ask(&self) -> Vec<&Requestable> {
        self.requestable
            .iter()
            .filter(|r| r.held.is_none())
            .collect()
    }

    /// The audience checkboxes for showing `c` on the profile, as now (or as typed).
    fn audience_choices(&self, c: &Credential) -> Vec<AudienceChoice> {
        let shown = if self.failing == c.id {
            self.typed.all("audiences")
        } else {
            c.shown_to.clone()
        };
        audience_choices(&AudienceSet::from_storage(&shown.join(" ")))
    }

    /// Whom `c` is shown to, in words.
    fn shown_words(&self, c: &Credential) -> String {
        AudienceSet::from_storage(&c.shown_to.join(" "))
            .iter()
            .map(|a| a.label())
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn reason_typed(&self, id: &str) -> String {
        if self.failing == id {
            self.typed.get("reason")
        } else {
            String::new()
        }
    }

    fn reason_error(&self, id: &str) -> String {
        if self.failing == id {
            self.errors.about("reason", "The reason")
        } else {
            String::new()
        }
    }
}

async fn wallet_page(
    state: &AppState,
    caller: &Caller,
    csrf: &CsrfToken,
    notice: Option<&str>,
    (failing, typed): (String, Form),
    errors: Errors,
) -> PageResult {
    let who = caller.account.clone();
    let (held, requestable, naming) = state
        .run(move |app| {
            Ok((
                app.credentials().mine(&who)?,
                app.credentials().requestable(&who)?,
                app.credentials().naming(&who)?,
            ))
        })
        .await?;
    let status = errors.status(StatusCode::UNPROCESSABLE_ENTITY);
    let layout = Layout::new("Your credentials", Some(caller), csrf).with_notice(notice);
    Ok(html(
        status,
        &WalletPage {
            layout,
            held,
            requestable,
            naming,
            public_url: state.config.public_url.clone(),
            failing,
            typed,
            errors,
        },
    ))
}

/// The wallet.
pub async fn wallet(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let notice = q.get("done").map(String::as_str);
    let none = (String::new(), Form::default());
    wallet_page(&state, &caller, &csrf, notice, none, Errors::default()).await
}

/// Asks for a credential, shares one, stops sharing it or revokes it, as the form's `action`
/// says.
pub async fn act(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    form: Form,
) -> PageResult {
    let signer = signer(&state).map_err(|e| PageError::bad_request(e.detail().to_string()))?;
    let (who, f) = (caller.account.clone(), form.clone());
    let result = state
        .run(move |app| {
            let id = || page_id(&f.get("credential")).map_err(|_| AppError::NotFound);
            match f.get("action").as_str() {
                "request" => {
                    let kind = Kind::parse(&f.get("kind")).ok_or(AppError::NotFound)?;
                    let ask = CredentialRequest {
                        kind,
                        about: f.get("about"),
                    };
                    app.credentials()
                        .request(&who, &signer, &ask)
                        .map(|_| "credential-issued")
                }
                "share" => app
                    .credentials()
                    .share(&who, &id()?)
                    .map(|_| "credential-shared"),
                "unshare" => app
                    .credentials()
                    .unshare(&who, &id()?)
                    .map(|_| "credential-unshared"),
                "show" => app
                    .credentials()
                    .show_on_profile(&who, &id()?, f.all("audiences"))
                    .map(|_| "credential-shown"),
                "naming" => app
                    .credentials()
                    .set_naming(&who, f.get("allowed") == "yes")
                    .map(|_| "naming-saved"),
                "revoke" => {
                    let reason = RevokeInput {
                        reason: f.get("reason"),
                    };
                    app.credentials()
                        .revoke(&who, &id()?, &reason)
                        .map(|_| "credential-revoked")
                }
                _ => Err(AppError::NotFound),
            }
        })
        .await;
    match result {
        Ok(done) => Ok(Redirect::to(&format!("/me/credentials?done={done}")).into_response()),
        Err(e) => {
            let errors = Errors::from_app(e)?.sentences();
            let failing = form.get("credential");
            wallet_page(&state, &caller, &csrf, None, (failing, form), errors).await
        }
    }
}

/// One of the member's credentials as a file to keep or hand over.
pub async fn download(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    let id = page_id(&raw)?;
    let who = caller.account.clone();
    let c = state
        .run(move |app| app.credentials().one(&who, &id))
        .await?;
    Ok(json_file(&c))
}

/// A credential as a JSON download named after it.
fn json_file(c: &Credential) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"credential-{}.json\"", c.id),
            ),
        ],
        serde_json::to_string_pretty(&c.document).unwrap_or_default(),
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "credential_shared.html")]
struct SharedPage {
    layout: Layout,
    c: Credential,
    report: Report,
    token: String,
}

impl SharedPage {
    fn text(&self, pointer: &str) -> String {
        self.c
            .document
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    }

    fn skills(&self) -> Vec<String> {
        self.c
            .document
            .pointer("/credentialSubject/achievement/tag")
            .and_then(Value::as_array)
            .map(|t| {
                t.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn evidence_count(&self) -> usize {
        self.c.document["evidence"]
            .as_array()
            .map_or(0, |e| e.len())
    }

    fn issued_on(&self) -> String {
        when(&self.c.issued_at)
    }

    fn passed(&self, outcome: &Outcome) -> bool {
        *outcome == Outcome::Passed
    }

    fn skipped(&self, outcome: &Outcome) -> bool {
        *outcome == Outcome::Skipped
    }

    fn check_words(&self, check: &str) -> &'static str {
        match check {
            "issuer" => "Issuer",
            "signature" => "Signature",
            "dates" => "Dates",
            "status" => "Not revoked",
            _ => "Evidence",
        }
    }
}

/// A credential shared by link, checked now, for anyone with the link.
pub async fn shared(
    State(state): State<AppState>,
    caller: Option<PageCaller>,
    Extension(csrf): Extension<CsrfToken>,
    Path(token): Path<String>,
) -> PageResult {
    let caller: Option<Caller> = caller.map(|PageCaller(c)| c);
    let signer = signer(&state).map_err(|_| PageError::not_found())?;
    let t = token.clone();
    let (c, report) = state
        .run(move |app| {
            let c = app.credentials().shared(&t)?;
            let report = app.credentials().verify(&signer, &c.document)?;
            Ok((c, report))
        })
        .await?;
    let layout = Layout::new(c.name.clone(), caller.as_ref(), &csrf);
    Ok(html(
        StatusCode::OK,
        &SharedPage {
            layout,
            c,
            report,
            token,
        },
    ))
}

/// A shared credential as a file.
pub async fn shared_download(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let c = state
        .run(move |app| app.credentials().shared(&token))
        .await?;
    Ok(json_file(&c))
}
