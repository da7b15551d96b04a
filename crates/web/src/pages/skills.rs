//! Skill suggestions for the skill field's `<datalist>`, fetched by htmx as the member types.

use super::render::html;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use guildhall_domain::skills::Suggestion;
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "skill_options.html")]
struct Options {
    suggestions: Vec<Suggestion>,
}

/// `<option>`s for what was typed into a skill field (named `label` or `skill`).
pub async fn suggest(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let typed = q
        .get("label")
        .or_else(|| q.get("skill"))
        .or_else(|| q.get("skill_label"))
        .or_else(|| q.get("q"))
        .cloned()
        .unwrap_or_default();
    let suggestions = state
        .run(move |app| app.skills().suggest_skills(&typed, 8))
        .await
        .unwrap_or_default();
    html(StatusCode::OK, &Options { suggestions })
}
