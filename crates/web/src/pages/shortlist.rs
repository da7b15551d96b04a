//! A curator's shortlist page: their community's members ranked for a client's job, each with
//! a note field and "Put forward"; the entries made so far, which they may take off.

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
use guildhall_app::matching::{ShortlistEntry, ShortlistInput, Talent};
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "shortlist.html")]
struct ShortlistPage {
    layout: Layout,
    job_id: String,
    title: String,
    /// The communities the caller curates: (slug, name).
    communities: Vec<(String, String)>,
    /// The one whose members are ranked.
    community: String,
    candidates: Vec<Talent>,
    entries: Vec<ShortlistEntry>,
    errors: Errors,
    /// A refused entry, as typed: (handle, note).
    typed: Option<(String, String)>,
}

impl ShortlistPage {
    /// A score as a whole percentage.
    fn percent(&self, score: &f64) -> String {
        format!("{:.0} %", score * 100.0)
    }

    /// Whether `handle` is on the shortlist already.
    fn listed(&self, handle: &str) -> bool {
        self.entries.iter().any(|e| e.handle == handle)
    }

    /// The note typed for `handle` when the entry was refused.
    fn note_for(&self, handle: &str) -> String {
        match &self.typed {
            Some((h, note)) if h == handle => note.clone(),
            _ => String::new(),
        }
    }

    /// The message for `handle`'s refused entry.
    fn error_for(&self, handle: &str) -> String {
        match &self.typed {
            Some((h, _)) if h == handle => {
                let mut all = vec![self.errors.about("note", "The note")];
                all.push(self.errors.get("handle"));
                all.extend(self.errors.general(&["note", "handle"]));
                all.retain(|m| !m.is_empty());
                all.join(" ")
            }
            _ => String::new(),
        }
    }
}

/// What the page shows besides the job: the community asked for, a notice, and a refused
/// entry with its errors.
#[derive(Default)]
struct Shown {
    community: Option<String>,
    notice: Option<String>,
    errors: Errors,
    typed: Option<(String, String)>,
}

async fn shortlist_page(
    state: &AppState,
    caller: &Caller,
    csrf: &CsrfToken,
    job_id: String,
    shown: Shown,
) -> PageResult {
    let Shown {
        community,
        notice,
        errors,
        typed,
    } = shown;
    let (who, id) = (caller.account.clone(), job_id.clone());
    let (title, communities, community, candidates, entries) = state
        .run(move |app| {
            let (job, _) = app.work().job(&who, &id)?;
            let communities = app.matching().curated_communities(&who)?;
            let community = community
                .filter(|c| communities.iter().any(|(slug, _)| slug == c))
                .or_else(|| communities.first().map(|(slug, _)| slug.clone()));
            let candidates = match &community {
                Some(slug) => app.matching().shortlist_candidates(&who, &id, slug, 20)?,
                None => Vec::new(),
            };
            let entries = if communities.is_empty() {
                Vec::new()
            } else {
                app.matching().shortlist(&who, &id)?
            };
            Ok((
                job.title,
                communities,
                community.unwrap_or_default(),
                candidates,
                entries,
            ))
        })
        .await?;
    let status = errors.status(StatusCode::UNPROCESSABLE_ENTITY);
    let layout = Layout::new("Shortlist", Some(caller), csrf).with_notice(notice.as_deref());
    Ok(html(
        status,
        &ShortlistPage {
            layout,
            job_id,
            title,
            communities,
            community,
            candidates,
            entries,
            errors,
            typed,
        },
    ))
}

/// `/jobs/{id}/shortlist?community=`: the caller's community's members ranked for the job.
pub async fn show(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let id = page_id(&id)?;
    let shown = Shown {
        community: q.get("community").cloned(),
        notice: q.get("done").cloned(),
        ..Shown::default()
    };
    shortlist_page(&state, &caller, &csrf, id, shown).await
}

/// Puts a member forward (`action=add`) or takes an entry off (`action=remove`); then back to
/// the page the form was on.
pub async fn act(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let id = page_id(&id)?;
    let community = form.get("community");
    let back = |done: &str| {
        if form.get("back") == "job" {
            format!("/jobs/{id}?done={done}")
        } else {
            let query = serde_urlencoded::to_string([("community", community.as_str())])
                .unwrap_or_default();
            format!("/jobs/{id}/shortlist?{query}&done={done}")
        }
    };
    let (who, job_id) = (caller.account.clone(), id.clone());
    if form.get("action") == "remove" {
        let entry = form.get("entry");
        state
            .run(move |app| app.matching().remove_from_shortlist(&who, &job_id, &entry))
            .await?;
        return Ok(Redirect::to(&back("taken-off")).into_response());
    }
    let input = ShortlistInput {
        community: community.clone(),
        handle: form.get("handle"),
        note: form.get("note"),
    };
    let result = state
        .run(move |app| app.matching().add_to_shortlist(&who, &job_id, input))
        .await;
    match result {
        Ok(_) => Ok(Redirect::to(&back("put-forward")).into_response()),
        Err(e) => {
            let shown = Shown {
                community: Some(community),
                notice: None,
                errors: Errors::from_app(e)?,
                typed: Some((form.get("handle"), form.get("note"))),
            };
            shortlist_page(&state, &caller, &csrf, id, shown).await
        }
    }
}
