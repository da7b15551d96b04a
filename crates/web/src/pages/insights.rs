//! Growth and insight on pages: a member's skills gap for a job, a saved search or an
//! occupation they aim at, with the ways across each gap; and a community's gaps for its
//! curators.

use super::page_id;
use super::render::{Layout, PageResult, html};
use crate::AppState;
use crate::auth::PageCaller;
use crate::csrf::CsrfToken;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use guildhall_app::insights::{CommunityGaps, GapReport, OccupationRef, TargetKind};
use serde::Deserialize;

/// Where a report's target lives, for its "back" link.
fn target_link(report: &GapReport) -> String {
    match report.target.kind {
        TargetKind::Job => format!("/jobs/{}", report.target.id),
        TargetKind::SavedSearch => format!("/talent/{}", report.target.id),
        TargetKind::Occupation => format!("/me/growth?occupation={}", report.target.id),
    }
}

/// A level in words, for a gap's row.
pub fn level_words(level: &Option<u8>) -> String {
    match level {
        None => "not shown".into(),
        Some(l) => format!("level {l}"),
    }
}

#[derive(Template)]
#[template(path = "gap.html")]
struct GapPage {
    layout: Layout,
    report: GapReport,
    back: String,
}

async fn gap_page(
    state: AppState,
    caller: PageCaller,
    csrf: CsrfToken,
    find: impl FnOnce(
        &guildhall_app::App,
        &guildhall_app::accounts::Account,
    ) -> Result<GapReport, guildhall_app::AppError>
    + Send
    + 'static,
) -> PageResult {
    let PageCaller(caller) = caller;
    let account = caller.account.clone();
    let report = state.run(move |app| find(app, &account)).await?;
    let page = GapPage {
        layout: Layout::new(
            format!("Your skills gap: {}", report.target.title),
            Some(&caller),
            &csrf,
        ),
        back: target_link(&report),
        report,
    };
    Ok(html(StatusCode::OK, &page))
}

/// Your skills gap for a job.
pub async fn job_gap(
    State(state): State<AppState>,
    caller: PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(raw): Path<String>,
) -> PageResult {
    let id = page_id(&raw)?;
    gap_page(state, caller, csrf, move |app, who| {
        app.insights().job_gap(who, &id)
    })
    .await
}

/// Your skills gap for one of your saved talent searches.
pub async fn search_gap(
    State(state): State<AppState>,
    caller: PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(raw): Path<String>,
) -> PageResult {
    let id = page_id(&raw)?;
    gap_page(state, caller, csrf, move |app, who| {
        app.insights().search_gap(who, &id)
    })
    .await
}

/// The occupation picked on the growth page.
#[derive(Debug, Default, Deserialize)]
pub struct GrowthQuery {
    #[serde(default)]
    occupation: String,
}

#[derive(Template)]
#[template(path = "growth.html")]
struct GrowthPage {
    layout: Layout,
    occupations: Vec<OccupationRef>,
    chosen: String,
    report: Option<GapReport>,
    error: Option<String>,
}

/// Growth: pick an occupation to aim at and see the gap to it.
pub async fn growth(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<GrowthQuery>,
) -> PageResult {
    let chosen = q.occupation.trim().to_string();
    let account = caller.account.clone();
    let wanted = chosen.clone();
    let (occupations, report, error) = state
        .run(move |app| {
            let occupations = guildhall_app::insights::occupations()?;
            if wanted.is_empty() {
                return Ok((occupations, None, None));
            }
            let known =
                crate::paths::id(&wanted).filter(|id| occupations.iter().any(|o| &o.id == id));
            Ok(match known {
                Some(id) => (
                    occupations,
                    Some(app.insights().occupation_gap(&account, &id)?),
                    None,
                ),
                None => (
                    occupations,
                    None,
                    Some("Choose an occupation from the list.".to_string()),
                ),
            })
        })
        .await?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = GrowthPage {
        layout: Layout::new("Growth", Some(&caller), &csrf),
        occupations,
        chosen,
        report,
        error,
    };
    Ok(html(status, &page))
}

#[derive(Template)]
#[template(path = "community_gaps.html")]
struct CommunityGapsPage {
    layout: Layout,
    gaps: CommunityGaps,
}

/// A community's skills gaps, for its curators.
pub async fn community_gaps(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(raw): Path<String>,
) -> PageResult {
    let slug = super::communities::slug(&raw)?;
    let account = caller.account.clone();
    let gaps = state
        .run(move |app| app.insights().community_gaps(&account, &slug))
        .await?;
    let page = CommunityGapsPage {
        layout: Layout::new(
            format!("Skills gaps of {}", gaps.name),
            Some(&caller),
            &csrf,
        ),
        gaps,
    };
    Ok(html(StatusCode::OK, &page))
}
