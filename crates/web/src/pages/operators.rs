//! The operators' desk: the communities whose curation the operators trust, who may join the
//! instance, and how fast anyone may call its API.

use super::oversight::operators_only;
use super::render::{Errors, Layout, PageError, PageResult, html, sentence};
use crate::AppState;
use crate::auth::{Caller, PageCaller};
use crate::csrf::CsrfToken;
use crate::forms::Form;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use guildhall_app::AppError;
use guildhall_app::operators::VettingRow;
use guildhall_app::policy::{Policy, Registration};
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "admin.html")]
struct DeskPage {
    layout: Layout,
    communities: Vec<VettingRow>,
    /// The policy form's values: as stored, or as typed when they were refused.
    registration: String,
    per_token: String,
    per_address: String,
    errors: Errors,
}

impl DeskPage {
    fn registration_choices(&self) -> [(&'static str, &'static str, bool); 3] {
        [
            ("open", "Anyone may sign up", self.registration == "open"),
            (
                "invitation",
                "Only people invited to one of the communities",
                self.registration == "invitation",
            ),
            (
                "closed",
                "Nobody (operators create accounts)",
                self.registration == "closed",
            ),
        ]
    }
}

fn registration_name(r: Registration) -> &'static str {
    match r {
        Registration::Open => "open",
        Registration::Invitation => "invitation",
        Registration::Closed => "closed",
    }
}

async fn desk_page(
    state: &AppState,
    caller: &Caller,
    csrf: &CsrfToken,
    notice: Option<&str>,
    form: Option<(&Form, Errors)>,
) -> PageResult {
    let who = caller.account.clone();
    let (communities, policy) = state
        .run(move |app| Ok((app.instance().vetting_list(&who)?, app.instance().policy()?)))
        .await?;
    let layout = Layout::new("Operators’ desk", Some(caller), csrf).with_notice(notice);
    let (status, page) = match form {
        Some((form, errors)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            DeskPage {
                layout,
                communities,
                registration: form.get("registration"),
                per_token: form.get("per_token"),
                per_address: form.get("per_address"),
                errors,
            },
        ),
        None => (
            StatusCode::OK,
            DeskPage {
                layout,
                communities,
                registration: registration_name(policy.registration).into(),
                per_token: policy.api_calls_per_minute_per_token.to_string(),
                per_address: policy.api_calls_per_minute_per_address.to_string(),
                errors: Errors::default(),
            },
        ),
    };
    Ok(html(status, &page))
}

/// The desk.
pub async fn desk(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    operators_only(&caller)?;
    desk_page(
        &state,
        &caller,
        &csrf,
        q.get("done").map(String::as_str),
        None,
    )
    .await
}

/// Changes who may join and the API's rate limits.
pub async fn set_policy(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    form: Form,
) -> PageResult {
    operators_only(&caller)?;
    let mut errors = Errors::default();
    let registration = match form.get("registration").as_str() {
        "open" => Registration::Open,
        "invitation" => Registration::Invitation,
        "closed" => Registration::Closed,
        _ => {
            errors
                .0
                .push(("registration".into(), "Choose who may join.".into()));
            Registration::Open
        }
    };
    let mut number = |field: &str| -> u32 {
        form.get(field).trim().parse().unwrap_or_else(|_| {
            errors.0.push((
                field.into(),
                "Write a whole number of calls, such as 600.".into(),
            ));
            0
        })
    };
    let policy = Policy {
        registration,
        api_calls_per_minute_per_token: number("per_token"),
        api_calls_per_minute_per_address: number("per_address"),
    };
    if !errors.0.is_empty() {
        return desk_page(&state, &caller, &csrf, None, Some((&form, errors))).await;
    }
    let who = caller.account.clone();
    match state
        .run(move |app| app.instance().set_policy(&who, policy))
        .await
    {
        Ok(_) => Ok(Redirect::to("/admin?done=policy").into_response()),
        Err(e) => {
            // The use case names the fields by their API names; the form's are shorter.
            let errors = Errors(
                Errors::from_app(e)?
                    .0
                    .into_iter()
                    .map(|(path, message)| {
                        let field = if path.ends_with("per_token") {
                            "per_token"
                        } else if path.ends_with("per_address") {
                            "per_address"
                        } else {
                            ""
                        };
                        (field.to_string(), sentence(message))
                    })
                    .collect(),
            );
            desk_page(&state, &caller, &csrf, None, Some((&form, errors))).await
        }
    }
}

/// Vets a community, or stops.
pub async fn vet(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(slug): Path<String>,
    form: Form,
) -> PageResult {
    operators_only(&caller)?;
    let vetted = form.get("vetted") == "yes";
    let who = caller.account.clone();
    match state
        .run(move |app| app.instance().set_vetted(&who, &slug, vetted))
        .await
    {
        Ok(_) => {
            let done = if vetted { "vetted" } else { "unvetted" };
            Ok(Redirect::to(&format!("/admin?done={done}")).into_response())
        }
        Err(AppError::NotFound) => Err(PageError::not_found()),
        Err(e) => Err(e.into()),
    }
}
