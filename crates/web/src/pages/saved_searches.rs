//! Talent searches without a job: a client describes whom they want (skills, pay, dates,
//! hours, zones, community), saves it, and opens it again at any time to see who fits now.

use super::item_form::parse_amount;
use super::jobs::{hours_per_week, offset_words, skill_columns, with_skill_rows};
use super::page_id;
use super::render::{Errors, Layout, PageResult, html};
use crate::AppState;
use crate::auth::{Caller, PageCaller};
use crate::csrf::CsrfToken;
use crate::forms::Form;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use guildhall_app::communities::Community;
use guildhall_app::matching::{SavedSearch, SearchInput, Talent};
use guildhall_app::work::jobs::JobSkill;
use std::collections::HashMap;

/// Skill rows the form offers.
const SKILL_ROWS: usize = 5;

/// One skill row as typed.
struct SkillRow {
    label: String,
    weight: String,
    level: String,
}

#[derive(Template)]
#[template(path = "saved_searches.html")]
struct SearchesPage {
    layout: Layout,
    searches: Vec<SavedSearch>,
    communities: Vec<Community>,
    values: HashMap<String, String>,
    skills: Vec<SkillRow>,
    offsets: Vec<(i32, String)>,
    errors: Errors,
}

impl SearchesPage {
    fn v(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }

    /// The skills of a saved search in words.
    fn skills_of(&self, s: &SavedSearch) -> String {
        s.search
            .skills
            .iter()
            .map(|k| format!("{} (level {}+)", k.label, k.min_level))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

async fn searches_page(
    state: &AppState,
    caller: &Caller,
    csrf: &CsrfToken,
    form: &Form,
    errors: Errors,
    notice: Option<&str>,
) -> PageResult {
    let who = caller.account.clone();
    let (searches, communities) = state
        .run(move |app| {
            let searches = app.matching().saved_searches(&who)?;
            let communities = app
                .communities()
                .list(Some(&who))?
                .into_iter()
                .filter(|k| k.your_role.is_some())
                .collect();
            Ok((searches, communities))
        })
        .await?;
    let [labels, weights, levels, _] = skill_columns(form);
    let at = |v: &[String], i: usize, default: &str| {
        v.get(i).cloned().unwrap_or_else(|| default.to_string())
    };
    let skills = (0..SKILL_ROWS)
        .map(|i| SkillRow {
            label: at(&labels, i, ""),
            weight: at(&weights, i, "3"),
            level: at(&levels, i, "3"),
        })
        .collect();
    let mut values: HashMap<String, String> = [
        "name",
        "hourly_budget",
        "currency",
        "starts_on",
        "ends_on",
        "hours_per_week",
        "tz_min",
        "tz_max",
        "community",
    ]
    .iter()
    .filter_map(|k| form.opt(k).map(|v| (k.to_string(), v)))
    .collect();
    values.entry("currency".into()).or_insert("EUR".into());
    values.entry("tz_min".into()).or_insert("-720".into());
    values.entry("tz_max".into()).or_insert("840".into());
    let offsets = (-12..=14).map(|h| (h * 60, offset_words(h * 60))).collect();
    let status = errors.status(StatusCode::UNPROCESSABLE_ENTITY);
    let layout = Layout::new("Find talent", Some(caller), csrf).with_notice(notice);
    Ok(html(
        status,
        &SearchesPage {
            layout,
            searches,
            communities,
            values,
            skills,
            offsets,
            errors,
        },
    ))
}

/// `/talent`: the caller's saved searches and the form for a new one.
pub async fn list(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let notice = q.get("done").map(String::as_str);
    searches_page(
        &state,
        &caller,
        &csrf,
        &Form::default(),
        Errors::default(),
        notice,
    )
    .await
}

/// Reads the form. Amount and number errors found while reading come back as `Err`.
fn search_input(form: &Form) -> Result<SearchInput, Errors> {
    let mut errors = Vec::new();
    let currency = form.get("currency");
    let hourly_budget = match form.opt("hourly_budget") {
        None => None,
        Some(raw) => match parse_amount(&raw, &currency) {
            Ok(v) => Some(v),
            Err(m) => {
                errors.push(("/hourly_budget".to_string(), m.to_string()));
                None
            }
        },
    };
    let hours_per_week = hours_per_week(form, &mut errors);
    let [labels, weights, levels, _] = skill_columns(form);
    let number =
        |v: Option<&String>, default: u8| v.and_then(|s| s.trim().parse().ok()).unwrap_or(default);
    let skills = labels
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, label)| JobSkill {
            label: label.clone(),
            weight: number(weights.get(i), 3),
            min_level: number(levels.get(i), 3),
            required: true,
            skill_id: None,
        })
        .collect();
    let offset = |name: &str, default: i32| form.get(name).parse().unwrap_or(default);
    let input = SearchInput {
        name: form.get("name"),
        skills,
        hourly_budget,
        currency,
        starts_on: form.opt("starts_on"),
        ends_on: form.opt("ends_on"),
        hours_per_week,
        tz_min_offset: offset("tz_min", -720),
        tz_max_offset: offset("tz_max", 840),
        community: form.opt("community"),
    };
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(Errors(errors))
    }
}

/// Saves a search, then opens it.
pub async fn save(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    form: Form,
) -> PageResult {
    let input = match search_input(&form) {
        Ok(input) => input,
        Err(errors) => return searches_page(&state, &caller, &csrf, &form, errors, None).await,
    };
    let who = caller.account.clone();
    match state
        .run(move |app| app.matching().save_search(&who, input))
        .await
    {
        Ok(saved) => {
            Ok(Redirect::to(&format!("/talent/{}?done=search-saved", saved.id)).into_response())
        }
        Err(e) => {
            let errors = with_skill_rows(Errors::from_app(e)?);
            searches_page(&state, &caller, &csrf, &form, errors, None).await
        }
    }
}

#[derive(Template)]
#[template(path = "saved_search.html")]
struct SearchPage {
    layout: Layout,
    search: SavedSearch,
    talent: Vec<Talent>,
}

impl SearchPage {
    /// A score as a whole percentage.
    fn percent(&self, score: &f64) -> String {
        format!("{:.0} %", score * 100.0)
    }
}

/// `/talent/{id}`: a saved search run now.
pub async fn show(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let id = page_id(&id)?;
    let who = caller.account.clone();
    let (search, talent) = state
        .run(move |app| app.matching().run_search(&who, &id, 20))
        .await?;
    let layout = Layout::new(search.search.name.clone(), Some(&caller), &csrf)
        .with_notice(q.get("done").map(String::as_str));
    Ok(html(
        StatusCode::OK,
        &SearchPage {
            layout,
            search,
            talent,
        },
    ))
}

/// Deletes a saved search.
pub async fn delete(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<String>,
) -> PageResult {
    let id = page_id(&id)?;
    let who = caller.account.clone();
    state
        .run(move |app| app.matching().delete_search(&who, &id))
        .await?;
    Ok(Redirect::to("/talent?done=search-deleted").into_response())
}
