//! Growth and insight on pages: a member's skills gap for a job, a saved search or an
//! occupation they aim at, with the ways across each gap, and the liquidity of their skills;
//! a community's gaps and liquidity for its curators. Each picture is an SVG drawn here, with
//! a table of the same figures beside it and a CSV download (`?csv=…`).

use super::page_id;
use super::render::{Errors, Layout, PageResult, html};
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
use guildhall_app::communities::Community;
use guildhall_app::insights::{
    CommunityGaps, GapReport, Liquidity, OccupationRef, RateMap, RateQuery, TargetKind,
};
use guildhall_app::work::jobs::Pricing;
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

/// The rates map's filters as typed; all text, so nothing typed is refused before it is read.
#[derive(Debug, Default, Deserialize)]
pub struct RatesForm {
    #[serde(default)]
    community: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    pricing: String,
    #[serde(default)]
    occupation: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    csv: Option<String>,
}

impl RatesForm {
    fn query(&self) -> Result<RateQuery, Errors> {
        let blank = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let days = match blank(&self.days) {
            None => None,
            Some(d) => Some(d.parse().map_err(|_| {
                Errors(vec![(
                    "days".into(),
                    "Choose a period from the list.".into(),
                )])
            })?),
        };
        Ok(RateQuery {
            community: blank(&self.community),
            days,
            pricing: match self.pricing.as_str() {
                "fixed" => Some(Pricing::Fixed),
                "hourly" => Some(Pricing::Hourly),
                _ => None,
            },
            occupation: blank(&self.occupation),
            currency: blank(&self.currency),
        })
    }
}

/// The picture of a map: cells shaded by their median.
fn rates_picture(map: &RateMap) -> String {
    let rows: Vec<(String, Vec<charts::HeatCell>)> = map
        .rows
        .iter()
        .map(|r| {
            let label = r
                .skill
                .as_ref()
                .map_or_else(|| "Every skill".to_string(), |s| s.label.clone());
            let cells = r
                .cells
                .iter()
                .map(|c| {
                    c.as_ref()
                        .map(|c| (c.median_minor as f64, c.median.clone()))
                })
                .collect();
            (label, cells)
        })
        .collect();
    charts::heat(
        &format!(
            "Median hourly rates in {} by skill and length of work; the table below gives each median with its range",
            map.currency
        ),
        &map.lengths,
        &rows,
    )
}

/// Every skill's ranges by length against the US wages of the occupation.
fn reference_picture(map: &RateMap) -> String {
    let Some(wages) = &map.reference else {
        return String::new();
    };
    let every = map.rows.iter().find(|r| r.skill.is_none());
    let major = |minor: i64| minor as f64 / 100.0;
    let values: Vec<Option<(f64, f64, f64)>> = (0..map.lengths.len())
        .map(|i| {
            let c = every?.cells.get(i)?.as_ref()?;
            Some((
                major(c.p25_minor),
                major(c.median_minor),
                major(c.p75_minor),
            ))
        })
        .collect();
    let references = vec![
        ("US 25th percentile (USD)".to_string(), wages.hourly_usd[1]),
        ("US median (USD)".to_string(), wages.hourly_usd[2]),
        ("US 75th percentile (USD)".to_string(), wages.hourly_usd[3]),
    ];
    charts::ranges(
        &format!(
            "Hourly rates in {} by length of work, middle half and median, against the US wages of {}",
            map.currency, wages.soc_title
        ),
        &format!("per hour ({})", map.currency),
        &map.lengths,
        &values,
        &references,
    )
}

fn rates_csv(map: &RateMap) -> String {
    charts::csv(
        &[
            "skill", "length", "currency", "p25", "median", "p75", "rates", "people",
        ],
        map.rows.iter().flat_map(|r| {
            let skill = r
                .skill
                .as_ref()
                .map_or_else(|| "every skill".to_string(), |s| s.label.clone());
            r.cells
                .iter()
                .zip(&map.lengths)
                .filter_map(move |(c, length)| {
                    let c = c.as_ref()?;
                    Some(vec![
                        skill.clone(),
                        length.clone(),
                        map.currency.clone(),
                        format!("{:.2}", c.p25_minor as f64 / 100.0),
                        format!("{:.2}", c.median_minor as f64 / 100.0),
                        format!("{:.2}", c.p75_minor as f64 / 100.0),
                        c.rates.to_string(),
                        c.people.to_string(),
                    ])
                })
        }),
    )
}

#[derive(Template)]
#[template(path = "rates.html")]
struct RatesPage {
    layout: Layout,
    form: RatesForm,
    errors: Errors,
    communities: Vec<Community>,
    occupations: Vec<OccupationRef>,
    map: Option<RateMap>,
    picture: String,
    reference: String,
    csv_link: String,
}

impl RatesPage {
    fn chosen(&self, name: &str, value: &str) -> bool {
        let typed = match name {
            "community" => &self.form.community,
            "days" => &self.form.days,
            "pricing" => &self.form.pricing,
            "occupation" => &self.form.occupation,
            _ => &self.form.currency,
        };
        typed.trim() == value
    }
}

/// The heat map of rates, filtered as the form asks.
pub async fn rates(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Extension(csrf): Extension<CsrfToken>,
    Query(form): Query<RatesForm>,
) -> PageResult {
    let account = caller.account.clone();
    let asked = form.query();
    let (communities, occupations, result) = state
        .run(move |app| {
            let communities: Vec<Community> = app
                .communities()
                .list(Some(&account))?
                .into_iter()
                .filter(|k| k.your_role.is_some())
                .collect();
            let occupations = guildhall_app::insights::occupations()?;
            let result = asked.map(|q| app.insights().rate_map(&account, &q));
            Ok((communities, occupations, result))
        })
        .await?;
    let (map, errors) = match result {
        Ok(Ok(map)) => (Some(map), Errors(Vec::new())),
        Ok(Err(e)) => (None, Errors::from_app(e)?),
        Err(errors) => (None, errors),
    };
    if form.csv.is_some()
        && let Some(map) = &map
    {
        return Ok(csv_file("rates", rates_csv(map)));
    }
    let status = errors.status(StatusCode::UNPROCESSABLE_ENTITY);
    let csv_link = {
        let pairs = [
            ("community", &form.community),
            ("days", &form.days),
            ("pricing", &form.pricing),
            ("occupation", &form.occupation),
            ("currency", &form.currency),
        ];
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            if !v.trim().is_empty() {
                query.append_pair(k, v.trim());
            }
        }
        query.append_pair("csv", "rates");
        format!("/insights/rates?{}", query.finish())
    };
    let page = RatesPage {
        layout: Layout::new("Rates", Some(&caller), &csrf),
        picture: map.as_ref().map(rates_picture).unwrap_or_default(),
        reference: map.as_ref().map(reference_picture).unwrap_or_default(),
        csv_link,
        form,
        errors,
        communities,
        occupations,
        map,
    };
    Ok(html(status, &page))
}
