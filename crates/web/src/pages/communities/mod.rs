//! Community pages: the list and the create form, a community's page (joining or applying,
//! discussions, events, members), invitations and the curators' application queue.

use super::page_id;
use super::render::{Errors, Layout, PageError, PageResult, html};
use crate::AppState;
use crate::auth::{Caller, PageCaller};
use crate::csrf::CsrfToken;
use crate::forms::Form;
use crate::pages::view_model::ProfileCard;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use guildhall_app::AppError;
use guildhall_app::communities::admission::{
    Application, ApplicationInput, ApplicationReview, ApplicationStatus, Decision, InvitationInput,
};
use guildhall_app::communities::discussions::{Mention, Post, Report, Thread, ThreadInput};
use guildhall_app::communities::gatherings::{EventInput, EventView, RsvpStatus};
use guildhall_app::communities::learning::Resource;
use guildhall_app::communities::mentoring::{Format, Mentorship, Offer};
use guildhall_app::communities::{Community, CommunityInput, Question};
use guildhall_domain::community::{Action, Admission, Role, Visibility};
use guildhall_domain::persona::Persona;
use std::collections::HashMap;

mod admission;
mod discussions;
mod gatherings;
mod ownership;

pub use admission::{accept_invitation, applications, decide, invitation, invite};
pub(super) use discussions::thread_page;
pub use discussions::{reply, start_thread, thread};
pub use gatherings::{create_event, rsvp, update_event};
pub use ownership::{act as ownership_action, show as ownership};

#[derive(Template)]
#[template(path = "communities.html")]
struct ListPage {
    layout: Layout,
    communities: Vec<Community>,
    mentions: Vec<Mention>,
    signed_in: bool,
    errors: Errors,
    form: HashMap<String, String>,
}

/// A member in the community's directory.
struct MemberRow {
    role: &'static str,
    card: ProfileCard,
}

impl MemberRow {
    /// Whether the member's role is `name` (as the role form spells it).
    fn is(&self, name: &str) -> bool {
        self.role.eq_ignore_ascii_case(name)
    }
}

#[derive(Template)]
#[template(path = "community.html")]
struct CommunityPage {
    layout: Layout,
    c: Community,
    is_member: bool,
    tools: Tools,
    signed_in: bool,
    application: Option<Application>,
    personas: Vec<Persona>,
    threads: Vec<Post>,
    events: Vec<EventView>,
    members: Vec<MemberRow>,
    offers: Vec<Offer>,
    mentorships: Vec<Mentorship>,
    resources: Vec<Resource>,
    reports: Vec<Report>,
    is_owner: bool,
    your_handle: String,
    invitation_link: Option<String>,
    /// The members' calendar feed, as calendar apps subscribe to it (`webcal://`).
    feed_url: Option<String>,
    errors: Errors,
    /// The form that was refused, as typed, to fill in again: ("thread" or "event", its fields).
    typed: Option<(&'static str, Form)>,
}

/// The tools a community's page shows the caller: what the one permission rule lets them do.
struct Tools {
    review_applications: bool,
    edit_settings: bool,
    manage_events: bool,
    offer_mentoring: bool,
    decide_own_mentorships: bool,
    decide_any_mentorship: bool,
    manage_resources: bool,
    manage_members: bool,
    assess_skills: bool,
    see_insights: bool,
}

impl Tools {
    fn of(c: &Community) -> Tools {
        Tools {
            review_applications: c.may(Action::ReviewApplications),
            edit_settings: c.may(Action::EditSettings),
            manage_events: c.may(Action::ManageEvents),
            offer_mentoring: c.may(Action::OfferMentoring),
            // A mentor decides the requests made to them, while still a mentor; the second is
            // deciding anyone's.
            decide_own_mentorships: c.may(Action::AcceptMentoring),
            decide_any_mentorship: c.may(Action::AcceptMentoring) && c.may(Action::ManageRoles),
            manage_resources: c.may(Action::ManageResources),
            manage_members: c.may(Action::RemoveMember),
            assess_skills: c.may(Action::AssessSkills),
            see_insights: c.may(Action::SeeInsights),
        }
    }
}

impl CommunityPage {
    /// Whether form `which` was refused (its section opens, to show why).
    fn refused(&self, which: &str) -> bool {
        self.typed.as_ref().is_some_and(|(w, _)| *w == which)
    }

    /// What was typed into field `name` of form `which`, when that form was refused.
    fn typed(&self, which: &str, name: &str) -> String {
        match &self.typed {
            Some((w, form)) if *w == which => form.get(name),
            _ => String::new(),
        }
    }

    /// The message for field `name` of form `which`, when that form was refused.
    fn err(&self, which: &str, name: &str) -> String {
        match &self.typed {
            Some((w, _)) if *w == which => self.errors.about(name, &field_label(name)),
            _ => String::new(),
        }
    }

    /// Messages of the refused form that belong to none of its fields, and every message of
    /// other forms.
    fn general_errors(&self) -> Vec<String> {
        match &self.typed {
            Some(_) => self.errors.general(&FORM_FIELDS),
            None => self.errors.general(&[]),
        }
    }
}

/// The fields of the thread, event and resource forms, whose messages are shown beside them.
const FORM_FIELDS: [&str; 19] = [
    "credit",
    "member",
    "skill",
    "note",
    "title",
    "body",
    "starts",
    "ends",
    "timezone",
    "capacity",
    "place",
    "online_url",
    "description",
    "url",
    "provider",
    "skills",
    "cost",
    "currency",
    "duration_hours",
];

fn field_label(name: &str) -> String {
    match name {
        "body" => "The message".into(),
        "online_url" => "The online link".into(),
        "starts" => "The start".into(),
        "ends" => "The end".into(),
        "url" => "The link".into(),
        "duration_hours" => "The length".into(),
        "credit" => "Who to credit".into(),
        "note" => "What you saw".into(),
        other => format!("The {}", other.replace('_', " ")),
    }
}

/// What the community page shows besides the community: a fresh invitation link, or a
/// refused form as typed.
#[derive(Default)]
pub(super) struct Extra {
    invitation_link: Option<String>,
    typed: Option<(&'static str, Form)>,
}

/// A slug from a path, or not found.
pub(super) fn slug(raw: &str) -> Result<String, PageError> {
    crate::paths::slug(raw).ok_or_else(PageError::not_found)
}

/// Communities on the instance, and the form to start one.
pub async fn list(
    State(state): State<AppState>,
    caller: Option<PageCaller>,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let caller = caller.map(|PageCaller(c)| c);
    list_page(
        &state,
        caller.as_ref(),
        &csrf,
        q.get("done").map(String::as_str),
        Errors::default(),
        HashMap::new(),
    )
    .await
}

async fn list_page(
    state: &AppState,
    caller: Option<&Caller>,
    csrf: &CsrfToken,
    notice: Option<&str>,
    errors: Errors,
    form: HashMap<String, String>,
) -> PageResult {
    let who = caller.map(|c| c.account.clone());
    let (communities, mentions) = state
        .run(move |app| {
            let mentions = match &who {
                Some(w) => app.communities().my_mentions(w)?,
                None => Vec::new(),
            };
            Ok((app.communities().list(who.as_ref())?, mentions))
        })
        .await?;
    let layout = Layout::new("Communities", caller, csrf).with_notice(notice);
    Ok(html(
        errors.status(StatusCode::UNPROCESSABLE_ENTITY),
        &ListPage {
            layout,
            communities,
            mentions,
            signed_in: caller.is_some(),
            errors,
            form,
        },
    ))
}

/// Comma-separated words, trimmed, without blanks (skill lists in forms).
pub(super) fn words(raw: &str) -> Vec<String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A community's settings as the create and settings forms send them: one question per line,
/// focus skills separated by commas.
pub(super) fn community_input(form: &Form, slug: String) -> CommunityInput {
    CommunityInput {
        name: form.get("name"),
        slug,
        description: form.get("description"),
        visibility: Some(match form.get("visibility").as_str() {
            "listed" => Visibility::Listed,
            "unlisted" => Visibility::Unlisted,
            _ => Visibility::Public,
        }),
        admission: Some(match form.get("admission").as_str() {
            "application" => Admission::Application,
            "invitation" => Admission::Invitation,
            _ => Admission::Open,
        }),
        member_cap: form.opt("member_cap").and_then(|v| v.trim().parse().ok()),
        questions: form
            .get("questions")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|prompt| Question {
                prompt: prompt.to_string(),
                required: true,
            })
            .collect(),
        focus_skills: words(&form.get("focus_skills")),
    }
}

/// Starts a community.
pub async fn create(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    form: Form,
) -> PageResult {
    let input = community_input(&form, form.get("slug"));
    let account = caller.account.clone();
    match state
        .run(move |app| app.communities().create_community(&account, input))
        .await
    {
        Ok(c) => Ok(Redirect::to(&format!("/c/{}?done=community-created", c.slug)).into_response()),
        Err(e) => {
            let kept = ["name", "slug", "description", "questions", "focus_skills"]
                .iter()
                .map(|k| (k.to_string(), form.get(k)))
                .collect();
            list_page(
                &state,
                Some(&caller),
                &csrf,
                None,
                Errors::from_app(e)?,
                kept,
            )
            .await
        }
    }
}

/// What members see inside a community.
#[derive(Default)]
struct Inside {
    threads: Vec<Post>,
    events: Vec<EventView>,
    members: Vec<guildhall_app::communities::directory::MemberCard>,
    offers: Vec<Offer>,
    mentorships: Vec<Mentorship>,
    resources: Vec<Resource>,
    reports: Vec<Report>,
}

pub(super) async fn community_page(
    state: &AppState,
    caller: Option<&Caller>,
    csrf: &CsrfToken,
    slug: String,
    notice: Option<&str>,
    errors: Errors,
    extra: Extra,
) -> PageResult {
    let Extra {
        invitation_link,
        typed,
    } = extra;
    let who = caller.map(|c| c.account.clone());
    let page = state
        .run(move |app| {
            let c = app.communities().community(&slug, who.as_ref())?;
            let is_member = c.your_role.is_some();
            let inside = match (&who, is_member) {
                (Some(w), true) => Inside {
                    threads: app.communities().threads(Some(w), &slug)?,
                    events: app.communities().events(Some(w), &slug)?,
                    members: app.communities().community_members(Some(w), &slug)?,
                    offers: app.communities().mentoring_offers(Some(w), &slug)?,
                    mentorships: app.communities().mentorships(w, &slug)?,
                    resources: app.communities().resources(Some(w), &slug)?,
                    reports: if c.may(Action::Moderate) {
                        app.communities().reports(w, &slug)?
                    } else {
                        Vec::new()
                    },
                },
                _ => Inside::default(),
            };
            let (application, personas) = match (&who, is_member) {
                (Some(w), false) => (
                    app.communities().my_application(w, &slug)?,
                    app.profiles().my_personas(w)?,
                ),
                (Some(w), true) => (None, app.profiles().my_personas(w)?),
                _ => (None, Vec::new()),
            };
            Ok((c, inside, application, personas))
        })
        .await?;
    let (c, inside, application, personas) = page;
    let layout = Layout::new(c.name.clone(), caller, csrf).with_notice(notice);
    Ok(html(
        errors.status(StatusCode::UNPROCESSABLE_ENTITY),
        &CommunityPage {
            layout,
            is_member: c.your_role.is_some(),
            tools: Tools::of(&c),
            signed_in: caller.is_some(),
            application,
            personas,
            threads: inside.threads,
            events: inside.events,
            offers: inside.offers,
            mentorships: inside.mentorships,
            resources: inside.resources,
            reports: inside.reports,
            is_owner: c.your_role == Some(Role::Owner),
            your_handle: caller.map(|c| c.account.handle.clone()).unwrap_or_default(),
            members: inside
                .members
                .into_iter()
                .map(|m| MemberRow {
                    role: m.role.label(),
                    card: ProfileCard::from_view(&m.shown),
                })
                .collect(),
            invitation_link,
            typed,
            feed_url: c.feed_token.as_ref().map(|token| {
                super::render::webcal(
                    &state.config.public_url,
                    &format!("/api/v1/calendars/{token}"),
                )
            }),
            errors,
            c,
        },
    ))
}

/// A community's page.
pub async fn show(
    State(state): State<AppState>,
    caller: Option<PageCaller>,
    Extension(csrf): Extension<CsrfToken>,
    Path(raw): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let caller = caller.map(|PageCaller(c)| c);
    community_page(
        &state,
        caller.as_ref(),
        &csrf,
        slug(&raw)?,
        q.get("done").map(String::as_str),
        Errors::default(),
        Extra::default(),
    )
    .await
}

/// After a form on the community page: back to it with a notice, or the page with the errors.
pub(super) async fn after(
    state: &AppState,
    caller: &Caller,
    csrf: &CsrfToken,
    slug: String,
    result: Result<&str, AppError>,
) -> PageResult {
    match result {
        Ok(done) => Ok(Redirect::to(&format!("/c/{slug}?done={done}")).into_response()),
        Err(e) => {
            let errors = Errors::from_app(e)?;
            community_page(
                state,
                Some(caller),
                csrf,
                slug,
                None,
                errors,
                Extra::default(),
            )
            .await
        }
    }
}

/// Joins, applies or leaves, as the form's `action` says.
pub async fn membership(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(raw): Path<String>,
    form: Form,
) -> PageResult {
    let slug = slug(&raw)?;
    let (account, s) = (caller.account.clone(), slug.clone());
    let action = form.get("action");
    let result = state
        .run(move |app| match action.as_str() {
            "join" => app
                .communities()
                .join_community(&account, &s)
                .map(|_| "joined"),
            "leave" => app
                .communities()
                .leave_community(&account, &s)
                .map(|_| "left"),
            "apply" => app
                .communities()
                .apply_to_community(
                    &account,
                    &s,
                    ApplicationInput {
                        answers: form.all("answer"),
                        persona_id: form.opt("persona_id"),
                    },
                )
                .map(|_| "applied"),
            "withdraw" => app
                .communities()
                .withdraw_application(&account, &s)
                .map(|_| "withdrawn"),
            "persona" => app
                .communities()
                .set_community_persona(&account, &s, form.opt("persona_id").as_deref())
                .map(|_| "setting-saved"),
            _ => Err(AppError::NotFound),
        })
        .await;
    after(&state, &caller, &csrf, slug, result).await
}

/// The community page again after a form there was refused: the form as typed, each message
/// beside its field.
pub(super) async fn refused(
    state: &AppState,
    caller: &Caller,
    csrf: &CsrfToken,
    slug: String,
    e: AppError,
    typed: (&'static str, Form),
) -> PageResult {
    let errors = Errors::from_app(e)?;
    let extra = Extra {
        invitation_link: None,
        typed: Some(typed),
    };
    community_page(state, Some(caller), csrf, slug, None, errors, extra).await
}
