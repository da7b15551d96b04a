//! The forms inside a community page beyond joining, posting and events: settings, roles,
//! moderation and reports, mentoring and learning resources. Each posts, runs one use case and
//! returns to the page with a notice, or shows the page again with what went wrong.

use super::communities::{after, community_input, refused, slug, thread_page, words};
use super::item_form::parse_amount;
use super::page_id;
use super::render::{Errors, PageResult};
use crate::AppState;
use crate::auth::PageCaller;
use crate::csrf::CsrfToken;
use crate::forms::Form;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use guildhall_app::AppError;
use guildhall_app::communities::assessments::AssessmentInput;
use guildhall_app::communities::discussions::Moderation;
use guildhall_app::communities::learning::ResourceInput;
use guildhall_app::communities::mentoring::{Format, OfferInput, RequestInput, SessionInput};
use guildhall_domain::account::Handle;
use guildhall_domain::community::Role;

/// A handle from a path, or not found.
fn handle(raw: &str) -> Result<String, AppError> {
    Handle::parse(raw)
        .map(|h| h.as_str().to_string())
        .map_err(|_| AppError::NotFound)
}

/// Changes the community's settings (owners).
pub async fn settings(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(raw): Path<String>,
    form: Form,
) -> PageResult {
    let slug = slug(&raw)?;
    let input = community_input(&form, slug.clone());
    let (account, s) = (caller.account.clone(), slug.clone());
    let result = state
        .run(move |app| {
            app.communities()
                .edit_community(&account, &s, input)
                .map(|_| "setting-saved")
        })
        .await;
    after(&state, &caller, &csrf, slug, result).await
}

/// Changes a member's role, or removes them with a reason (staff).
pub async fn member(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path((raw, who)): Path<(String, String)>,
    form: Form,
) -> PageResult {
    let slug = slug(&raw)?;
    if form.get("action") == "assess" {
        return assess(&state, &caller, &csrf, slug, who, form).await;
    }
    let (account, s) = (caller.account.clone(), slug.clone());
    let result = state
        .run(move |app| {
            let target = handle(&who)?;
            if form.get("action") == "remove" {
                return app
                    .communities()
                    .remove_community_member(&account, &s, &target, &form.get("reason"))
                    .map(|_| "member-removed");
            }
            let role = Role::parse(&form.get("role")).ok_or(AppError::NotFound)?;
            app.communities()
                .set_community_role(&account, &s, &target, role)
                .map(|_| "role-saved")
        })
        .await;
    after(&state, &caller, &csrf, slug, result).await
}

/// Records a curator's assessment of a member's skill; a refused form comes back as typed.
async fn assess(
    state: &AppState,
    caller: &crate::auth::Caller,
    csrf: &CsrfToken,
    slug: String,
    member: String,
    form: Form,
) -> PageResult {
    let input = AssessmentInput {
        member,
        skill: form.get("skill"),
        note: form.get("note"),
    };
    let (account, s) = (caller.account.clone(), slug.clone());
    match state
        .run(move |app| app.communities().assess_skill(&account, &s, &input))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/c/{slug}?done=skill-assessed")).into_response()),
        Err(e) => refused(state, caller, csrf, slug, e, ("assess", form)).await,
    }
}

/// Pins, locks or hides a post (curators), or reports it (members); back to its thread.
pub async fn post_action(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path((raw, id)): Path<(String, String)>,
    form: Form,
) -> PageResult {
    let (slug, id) = (slug(&raw)?, page_id(&id)?);
    let thread = page_id(&form.get("thread"))?;
    let (account, s) = (caller.account.clone(), slug.clone());
    let result = state
        .run(move |app| {
            let reason = form.get("reason");
            let action = match form.get("action").as_str() {
                "report" => return app.communities().report_post(&account, &s, &id, &reason),
                "pin" => Moderation::Pin,
                "unpin" => Moderation::Unpin,
                "lock" => Moderation::Lock,
                "unlock" => Moderation::Unlock,
                "hide" => Moderation::Hide,
                "unhide" => Moderation::Unhide,
                _ => return Err(AppError::NotFound),
            };
            app.communities()
                .moderate_post(&account, &s, &id, action, &reason)
        })
        .await;
    match result {
        Ok(()) => {
            Ok(Redirect::to(&format!("/c/{slug}/t/{thread}?done=post-updated")).into_response())
        }
        Err(e) => {
            let errors = Errors::from_app(e)?;
            let typed = String::new();
            thread_page(
                &state,
                Some(&caller),
                &csrf,
                (slug, thread),
                None,
                errors,
                typed,
            )
            .await
        }
    }
}

/// Offers mentoring (mentors and staff).
pub async fn offer(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(raw): Path<String>,
    form: Form,
) -> PageResult {
    let slug = slug(&raw)?;
    let input = OfferInput {
        skills: words(&form.get("skills")),
        note: form.get("note"),
        on_real_work: form.get("on_real_work") == "yes",
    };
    let (account, s) = (caller.account.clone(), slug.clone());
    let result = state
        .run(move |app| {
            app.communities()
                .offer_mentoring(&account, &s, input)
                .map(|_| "offer-saved")
        })
        .await;
    after(&state, &caller, &csrf, slug, result).await
}

/// Asks a mentor for mentoring.
pub async fn request(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(raw): Path<String>,
    form: Form,
) -> PageResult {
    let slug = slug(&raw)?;
    let input = RequestInput {
        offer_id: form.get("offer_id"),
        goal: form.get("goal"),
        skills: words(&form.get("skills")),
        format: if form.get("format") == "real_work" {
            Format::RealWork
        } else {
            Format::Sessions
        },
        work: form.get("work"),
    };
    let (account, s) = (caller.account.clone(), slug.clone());
    let result = state
        .run(move |app| {
            app.communities()
                .request_mentoring(&account, &s, input)
                .map(|_| "mentoring-requested")
        })
        .await;
    after(&state, &caller, &csrf, slug, result).await
}

/// Accepts or declines a request, or records a session, as the form says.
pub async fn pair(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path((raw, id)): Path<(String, String)>,
    form: Form,
) -> PageResult {
    let (slug, id) = (slug(&raw)?, page_id(&id)?);
    let (account, s) = (caller.account.clone(), slug.clone());
    let result = state
        .run(move |app| match form.get("action").as_str() {
            "accept" => app
                .communities()
                .decide_mentorship(&account, &s, &id, true)
                .map(|_| "mentoring-accepted"),
            "decline" => app
                .communities()
                .decide_mentorship(&account, &s, &id, false)
                .map(|_| "mentoring-declined"),
            "session" => app
                .communities()
                .record_session(
                    &account,
                    &s,
                    &id,
                    SessionInput {
                        held_on: form.get("held_on"),
                        minutes: form.get("minutes").trim().parse().unwrap_or(0),
                        skills: words(&form.get("skills")),
                        notes: form.get("notes"),
                    },
                )
                .map(|_| "session-recorded"),
            "confirm" => app
                .communities()
                .confirm_session(&account, &s, &id, &form.get("session"))
                .map(|_| "session-confirmed"),
            _ => Err(AppError::NotFound),
        })
        .await;
    after(&state, &caller, &csrf, slug, result).await
}

/// Adds a learning resource (curators).
pub async fn add_resource(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(raw): Path<String>,
    form: Form,
) -> PageResult {
    let slug = slug(&raw)?;
    let result = match resource_input(&form) {
        Ok(input) => {
            let (account, s) = (caller.account.clone(), slug.clone());
            state
                .run(move |app| {
                    app.communities()
                        .add_resource(&account, &s, input)
                        .map(|_| "resource-added")
                })
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(done) => Ok(Redirect::to(&format!("/c/{slug}?done={done}")).into_response()),
        Err(e) => {
            refused(
                &state,
                &caller,
                &csrf,
                slug,
                as_typed(e),
                ("resource", form),
            )
            .await
        }
    }
}

/// The longest resource the use case takes (100,000 minutes), in the hours the form asks for.
const MAX_HOURS: f64 = 1666.0;
const HOURS_MESSAGE: &str = "must be a number of hours, such as 1.5, up to 1,666";

/// A resource as its form describes it. Costs are typed in the currency's major unit
/// ("49.90", "8000" for yen), lengths in hours.
fn resource_input(form: &Form) -> Result<ResourceInput, AppError> {
    let cost_minor = match form.opt("cost") {
        None => 0,
        Some(cost) => parse_amount(&cost, &form.get("currency"))
            .map_err(|message| AppError::field("/cost", format!("The cost {message}.")))?,
    };
    let duration_minutes = match form.opt("duration_hours") {
        None => None,
        Some(hours) => match hours.trim().replace(',', ".").parse::<f64>() {
            Ok(h) if h.is_finite() && h > 0.0 && h <= MAX_HOURS => Some((h * 60.0).round() as i32),
            _ => return Err(AppError::field("/duration_hours", HOURS_MESSAGE)),
        },
    };
    Ok(ResourceInput {
        title: form.get("title"),
        url: form.get("url"),
        provider: form.get("provider"),
        skills: words(&form.get("skills")),
        cost_minor,
        currency: form.get("currency"),
        duration_minutes,
        credit: form.opt("credit"),
    })
}

/// The use case's messages in the terms of the form, which asks for major units and hours
/// rather than minor units and minutes.
fn as_typed(e: AppError) -> AppError {
    match e {
        AppError::Validation(mut errors) => {
            for error in &mut errors.0 {
                let (path, message) = match error.path.as_str() {
                    "/cost_minor" => ("/cost", "is more than a resource may cost"),
                    "/duration_minutes" => ("/duration_hours", HOURS_MESSAGE),
                    _ => continue,
                };
                error.path = path.into();
                error.message = message.into();
            }
            AppError::Validation(errors)
        }
        other => other,
    }
}

/// Marks a resource completed, or removes it (curators), as the form says.
pub async fn resource(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path((raw, id)): Path<(String, String)>,
    form: Form,
) -> PageResult {
    let (slug, id) = (slug(&raw)?, page_id(&id)?);
    let (account, s) = (caller.account.clone(), slug.clone());
    let result = state
        .run(move |app| match form.get("action").as_str() {
            "remove" => app
                .communities()
                .remove_resource(&account, &s, &id)
                .map(|_| "resource-removed"),
            _ => app
                .communities()
                .complete_resource(&account, &s, &id, &form.get("completed_on"))
                .map(|_| "resource-completed"),
        })
        .await;
    after(&state, &caller, &csrf, slug, result).await
}
