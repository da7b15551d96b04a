//! Job pages: browse the jobs you may see, post one, and on a job's page propose, refer or
//! invite; its client compares the proposals side by side and makes an offer from one.

use super::item_form::parse_amount;
use super::page_id;
use super::render::{Errors, Layout, PageError, PageResult, html};
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
use guildhall_app::communities::Community;
use guildhall_app::matching::ShortlistEntry;
use guildhall_app::work::MilestoneInput;
use guildhall_app::work::jobs::ProposalInput;
use guildhall_app::work::jobs::{Job, JobInput, JobSkill, JobStatus, Pricing, Proposal};
use guildhall_domain::job::{self, ProposalStatus};
use std::collections::HashMap;

/// Skill rows the post form offers.
const SKILL_ROWS: usize = 5;
/// Milestone rows an offer form offers.
const MILESTONE_ROWS: usize = 3;

/// One skill row of the post form, as typed.
struct SkillRow {
    label: String,
    weight: String,
    level: String,
    required: bool,
}

#[derive(Template)]
#[template(path = "job_form.html")]
struct JobFormPage {
    layout: Layout,
    communities: Vec<Community>,
    occupations: Vec<guildhall_app::insights::OccupationRef>,
    values: HashMap<String, String>,
    skills: Vec<SkillRow>,
    offsets: Vec<(i32, String)>,
    errors: Errors,
}

impl JobFormPage {
    fn v(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }

    /// The browser's share of the rules `work::jobs` checks: required fields and lengths.
    fn limits(&self, name: &str) -> &'static str {
        match name {
            "title" => r#" required minlength="5" maxlength="200""#,
            "description" => r#" maxlength="8000""#,
            "organisation" => r#" maxlength="120""#,
            "place" => r#" maxlength="200""#,
            "currency" => r#" required minlength="3" maxlength="3""#,
            "budget_min" | "budget_max" => r#" required inputmode="decimal" maxlength="20""#,
            "hours_per_week" => r#" min="1" max="80""#,
            _ => "",
        }
    }
}

#[derive(Template)]
#[template(path = "job.html")]
struct JobPage {
    layout: Layout,
    job: Job,
    proposals: Vec<Proposal>,
    /// The caller's own proposal, for a member.
    own: Option<Proposal>,
    may_propose: bool,
    may_invite: bool,
    milestone_rows: Vec<usize>,
    errors: Errors,
    values: HashMap<String, String>,
    /// A refused contract offer, as typed: (proposal id, its milestone rows: title, amount,
    /// due date, and who does it).
    offer: Option<(String, Vec<[String; 4]>)>,
    /// Members curators put forward, for the job's client.
    shortlist: Vec<ShortlistEntry>,
    /// Whether the caller curates a community, and so may put members forward.
    curates: bool,
}

impl JobPage {
    /// Whether the offer to `proposal` was refused (its form opens again, as typed).
    fn offer_refused(&self, proposal: &str) -> bool {
        self.offer.as_ref().is_some_and(|(p, _)| p == proposal)
    }

    /// Row `i`'s field `column` (0 title, 1 amount, 2 due date, 3 who) of a refused offer to
    /// `proposal`, or `default`.
    fn offer_value(&self, proposal: &str, i: &usize, column: usize, default: &str) -> String {
        match &self.offer {
            Some((p, rows)) if p == proposal => rows
                .get(*i)
                .map(|row| row[column].clone())
                .unwrap_or_default(),
            _ => default.to_string(),
        }
    }

    fn v(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }

    /// The job's time zone window in words.
    fn window(&self) -> String {
        window_words(self.job.tz_window)
    }
}

/// `(-300, 60)` as "UTC−05:00 to UTC+01:00"; the widest window as "any time zone".
fn window_words((from, to): (i32, i32)) -> String {
    if from <= -720 && to >= 840 {
        return "any time zone".into();
    }
    format!("{} to {}", offset_words(from), offset_words(to))
}

pub(super) fn offset_words(minutes: i32) -> String {
    let sign = if minutes < 0 { '−' } else { '+' };
    let m = minutes.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", m / 60, m % 60)
}

async fn form_page(
    state: &AppState,
    caller: &Caller,
    csrf: &CsrfToken,
    form: &Form,
    errors: Errors,
) -> PageResult {
    let account = caller.account.clone();
    let communities = state
        .run(move |app| app.communities().list(Some(&account)))
        .await?
        .into_iter()
        .filter(|k| k.your_role.is_some())
        .collect();
    let [labels, weights, levels, kinds] = skill_columns(form);
    let at = |v: &[String], i: usize, default: &str| {
        v.get(i).cloned().unwrap_or_else(|| default.to_string())
    };
    let skills = (0..SKILL_ROWS)
        .map(|i| SkillRow {
            label: at(&labels, i, ""),
            weight: at(&weights, i, "3"),
            level: at(&levels, i, "3"),
            required: at(&kinds, i, if i < 2 { "required" } else { "nice" }) == "required",
        })
        .collect();
    let mut values: HashMap<String, String> = [
        "title",
        "organisation",
        "description",
        "pricing",
        "budget_min",
        "budget_max",
        "currency",
        "starts_on",
        "ends_on",
        "hours_per_week",
        "place",
        "tz_min",
        "tz_max",
        "community",
        "occupation",
    ]
    .iter()
    .filter_map(|k| form.opt(k).map(|v| (k.to_string(), v)))
    .collect();
    values.entry("currency".into()).or_insert("EUR".into());
    values.entry("tz_min".into()).or_insert("-720".into());
    values.entry("tz_max".into()).or_insert("840".into());
    if form.get("submitted").is_empty() || !form.get("remote").is_empty() {
        values.insert("remote".into(), "yes".into());
    }
    let offsets = (-12..=14).map(|h| (h * 60, offset_words(h * 60))).collect();
    let status = errors.status(StatusCode::UNPROCESSABLE_ENTITY);
    let layout = Layout::new("Post a job", Some(caller), csrf);
    Ok(html(
        status,
        &JobFormPage {
            layout,
            communities,
            occupations: guildhall_app::insights::occupations()?,
            values,
            skills,
            offsets,
            errors,
        },
    ))
}

/// The form to post a job.
pub async fn new_job(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    // A community page links here with its slug chosen.
    let form = Form::from_pairs(q.into_iter().filter(|(k, _)| k == "community").collect());
    form_page(&state, &caller, &csrf, &form, Errors::default()).await
}

/// The hours a week typed, if any; a value that is not a whole number is an error beside its
/// field.
pub(super) fn hours_per_week(form: &Form, errors: &mut Vec<(String, String)>) -> Option<i32> {
    let typed = form.opt("hours_per_week")?;
    match typed.trim().parse() {
        Ok(h) => Some(h),
        Err(_) => {
            errors.push(("/hours_per_week".into(), "must be a whole number".into()));
            None
        }
    }
}

/// The post form's skill rows, column by column: labels, weights, levels, kinds.
pub(super) fn skill_columns(form: &Form) -> [Vec<String>; 4] {
    ["skill_label", "skill_weight", "skill_level", "skill_kind"].map(|name| form.all(name))
}

/// Reads the post form. Amount and number errors found while reading come back as `Err`.
fn job_input(form: &Form) -> Result<JobInput, Errors> {
    let mut errors = Vec::new();
    let currency = form.get("currency");
    let mut amount = |name: &str| match parse_amount(&form.get(name), &currency) {
        Ok(v) => v,
        Err(m) => {
            errors.push((format!("/{name}"), m.to_string()));
            0
        }
    };
    let (budget_min, budget_max) = (amount("budget_min"), amount("budget_max"));
    let [labels, weights, levels, kinds] = skill_columns(form);
    let number =
        |v: Option<&String>, default: u8| v.and_then(|s| s.trim().parse().ok()).unwrap_or(default);
    let skills = labels
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, label)| JobSkill {
            label: label.clone(),
            weight: number(weights.get(i), 3),
            min_level: number(levels.get(i), 1),
            required: kinds.get(i).is_none_or(|k| k == "required"),
            skill_id: None,
        })
        .collect();
    let hours_per_week = hours_per_week(form, &mut errors);
    let offset = |name: &str, default: i32| form.get(name).parse().unwrap_or(default);
    let input = JobInput {
        title: form.get("title"),
        description: form.get("description"),
        organisation: form.get("organisation"),
        skills,
        pricing: if form.get("pricing") == "hourly" {
            Pricing::Hourly
        } else {
            Pricing::Fixed
        },
        budget_min,
        budget_max,
        currency,
        starts_on: form.get("starts_on"),
        ends_on: form.get("ends_on"),
        hours_per_week,
        remote: !form.get("remote").is_empty(),
        place: form.get("place"),
        tz_min_offset: offset("tz_min", -720),
        tz_max_offset: offset("tz_max", 840),
        community: form.opt("community"),
        occupation: form.opt("occupation"),
        publish: form.get("publish") != "draft",
    };
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(Errors(errors))
    }
}

/// Names skill rows in words: `/skills/1/label` is about "Skill 2".
pub(super) fn with_skill_rows(errors: Errors) -> Errors {
    Errors(
        errors
            .0
            .into_iter()
            .map(|(path, message)| {
                let mut parts = path.trim_start_matches('/').split('/');
                match (
                    parts.next(),
                    parts.next().and_then(|n| n.parse::<usize>().ok()),
                ) {
                    (Some("skills"), Some(i)) => {
                        (String::new(), format!("Skill {}: {message}", i + 1))
                    }
                    _ => (path, message),
                }
            })
            .collect(),
    )
}

/// Posts a job, or saves it as a draft.
pub async fn post(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    form: Form,
) -> PageResult {
    let input = match job_input(&form) {
        Ok(input) => input,
        Err(errors) => return form_page(&state, &caller, &csrf, &form, errors).await,
    };
    let account = caller.account.clone();
    match state
        .run(move |app| app.work().post_job(&account, input))
        .await
    {
        Ok(job) => {
            let done = if job.status == JobStatus::Draft {
                "job-drafted"
            } else {
                "job-posted"
            };
            Ok(Redirect::to(&format!("/jobs/{}?done={done}", job.id)).into_response())
        }
        Err(e) => {
            let errors = with_skill_rows(Errors::from_app(e)?);
            form_page(&state, &caller, &csrf, &form, errors).await
        }
    }
}

async fn job_page(
    state: &AppState,
    caller: &Caller,
    csrf: &CsrfToken,
    id: String,
    notice: Option<&str>,
    errors: Errors,
    form: &Form,
) -> PageResult {
    let account = caller.account.clone();
    let (job, proposals, role, shortlist, curates) = state
        .run(move |app| {
            let (job, proposals) = app.work().job(&account, &id)?;
            let role = match &job.community {
                Some(slug) => app.communities().community(slug, Some(&account))?.your_role,
                None => None,
            };
            let shortlist = if job.yours {
                app.matching().shortlist(&account, &id)?
            } else {
                Vec::new()
            };
            let curates = !job.yours && !app.matching().curated_communities(&account)?.is_empty();
            Ok((job, proposals, role, shortlist, curates))
        })
        .await?;
    let own = proposals
        .iter()
        .find(|p| p.member == caller.account.handle)
        .cloned();
    let may_propose = job::may_propose(
        job.status,
        job.yours,
        own.as_ref().and_then(|p| ProposalStatus::parse(&p.status)),
    );
    let may_invite = job::may_invite(job.status, job.yours, role);
    let status = errors.status(StatusCode::UNPROCESSABLE_ENTITY);
    let layout = Layout::new(job.title.clone(), Some(caller), csrf).with_notice(notice);
    let values = [
        "note",
        "rate",
        "availability",
        "handle",
        "referral_note",
        "action",
        "learner",
    ]
    .iter()
    .filter_map(|k| form.opt(k).map(|v| (k.to_string(), v)))
    .collect();
    let offer = (form.get("action") == "offer").then(|| {
        let (titles, amounts, dues, by) = (
            form.all("m_title"),
            form.all("m_amount"),
            form.all("m_due"),
            form.all("m_by"),
        );
        let rows = (0..titles.len().max(amounts.len()).max(dues.len()))
            .map(|i| {
                let at = |v: &[String]| v.get(i).cloned().unwrap_or_default();
                [at(&titles), at(&amounts), at(&dues), at(&by)]
            })
            .collect();
        (form.get("proposal"), rows)
    });
    Ok(html(
        status,
        &JobPage {
            layout,
            may_invite,
            job,
            proposals,
            own,
            may_propose,
            milestone_rows: (0..MILESTONE_ROWS).collect(),
            errors,
            values,
            offer,
            shortlist,
            curates,
        },
    ))
}

/// A job: details, proposals, and the forms the caller may use.
pub async fn show(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let id = page_id(&id)?;
    let notice = q.get("done").map(String::as_str);
    job_page(
        &state,
        &caller,
        &csrf,
        id,
        notice,
        Errors::default(),
        &Form::default(),
    )
    .await
}

/// Proposes, refers, invites, opens or closes, as the form's `action` says.
pub async fn act(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let id = page_id(&id)?;
    let (who, job_id, f) = (caller.account.clone(), id.clone(), form.clone());
    let result = state
        .run(move |app| {
            let (job, _) = app.work().job(&who, &job_id)?;
            match f.get("action").as_str() {
                "propose" => {
                    let rate = parse_amount(&f.get("rate"), &job.currency)
                        .map_err(|m| AppError::field("/rate", m))?;
                    let input = ProposalInput {
                        note: f.get("note"),
                        rate,
                        availability: f.get("availability"),
                    };
                    app.work().propose(&who, &job_id, input).map(|_| "proposed")
                }
                "refer" => app
                    .work()
                    .refer(&who, &job_id, &f.get("handle"), &f.get("referral_note"))
                    .map(|_| "referred"),
                "invite" => app
                    .work()
                    .invite_to_job(&who, &job_id, &f.get("handle"))
                    .map(|_| "invited"),
                "open" => app
                    .work()
                    .set_job_status(&who, &job_id, JobStatus::Open)
                    .map(|_| "job-opened"),
                "close" => app
                    .work()
                    .set_job_status(&who, &job_id, JobStatus::Closed)
                    .map(|_| "job-closed"),
                _ => Err(AppError::NotFound),
            }
        })
        .await;
    match result {
        Ok(done) => Ok(Redirect::to(&format!("/jobs/{id}?done={done}")).into_response()),
        Err(e) => {
            let errors = Errors::from_app(e)?;
            job_page(&state, &caller, &csrf, id, None, errors, &form).await
        }
    }
}

/// Reads an offer's milestone rows; rows without a title are left out.
fn milestones(form: &Form, currency: &str) -> Result<Vec<MilestoneInput>, AppError> {
    let (titles, amounts, dues) = (form.all("m_title"), form.all("m_amount"), form.all("m_due"));
    let by = form.all("m_by");
    let mut rows = Vec::new();
    for (i, title) in titles.iter().enumerate() {
        if title.trim().is_empty() {
            continue;
        }
        let raw = amounts.get(i).map(String::as_str).unwrap_or_default();
        let amount = parse_amount(raw, currency).map_err(|m| {
            AppError::field(
                &format!("/milestones/{i}/amount"),
                format!("Milestone {}: the amount {m}", i + 1),
            )
        })?;
        rows.push(MilestoneInput {
            title: title.clone(),
            amount,
            due_on: dues.get(i).cloned().unwrap_or_default(),
            by_learner: by.get(i).is_some_and(|b| b == "learner"),
        });
    }
    Ok(rows)
}

/// The client shortlists or declines a proposal, or offers its member a contract.
pub async fn answer_proposal(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path((job_id, proposal_id)): Path<(String, String)>,
    form: Form,
) -> PageResult {
    let (job_id, proposal_id) = (page_id(&job_id)?, page_id(&proposal_id)?);
    let (who, j, f) = (caller.account.clone(), job_id.clone(), form.clone());
    let result = state
        .run(move |app| match f.get("action").as_str() {
            "shortlist" => app
                .work()
                .review_proposal(&who, &proposal_id, true)
                .map(|_| format!("/jobs/{j}?done=shortlisted")),
            "decline" => app
                .work()
                .review_proposal(&who, &proposal_id, false)
                .map(|_| format!("/jobs/{j}?done=proposal-declined")),
            "offer" => {
                let (job, _) = app.work().job(&who, &j)?;
                let rows = milestones(&f, &job.currency)?;
                // A handle is looked up with or without its `@`.
                let learner = f.opt("learner");
                app.work()
                    .offer_from_proposal(&who, &proposal_id, rows, learner)
                    .map(|k| format!("/work/contracts/{}?done=offer-sent", k.id))
            }
            _ => Err(AppError::NotFound),
        })
        .await;
    match result {
        Ok(to) => Ok(Redirect::to(&to).into_response()),
        Err(AppError::NotFound) => Err(PageError::not_found()),
        Err(e) => {
            let errors = Errors::from_app(e)?;
            job_page(&state, &caller, &csrf, job_id, None, errors, &form).await
        }
    }
}
