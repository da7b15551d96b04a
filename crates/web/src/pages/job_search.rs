//! The jobs list: open jobs the member may take, searched and filtered, a page at a time, and
//! the jobs they posted.

use super::render::{Errors, Layout, PageResult, html};
use crate::AppState;
use crate::auth::PageCaller;
use crate::csrf::CsrfToken;
use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use guildhall_app::PageRequest;
use guildhall_app::communities::Community;
use guildhall_app::work::jobs::{Job, JobSearch, Pricing};
use serde::Deserialize;

/// The search form as typed; every value is text so nothing typed is refused before it is read.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct JobsForm {
    #[serde(default)]
    q: String,
    #[serde(default)]
    skill: String,
    #[serde(default)]
    pays_at_least: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    starts_from: String,
    #[serde(default)]
    ends_by: String,
    #[serde(default)]
    remote: String,
    #[serde(default)]
    community: String,
    #[serde(default)]
    cursor: String,
}

impl JobsForm {
    fn search(&self) -> JobSearch {
        let given = |s: &str| Some(s.to_string()).filter(|s| !s.trim().is_empty());
        JobSearch {
            q: given(&self.q),
            skill: given(&self.skill),
            pays_at_least: given(&self.pays_at_least),
            currency: given(&self.currency),
            starts_from: given(&self.starts_from),
            ends_by: given(&self.ends_by),
            remote: Some(self.remote == "yes"),
            community: given(&self.community),
            others_only: true,
        }
    }

    /// The address of the next page: this search, continued after `cursor`.
    fn next_page(&self, cursor: &str) -> String {
        let query = serde_urlencoded::to_string([
            ("q", self.q.as_str()),
            ("skill", &self.skill),
            ("pays_at_least", &self.pays_at_least),
            ("currency", &self.currency),
            ("starts_from", &self.starts_from),
            ("ends_by", &self.ends_by),
            ("remote", &self.remote),
            ("community", &self.community),
            ("cursor", cursor),
        ])
        .unwrap_or_default();
        format!("/jobs?{query}")
    }
}

impl JobsPage {
    /// Whether a filter beyond words and skill is set, or refused: then they show open.
    fn narrowed(&self) -> bool {
        let f = &self.form;
        let refused = [
            "pays_at_least",
            "currency",
            "community",
            "starts_from",
            "ends_by",
        ]
        .iter()
        .any(|name| !self.errors.get(name).is_empty());
        refused
            || !f.pays_at_least.trim().is_empty()
            || !f.community.is_empty()
            || !f.starts_from.is_empty()
            || !f.ends_by.is_empty()
            || f.remote == "yes"
    }
}

#[derive(Template)]
#[template(path = "jobs.html")]
struct JobsPage {
    layout: Layout,
    form: JobsForm,
    communities: Vec<Community>,
    searched: bool,
    open: Vec<Job>,
    next: Option<String>,
    continued: bool,
    mine: Vec<Job>,
    errors: Errors,
}

/// `/jobs`: open jobs you may take, searched and filtered, and the jobs you posted.
pub async fn list(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Query(form): Query<JobsForm>,
) -> PageResult {
    let account = caller.account.clone();
    let search = form.search();
    let page = PageRequest {
        cursor: Some(form.cursor.clone()).filter(|c| !c.is_empty()),
        limit: Some(20),
    };
    let (found, mine, communities) = state
        .run(move |app| {
            let found = app.work().search_jobs(&account, &search, &page);
            let mine = app.work().my_jobs(&account)?;
            let communities: Vec<Community> = app
                .communities()
                .list(Some(&account))?
                .into_iter()
                .filter(|k| k.your_role.is_some())
                .collect();
            Ok((found, mine, communities))
        })
        .await?;
    let (open, next, errors) = match found {
        Ok(page) => (page.items, page.next_cursor, Errors::default()),
        Err(e) => (Vec::new(), None, Errors::from_app(e)?),
    };
    let next = next.map(|c| form.next_page(&c));
    let searched = !form.search().is_empty();
    let continued = !form.cursor.is_empty();
    let status = errors.status(StatusCode::UNPROCESSABLE_ENTITY);
    let layout = Layout::new("Jobs", Some(&caller), &csrf);
    Ok(html(
        status,
        &JobsPage {
            layout,
            form,
            communities,
            searched,
            open,
            next,
            continued,
            mine,
            errors,
        },
    ))
}
