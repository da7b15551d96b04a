//! Growth and insight on pages: a member's skills gap for a job, a saved search or an
//! occupation they aim at, with the ways across each gap, and the liquidity of their skills;
//! a community's gaps and liquidity for its curators. Each picture is an SVG drawn here, with
//! a table of the same figures beside it and a CSV download (`?csv=…`).

use super::page_id;
use super::render::{Layout, PageResult, html};
use crate::AppState;
use crate::auth::PageCaller;
use crate::charts;
use crate::csrf::CsrfToken;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use guildhall_app::accounts::Account;
use guildhall_app::insights::{CommunityGaps, GapReport, Liquidity, OccupationRef, TargetKind};
use guildhall_app::{App, AppError};
use serde::Deserialize;

/// Which table to download instead of the page.
#[derive(Debug, Default, Deserialize)]
pub struct CsvQuery {
    #[serde(default)]
    csv: Option<String>,
}

/// A CSV download named `name`.
fn csv_file(name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.csv\""),
            ),
        ],
        body,
    )
        .into_response()
}

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

/// Hours for a table cell: "80", "12.5", or "—" when held back.
pub fn hours(value: &Option<f64>) -> String {
    match value {
        Some(h) => {
            let text = format!("{h:.1}");
            text.strip_suffix(".0").unwrap_or(&text).to_string()
        }
        None => "—".into(),
    }
}

/// A count of people for a cell: the number, or "fewer than 5".
pub fn people(value: &Option<u32>) -> String {
    value.map_or_else(|| "fewer than 5".into(), |n| n.to_string())
}

fn gap_picture(report: &GapReport) -> String {
    let rows: Vec<(String, f64)> = report
        .gaps
        .iter()
        .map(|g| (g.skill.label.clone(), g.score))
        .collect();
    charts::bars(
        &format!(
            "Your gaps for {}, by how much each is worth closing; the table below gives the figures",
            report.target.title
        ),
        "worth closing (weight × levels short × demand)",
        &rows,
    )
}

fn gap_csv(report: &GapReport) -> String {
    charts::csv(
        &[
            "skill",
            "you show",
            "level asked",
            "weight",
            "required",
            "open jobs asking",
            "worth closing",
        ],
        report.gaps.iter().map(|g| {
            vec![
                g.skill.label.clone(),
                g.held.map_or(String::new(), |l| l.to_string()),
                g.wanted.to_string(),
                g.weight.to_string(),
                g.required.to_string(),
                g.open_jobs_asking.to_string(),
                format!("{:.2}", g.score),
            ]
        }),
    )
}

/// The balance per skill as bars; empty when no skill has a ratio to draw.
fn liquidity_picture(l: &Liquidity) -> String {
    let rows: Vec<(String, f64)> = l
        .rows
        .iter()
        .filter_map(|r| Some((r.skill.label.clone(), r.ratio?)))
        .collect();
    if rows.is_empty() {
        return String::new();
    }
    charts::bars(
        &format!(
            "Open hours per free hour over the next four weeks, skill by skill, in {}",
            l.name
        ),
        "open hours per free hour",
        &rows,
    )
}

fn liquidity_trend(l: &Liquidity) -> String {
    let days: Vec<String> = {
        let mut all: Vec<String> = l
            .history
            .iter()
            .flat_map(|t| t.points.iter().map(|p| p.day.clone()))
            .collect();
        all.sort();
        all.dedup();
        all
    };
    let series: Vec<(String, Vec<Option<f64>>)> = l
        .history
        .iter()
        .map(|t| {
            let values = days
                .iter()
                .map(|d| t.points.iter().find(|p| &p.day == d).and_then(|p| p.ratio))
                .collect();
            (t.skill.label.clone(), values)
        })
        .collect();
    charts::lines(
        &format!(
            "Open hours per free hour day by day in {}, for its most demanded skills",
            l.name
        ),
        "open hours per free hour",
        &days,
        &series,
    )
}

fn liquidity_csv(all: &[Liquidity]) -> String {
    charts::csv(
        &[
            "scope",
            "day",
            "skill",
            "open hours",
            "free hours",
            "open hours per free hour",
        ],
        all.iter().flat_map(|l| {
            l.rows.iter().map(|r| {
                vec![
                    l.name.clone(),
                    l.taken_on.clone().unwrap_or_default(),
                    r.skill.label.clone(),
                    r.demand_hours.map_or(String::new(), |h| format!("{h:.1}")),
                    r.supply_hours.map_or(String::new(), |h| format!("{h:.1}")),
                    r.ratio.map_or(String::new(), |h| format!("{h:.2}")),
                ]
            })
        }),
    )
}

#[derive(Template)]
#[template(path = "gap.html")]
struct GapPage {
    layout: Layout,
    report: GapReport,
    picture: String,
    csv_link: String,
    back: String,
}

async fn gap_page(
    state: AppState,
    caller: PageCaller,
    csrf: CsrfToken,
    csv: bool,
    here: String,
    find: impl FnOnce(&App, &Account) -> Result<GapReport, AppError> + Send + 'static,
) -> PageResult {
    let PageCaller(caller) = caller;
    let account = caller.account.clone();
    let report = state.run(move |app| find(app, &account)).await?;
    if csv {
        return Ok(csv_file("skills-gap", gap_csv(&report)));
    }
    let page = GapPage {
        layout: Layout::new(
            format!("Your skills gap: {}", report.target.title),
            Some(&caller),
            &csrf,
        ),
        picture: gap_picture(&report),
        csv_link: format!("{here}?csv=gap"),
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
    Query(q): Query<CsvQuery>,
) -> PageResult {
    let id = page_id(&raw)?;
    let here = format!("/jobs/{id}/gap");
    gap_page(
        state,
        caller,
        csrf,
        q.csv.is_some(),
        here,
        move |app, who| app.insights().job_gap(who, &id),
    )
    .await
}

/// Your skills gap for one of your saved talent searches.
pub async fn search_gap(
    State(state): State<AppState>,
    caller: PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(raw): Path<String>,
    Query(q): Query<CsvQuery>,
) -> PageResult {
    let id = page_id(&raw)?;
    let here = format!("/talent/{id}/gap");
    gap_page(
        state,
        caller,
        csrf,
        q.csv.is_some(),
        here,
        move |app, who| app.insights().search_gap(who, &id),
    )
    .await
}

/// The occupation picked on the growth page, and a table to download.
#[derive(Debug, Default, Deserialize)]
pub struct GrowthQuery {
    #[serde(default)]
    occupation: String,
    #[serde(default)]
    csv: Option<String>,
}

#[derive(Template)]
#[template(path = "growth.html")]
struct GrowthPage {
    layout: Layout,
    occupations: Vec<OccupationRef>,
    chosen: String,
    report: Option<GapReport>,
    picture: String,
    csv_link: String,
    error: Option<String>,
    liquidity: Vec<Liquidity>,
    liquidity_picture: String,
}

/// Growth: the liquidity of your skills, and an occupation to aim at with the gap to it.
pub async fn growth(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<GrowthQuery>,
) -> PageResult {
    let chosen = q.occupation.trim().to_string();
    let account = caller.account.clone();
    let wanted = chosen.clone();
    let (occupations, report, error, liquidity) = state
        .run(move |app| {
            let occupations = guildhall_app::insights::occupations()?;
            let liquidity = app.insights().my_liquidity(&account)?;
            if wanted.is_empty() {
                return Ok((occupations, None, None, liquidity));
            }
            let known =
                crate::paths::id(&wanted).filter(|id| occupations.iter().any(|o| &o.id == id));
            Ok(match known {
                Some(id) => {
                    let report = app.insights().occupation_gap(&account, &id)?;
                    (occupations, Some(report), None, liquidity)
                }
                None => (
                    occupations,
                    None,
                    Some("Choose an occupation from the list.".to_string()),
                    liquidity,
                ),
            })
        })
        .await?;
    match (q.csv.as_deref(), &report) {
        (Some("gap"), Some(report)) => return Ok(csv_file("skills-gap", gap_csv(report))),
        (Some("liquidity"), _) => return Ok(csv_file("liquidity", liquidity_csv(&liquidity))),
        _ => {}
    }
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = GrowthPage {
        layout: Layout::new("Growth", Some(&caller), &csrf),
        picture: report.as_ref().map(gap_picture).unwrap_or_default(),
        csv_link: format!("/me/growth?occupation={chosen}&csv=gap"),
        liquidity_picture: liquidity.first().map(liquidity_picture).unwrap_or_default(),
        occupations,
        chosen,
        report,
        error,
        liquidity,
    };
    Ok(html(status, &page))
}

#[derive(Template)]
#[template(path = "community_insights.html")]
struct CommunityInsightsPage {
    layout: Layout,
    gaps: CommunityGaps,
    gaps_picture: String,
    liquidity: Liquidity,
    liquidity_picture: String,
    trend_picture: String,
}

/// A community's gaps and liquidity, for its curators.
pub async fn community(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Path(raw): Path<String>,
    Query(q): Query<CsvQuery>,
) -> PageResult {
    let slug = super::communities::slug(&raw)?;
    let account = caller.account.clone();
    let (gaps, liquidity) = state
        .run(move |app| {
            Ok((
                app.insights().community_gaps(&account, &slug)?,
                app.insights().community_liquidity(&account, &slug)?,
            ))
        })
        .await?;
    match q.csv.as_deref() {
        Some("gaps") => {
            let body = charts::csv(
                &[
                    "skill",
                    "open jobs asking",
                    "level asked",
                    "members at that level",
                    "members below it",
                ],
                gaps.gaps.iter().map(|g| {
                    vec![
                        g.skill.label.clone(),
                        g.open_jobs.to_string(),
                        g.level.to_string(),
                        people(&g.members_meeting),
                        people(&g.members_below),
                    ]
                }),
            );
            return Ok(csv_file(&format!("{}-gaps", gaps.community), body));
        }
        Some("liquidity") => {
            let body = liquidity_csv(std::slice::from_ref(&liquidity));
            return Ok(csv_file(&format!("{}-liquidity", gaps.community), body));
        }
        _ => {}
    }
    let bars: Vec<(String, f64)> = gaps
        .gaps
        .iter()
        .map(|g| (g.skill.label.clone(), f64::from(g.open_jobs)))
        .collect();
    let page = CommunityInsightsPage {
        layout: Layout::new(format!("Insights: {}", gaps.name), Some(&caller), &csrf),
        gaps_picture: charts::bars(
            &format!(
                "Open jobs of {} asking for each skill, scarcest first",
                gaps.name
            ),
            "open jobs asking",
            &bars,
        ),
        liquidity_picture: liquidity_picture(&liquidity),
        trend_picture: liquidity_trend(&liquidity),
        gaps,
        liquidity,
    };
    Ok(html(StatusCode::OK, &page))
}
