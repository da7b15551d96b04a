//! "Find talent": on their job, a client sees the members who fit it, each with why, and
//! invites any of them to propose in one click. "Work for you": a member sees the open jobs
//! that fit them.

use super::page_id;
use super::render::{Layout, PageResult, html};
use crate::AppState;
use crate::auth::PageCaller;
use crate::csrf::CsrfToken;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use guildhall_app::matching::{Talent, TalentPair, WorkFit};

#[derive(Template)]
#[template(path = "talent.html")]
struct TalentPage {
    layout: Layout,
    job_id: String,
    title: String,
    talent: Vec<Talent>,
    /// Pairs who cover the job between them, when nobody does alone.
    pairs: Vec<TalentPair>,
}

impl TalentPage {
    /// A score as a whole percentage.
    fn percent(&self, score: &f64) -> String {
        format!("{:.0} %", score * 100.0)
    }
}

/// The ranked list for one of the caller's jobs.
pub async fn show(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(id): Path<String>,
) -> PageResult {
    let id = page_id(&id)?;
    let (who, job_id) = (caller.account.clone(), id.clone());
    let (title, talent, pairs) = state
        .run(move |app| {
            let talent = app.matching().find_talent(&who, &job_id, 20)?;
            let pairs = app.matching().find_pairs(&who, &job_id, 5)?;
            let (job, _) = app.work().job(&who, &job_id)?;
            Ok((job.title, talent, pairs))
        })
        .await?;
    Ok(html(
        StatusCode::OK,
        &TalentPage {
            layout: Layout::new("Find talent", Some(&caller), &csrf),
            job_id: id,
            title,
            talent,
            pairs,
        },
    ))
}

#[derive(Template)]
#[template(path = "work_for_you.html")]
struct ForYouPage {
    layout: Layout,
    fits: Vec<WorkFit>,
}

impl ForYouPage {
    /// A score as a whole percentage.
    fn percent(&self, score: &f64) -> String {
        format!("{:.0} %", score * 100.0)
    }
}

/// The open jobs that fit the caller best.
pub async fn for_you(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
) -> PageResult {
    let who = caller.account.clone();
    let fits = state
        .run(move |app| app.matching().work_for_you(&who, 20))
        .await?;
    Ok(html(
        StatusCode::OK,
        &ForYouPage {
            layout: Layout::new("Work for you", Some(&caller), &csrf),
            fits,
        },
    ))
}
