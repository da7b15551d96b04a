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
use guildhall_domain::community::{Admission, Role, Visibility};
use guildhall_domain::persona::Persona;
use std::collections::HashMap;

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
    is_staff: bool,
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
    can_offer: bool,
    is_owner: bool,
    your_handle: String,
    invitation_link: Option<String>,
    /// The members' calendar feed, as calendar apps subscribe to it (`webcal://`).
    feed_url: Option<String>,
    errors: Errors,
    /// The form that was refused, as typed, to fill in again: ("thread" or "event", its fields).
    typed: Option<(&'static str, Form)>,
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

/// The fields of the thread and event forms, whose messages are shown beside them.
const FORM_FIELDS: [&str; 9] = [
    "title",
    "body",
    "starts",
    "ends",
    "timezone",
    "capacity",
    "place",
    "online_url",
    "description",
];

fn field_label(name: &str) -> String {
    match name {
        "body" => "The message".into(),
        "online_url" => "The online link".into(),
        "starts" => "The start".into(),
        "ends" => "The end".into(),
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

#[derive(Template)]
#[template(path = "community_thread.html")]
struct ThreadPage {
    layout: Layout,
    c: Community,
    t: Thread,
    is_staff: bool,
    errors: Errors,
    /// A refused reply, as typed.
    typed_reply: String,
}

impl ThreadPage {
    /// When a post was written, as a UTC date and time.
    fn when(&self, ms: &i64) -> String {
        guildhall_domain::calendar::format_local(*ms, "UTC")
    }

    /// Whether the signed-in member wrote `author`'s post (they are not offered to report it).
    fn own(&self, author: &str) -> bool {
        self.layout.handle.as_deref() == Some(author)
    }
}

#[derive(Template)]
#[template(path = "community_applications.html")]
struct ApplicationsPage {
    layout: Layout,
    c: Community,
    reviews: Vec<ReviewRow>,
    pending: usize,
}

/// An application on the curators' screen.
struct ReviewRow {
    r: ApplicationReview,
    card: ProfileCard,
}

#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationPage {
    layout: Layout,
    c: Community,
    token: String,
    signed_in: bool,
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
                Some(w) => app.my_mentions(w)?,
                None => Vec::new(),
            };
            Ok((app.communities(who.as_ref())?, mentions))
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
        .run(move |app| app.create_community(&account, input))
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
            let c = app.community(&slug, who.as_ref())?;
            let is_member = c.your_role.is_some();
            let inside = match (&who, is_member) {
                (Some(w), true) => Inside {
                    threads: app.threads(Some(w), &slug)?,
                    events: app.events(Some(w), &slug)?,
                    members: app.community_members(Some(w), &slug)?,
                    offers: app.mentoring_offers(Some(w), &slug)?,
                    mentorships: app.mentorships(w, &slug)?,
                    resources: app.resources(Some(w), &slug)?,
                    reports: if c.your_role.is_some_and(Role::is_staff) {
                        app.reports(w, &slug)?
                    } else {
                        Vec::new()
                    },
                },
                _ => Inside::default(),
            };
            let (application, personas) = match (&who, is_member) {
                (Some(w), false) => (app.my_application(w, &slug)?, app.my_personas(w)?),
                (Some(w), true) => (None, app.my_personas(w)?),
                _ => (None, Vec::new()),
            };
            Ok((c, inside, application, personas))
        })
        .await?;
    let (c, inside, application, personas) = page;
    let layout = Layout::new(c.name.clone(), caller, csrf).with_notice(notice);
    let is_staff = c.your_role.is_some_and(Role::is_staff);
    Ok(html(
        errors.status(StatusCode::UNPROCESSABLE_ENTITY),
        &CommunityPage {
            layout,
            is_member: c.your_role.is_some(),
            is_staff,
            signed_in: caller.is_some(),
            application,
            personas,
            threads: inside.threads,
            events: inside.events,
            offers: inside.offers,
            mentorships: inside.mentorships,
            resources: inside.resources,
            reports: inside.reports,
            can_offer: c.your_role.is_some_and(|r| r <= Role::Mentor),
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
            "join" => app.join_community(&account, &s).map(|_| "joined"),
            "leave" => app.leave_community(&account, &s).map(|_| "left"),
            "apply" => app
                .apply_to_community(
                    &account,
                    &s,
                    ApplicationInput {
                        answers: form.all("answer"),
                        persona_id: form.opt("persona_id"),
                    },
                )
                .map(|_| "applied"),
            "withdraw" => app.withdraw_application(&account, &s).map(|_| "withdrawn"),
            "persona" => app
                .set_community_persona(&account, &s, form.opt("persona_id").as_deref())
                .map(|_| "setting-saved"),
            _ => Err(AppError::NotFound),
        })
        .await;
    after(&state, &caller, &csrf, slug, result).await
}

/// Starts a thread.
pub async fn start_thread(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(raw): Path<String>,
    form: Form,
) -> PageResult {
    let slug = slug(&raw)?;
    let (account, s) = (caller.account.clone(), slug.clone());
    let input = ThreadInput {
        title: form.get("title"),
        body: form.get("body"),
    };
    let result = state
        .run(move |app| app.start_thread(&account, &s, input))
        .await;
    match result {
        Ok(post) => Ok(Redirect::to(&format!("/c/{slug}/t/{}", post.id)).into_response()),
        Err(e) => refused(&state, &caller, &csrf, slug, e, ("thread", form)).await,
    }
}

pub(super) async fn thread_page(
    state: &AppState,
    caller: Option<&Caller>,
    csrf: &CsrfToken,
    (slug, id): (String, String),
    notice: Option<&str>,
    errors: Errors,
    typed_reply: String,
) -> PageResult {
    let who = caller.map(|c| c.account.clone());
    let (c, t) = state
        .run(move |app| {
            let c = app.community(&slug, who.as_ref())?;
            let t = app.thread(who.as_ref(), &slug, &id)?;
            Ok((c, t))
        })
        .await?;
    let layout = Layout::new(t.thread.title.clone(), caller, csrf).with_notice(notice);
    let is_staff = c.your_role.is_some_and(Role::is_staff);
    Ok(html(
        errors.status(StatusCode::UNPROCESSABLE_ENTITY),
        &ThreadPage {
            layout,
            c,
            t,
            is_staff,
            errors,
            typed_reply,
        },
    ))
}

/// A thread with its replies.
pub async fn thread(
    State(state): State<AppState>,
    caller: Option<PageCaller>,
    Extension(csrf): Extension<CsrfToken>,
    Path((raw, id)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let caller = caller.map(|PageCaller(c)| c);
    let notice = q.get("done").map(String::as_str);
    let at = (slug(&raw)?, page_id(&id)?);
    thread_page(
        &state,
        caller.as_ref(),
        &csrf,
        at,
        notice,
        Errors::default(),
        String::new(),
    )
    .await
}

/// Replies to a thread.
pub async fn reply(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path((raw, id)): Path<(String, String)>,
    form: Form,
) -> PageResult {
    let (slug, id) = (slug(&raw)?, page_id(&id)?);
    let (account, s, t) = (caller.account.clone(), slug.clone(), id.clone());
    let body = form.get("body");
    match state
        .run(move |app| app.reply(&account, &s, &t, &body))
        .await
    {
        Ok(post) => Ok(Redirect::to(&format!("/c/{slug}/t/{id}#p-{}", post.id)).into_response()),
        Err(e) => {
            let errors = Errors::from_app(e)?;
            let typed = form.get("body");
            thread_page(
                &state,
                Some(&caller),
                &csrf,
                (slug, id),
                None,
                errors,
                typed,
            )
            .await
        }
    }
}

/// An event as its form describes it.
fn event_input(form: &Form) -> EventInput {
    EventInput {
        title: form.get("title"),
        description: form.get("description"),
        starts: form.get("starts"),
        ends: form.get("ends"),
        timezone: form.get("timezone"),
        online_url: form.opt("online_url"),
        place: form.opt("place"),
        capacity: form.opt("capacity").and_then(|v| v.trim().parse().ok()),
    }
}

/// Creates an event (curators).
pub async fn create_event(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(raw): Path<String>,
    form: Form,
) -> PageResult {
    let slug = slug(&raw)?;
    let (account, s) = (caller.account.clone(), slug.clone());
    let input = event_input(&form);
    let result = state
        .run(move |app| {
            app.create_event(&account, &s, input)
                .map(|_| "event-created")
        })
        .await;
    match result {
        Ok(done) => Ok(Redirect::to(&format!("/c/{slug}?done={done}")).into_response()),
        Err(e) => refused(&state, &caller, &csrf, slug, e, ("event", form)).await,
    }
}

/// The community page again after a form there was refused: the form as typed, each message
/// beside its field.
async fn refused(
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

/// Changes or cancels an event (curators).
pub async fn update_event(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path((raw, id)): Path<(String, String)>,
    form: Form,
) -> PageResult {
    let (slug, id) = (slug(&raw)?, page_id(&id)?);
    let (account, s) = (caller.account.clone(), slug.clone());
    let cancelled = form.get("cancelled") == "yes";
    let input = event_input(&form);
    let result = state
        .run(move |app| {
            app.update_event(&account, &s, &id, input, cancelled)
                .map(|_| {
                    if cancelled {
                        "event-cancelled"
                    } else {
                        "event-saved"
                    }
                })
        })
        .await;
    after(&state, &caller, &csrf, slug, result).await
}

/// Goes to an event, or gives up a place.
pub async fn rsvp(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path((raw, id)): Path<(String, String)>,
    form: Form,
) -> PageResult {
    let (slug, id) = (slug(&raw)?, page_id(&id)?);
    let (account, s) = (caller.account.clone(), slug.clone());
    let going = form.get("going") == "yes";
    let result = state
        .run(move |app| app.rsvp(&account, &s, &id, going).map(|_| "rsvp-saved"))
        .await;
    after(&state, &caller, &csrf, slug, result).await
}

/// Creates an invitation link and shows it once (curators).
pub async fn invite(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(raw): Path<String>,
    form: Form,
) -> PageResult {
    let slug = slug(&raw)?;
    let (account, s) = (caller.account.clone(), slug.clone());
    let input = InvitationInput {
        days_valid: form.get("days_valid").trim().parse().unwrap_or(0),
        max_uses: form.get("max_uses").trim().parse().unwrap_or(0),
        note: form.get("note"),
    };
    match state
        .run(move |app| app.create_invitation(&account, &s, input))
        .await
    {
        Ok(inv) => {
            let link = format!(
                "{}/join/{}",
                state.config.public_url,
                inv.token.unwrap_or_default()
            );
            community_page(
                &state,
                Some(&caller),
                &csrf,
                slug,
                Some("invitation-created"),
                Errors::default(),
                Extra {
                    invitation_link: Some(link),
                    typed: None,
                },
            )
            .await
        }
        Err(e) => after(&state, &caller, &csrf, slug, Err(e)).await,
    }
}

/// The curators' application queue.
pub async fn applications(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(raw): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let slug = slug(&raw)?;
    let account = caller.account.clone();
    let (c, reviews) = state
        .run(move |app| {
            let c = app.community(&slug, Some(&account))?;
            let reviews = app.review_applications(&account, &slug)?;
            Ok((c, reviews))
        })
        .await?;
    let layout = Layout::new(format!("Applications · {}", c.name), Some(&caller), &csrf)
        .with_notice(q.get("done").map(String::as_str));
    let reviews: Vec<ReviewRow> = reviews
        .into_iter()
        .map(|r| ReviewRow {
            card: ProfileCard::from_view(&r.shown),
            r,
        })
        .collect();
    Ok(html(
        StatusCode::OK,
        &ApplicationsPage {
            layout,
            c,
            pending: reviews
                .iter()
                .filter(|r| r.r.application.status == ApplicationStatus::Pending)
                .count(),
            reviews,
        },
    ))
}

/// Approves, declines or waitlists one application.
pub async fn decide(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((raw, id)): Path<(String, String)>,
    form: Form,
) -> PageResult {
    let (slug, id) = (slug(&raw)?, page_id(&id)?);
    let decision = match form.get("decision").as_str() {
        "approve" => Decision::Approve,
        "waitlist" => Decision::Waitlist,
        _ => Decision::Decline {
            reason: form.get("reason"),
        },
    };
    let (account, s) = (caller.account.clone(), slug.clone());
    let result = state
        .run(move |app| app.decide_application(&account, &s, &id, decision))
        .await;
    let done = match result {
        Ok(_) => "decided",
        Err(AppError::Validation(_)) => "decline-needs-reason",
        Err(AppError::Conflict { .. }) => "decide-refused",
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&format!("/c/{slug}/applications?done={done}")).into_response())
}

/// An invitation link's landing page.
pub async fn invitation(
    State(state): State<AppState>,
    caller: Option<PageCaller>,
    Extension(csrf): Extension<CsrfToken>,
    Path(token): Path<String>,
) -> PageResult {
    let caller = caller.map(|PageCaller(c)| c);
    let t = token.clone();
    let c = state.run(move |app| app.invitation_community(&t)).await?;
    let layout = Layout::new(format!("Join {}", c.name), caller.as_ref(), &csrf);
    let page = InvitationPage {
        layout,
        c,
        token,
        signed_in: caller.is_some(),
    };
    Ok(html(StatusCode::OK, &page))
}

/// Accepts an invitation.
pub async fn accept_invitation(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(token): Path<String>,
    _form: Form,
) -> PageResult {
    let account = caller.account.clone();
    let c = state
        .run(move |app| app.accept_invitation(&account, &token))
        .await?;
    Ok(Redirect::to(&format!("/c/{}?done=joined", c.slug)).into_response())
}
