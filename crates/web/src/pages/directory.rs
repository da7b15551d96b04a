//! The member directory: search by skill, words, place and time zone.

use super::render::{Errors, Layout, PageResult, html};
use crate::AppState;
use crate::api::members::SearchQuery;
use crate::auth::PageCaller;
use crate::csrf::CsrfToken;
use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use guildhall_app::search::MemberHit;

#[derive(Template)]
#[template(path = "directory.html")]
struct DirectoryPage {
    layout: Layout,
    skill: String,
    q: String,
    location: String,
    timezone: String,
    searched: bool,
    hits: Vec<MemberHit>,
    facets: Vec<Facet>,
    errors: Errors,
}

/// One time-zone facet: narrows the current search to members in that zone.
struct Facet {
    timezone: String,
    count: usize,
    href: String,
}

/// Time zones among the results, most common first, each a link to the narrowed search.
fn facets(hits: &[MemberHit], skill: &str, q: &str, location: &str) -> Vec<Facet> {
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for tz in hits.iter().filter_map(|h| h.timezone.as_deref()) {
        *counts.entry(tz).or_default() += 1;
    }
    let mut out: Vec<Facet> = counts
        .into_iter()
        .map(|(tz, count)| {
            let query = serde_urlencoded::to_string([
                ("skill", skill),
                ("q", q),
                ("location", location),
                ("timezone", tz),
            ])
            .unwrap_or_default();
            Facet {
                timezone: tz.to_string(),
                count,
                href: format!("/directory?{query}"),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.timezone.cmp(&b.timezone))
    });
    out
}

/// `/directory?skill=&q=&location=&timezone=`.
pub async fn directory(
    State(state): State<AppState>,
    caller: Option<PageCaller>,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<SearchQuery>,
) -> PageResult {
    let caller = caller.map(|PageCaller(c)| c);
    let (skill, text, location, timezone) = (
        q.skill.clone().unwrap_or_default(),
        q.q.clone().unwrap_or_default(),
        q.location.clone().unwrap_or_default(),
        q.timezone.clone().unwrap_or_default(),
    );
    let query = q.query();
    let searched = query.skill.is_some()
        || query.text.is_some()
        || query.location.is_some()
        || query.timezone.is_some();
    let viewer = caller.as_ref().map(|c| c.account.clone());
    let (hits, errors) = match state
        .run(move |app| app.profiles().search_members(viewer.as_ref(), &query))
        .await
    {
        Ok(hits) => (hits, Errors::default()),
        Err(e) => (Vec::new(), Errors::from_app(e)?),
    };
    let status = errors.status(StatusCode::UNPROCESSABLE_ENTITY);
    let layout = Layout::new("Directory", caller.as_ref(), &csrf);
    let facets = if timezone.is_empty() {
        facets(&hits, &skill, &text, &location)
    } else {
        Vec::new()
    };
    Ok(html(
        status,
        &DirectoryPage {
            layout,
            skill,
            q: text,
            location,
            timezone,
            searched,
            hits,
            facets,
            errors,
        },
    ))
}

#[derive(Template)]
#[template(path = "skill.html")]
struct SkillPage {
    layout: Layout,
    skill: guildhall_app::skills::SkillDetails,
    hits: Vec<MemberHit>,
    paths: Vec<guildhall_app::insights::LearningPath>,
}

impl SkillPage {
    /// Where the skill comes from, in words.
    fn origin(&self) -> String {
        let kind = match self.skill.kind.as_str() {
            "knowledge" => "Knowledge",
            "language" => "A language",
            _ => "A skill",
        };
        let source = match self.skill.source.as_str() {
            "esco" => "ESCO, the European skills classification",
            "esco-derived" => {
                "ESCO, the European skills classification (names read from its combined text)"
            }
            "linguist" => "GitHub Linguist's list of languages",
            "curated" => "Guildhall's list of current skills",
            _ => "the skill taxonomy",
        };
        format!("{kind} from {source}")
    }
}

/// `/skills/{id}`: a skill, its labels and neighbours, and the members who show it to you.
pub async fn skill(
    State(state): State<AppState>,
    caller: Option<PageCaller>,
    Extension(csrf): Extension<CsrfToken>,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> PageResult {
    let id = super::page_id(&id)?;
    let caller = caller.map(|PageCaller(c)| c);
    let viewer = caller.as_ref().map(|c| c.account.clone());
    let (skill, hits, paths) = state
        .run(move |app| {
            let skill = app.skills().skill_details(&id, viewer.as_ref())?;
            let query = guildhall_app::search::MemberQuery {
                skill_id: Some(skill.id.clone()),
                limit: 50,
                ..Default::default()
            };
            let paths = app.insights().learning_paths(&skill.id)?;
            Ok((
                skill,
                app.profiles().search_members(viewer.as_ref(), &query)?,
                paths,
            ))
        })
        .await?;
    let layout = Layout::new(skill.label.clone(), caller.as_ref(), &csrf);
    Ok(html(
        StatusCode::OK,
        &SkillPage {
            layout,
            skill,
            hits,
            paths,
        },
    ))
}
