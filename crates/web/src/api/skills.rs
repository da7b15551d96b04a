//! The skill taxonomy: autocomplete.

use super::extract::ApiQuery;
use crate::AppState;
use crate::error::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What the user typed.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AutocompleteQuery {
    /// The text so far (at most 100 characters).
    q: String,
    /// Suggestions wanted, 1 to 50 (default 10).
    limit: Option<usize>,
}

/// One suggestion.
#[derive(Serialize, ToSchema)]
pub struct SkillSuggestion {
    /// Skill id.
    skill_id: String,
    /// The label that matched.
    label: String,
    /// `preferred`, `alias` or `tag`.
    matched: &'static str,
    /// `prefix`, `word` or `typo`.
    how: &'static str,
}

/// Skills whose labels, aliases or tags match the text: label prefixes first (preferred labels,
/// then aliases, then members' tags), then words inside labels, then labels one typo away;
/// more-claimed skills first within each.
#[utoipa::path(get, path = "/api/v1/skills/autocomplete", tag = "skills", params(AutocompleteQuery),
    responses((status = 200, body = Vec<SkillSuggestion>), (status = 422, body = Problem)))]
pub async fn autocomplete(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<AutocompleteQuery>,
) -> ApiResult<Json<Vec<SkillSuggestion>>> {
    let limit = q.limit.unwrap_or(10);
    let found = state
        .run(move |app| app.suggest_skills(&q.q, limit))
        .await?;
    Ok(Json(found.into_iter().map(suggestion).collect()))
}

fn suggestion(s: guildhall_domain::skills::Suggestion) -> SkillSuggestion {
    use guildhall_domain::skills::LabelKind;
    SkillSuggestion {
        skill_id: s.skill_id,
        label: s.label,
        matched: match s.kind {
            LabelKind::Preferred => "preferred",
            LabelKind::Alias => "alias",
            LabelKind::Tag => "tag",
        },
        how: match s.tier {
            0 => "prefix",
            1 => "word",
            _ => "typo",
        },
    }
}
